"""Access to the admin side: token sign-in, cookie, CSRF and origin checks, throttled sign-ins,
revocation at once, bearer tokens for scripts, and admin pages kept out of every cache."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from babelwire.publish import create_app
from tests.helpers.site import BASE, FilledSite, TestClient, sign_in, site_settings

ADMIN_PAGES = ["/admin/", "/admin/review", "/admin/review/1/es", "/admin/sources",
               "/admin/sources.opml", "/admin/usage"]
ADMIN_POSTS = ["/admin/review/4/es/approve", "/admin/review/4/es/reject",
               "/admin/review/4/es/edit", "/admin/sources/add", "/admin/sources/1/pause",
               "/admin/sources/1/resume", "/admin/sources/1/remove", "/admin/logout"]


@pytest.fixture
def app(filled_site: FilledSite) -> Any:
    """A fresh app on the shared store, whose sign-in throttles (kept in the store) are
    forgotten."""
    filled_site.store.prune_throttles(math.inf)
    return create_app(filled_site.settings, filled_site.store, login_burst=3)


@pytest.fixture
def token(filled_site: FilledSite, request: pytest.FixtureRequest
          ) -> Iterator[str]:
    """A new token, revoked after the test."""
    info, secret = filled_site.store.create_token(f"editor-{request.node.name}"[:100])
    yield secret
    filled_site.store.revoke_token(str(info.id))


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_send_strangers_to_the_sign_in_page(app: Any, path: str) -> None:
    with TestClient(app, base_url=BASE) as client:
        response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/login?next={path}"
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ADMIN_POSTS)
def test_admin_actions_do_nothing_for_strangers(app: Any, path: str,
                                                filled_site: FilledSite) -> None:
    before = filled_site.store.summary()
    with TestClient(app, base_url=BASE) as client:
        response = client.post(path, data={"csrf": "x", "confirm": "yes", "url": "https://a.b/",
                                           "targets": "en"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith(
        "/admin/login")
    assert filled_site.store.summary() == before


def test_sign_in_sets_a_strict_http_only_secure_cookie_for_admin_paths_only(
        app: Any, token: str) -> None:
    with TestClient(app, base_url=BASE) as client:
        response = client.post("/admin/login", data={"token": token, "next": "/admin/review"},
                               follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/admin/review"
        cookie = response.headers["set-cookie"].lower()
        for attribute in ("httponly", "samesite=strict", "secure", "path=/admin",
                          "max-age=43200"):
            assert attribute in cookie
        assert client.get("/admin/review").status_code == 200


def test_http_sites_get_a_cookie_without_secure(tmp_path: Path, token: str,
                                                filled_site: FilledSite) -> None:
    settings = site_settings(tmp_path, site_url="http://127.0.0.1:8000")
    with TestClient(create_app(settings, filled_site.store)) as client:
        response = client.post("/admin/login", data={"token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert "secure" not in response.headers["set-cookie"].lower()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/admin/",
                                    "/es/", "/admin/\\evil", "javascript:alert(1)"])
def test_sign_in_never_redirects_off_the_admin_pages(app: Any, token: str, target: str) -> None:
    with TestClient(app, base_url=BASE) as client:
        response = client.post("/admin/login", data={"token": token, "next": target},
                               follow_redirects=False)
    assert response.headers["location"] == "/admin/"


def test_a_wrong_token_is_refused_and_failed_sign_ins_are_throttled_per_client(
        app: Any, token: str) -> None:
    with TestClient(app, base_url=BASE) as client, \
            TestClient(app, base_url=BASE, client=("203.0.113.7", 4000)) as other:
        for _ in range(3):  # login_burst=3
            refused = client.post("/admin/login", data={"token": "bw_" + "x" * 43})
            assert refused.status_code == 401 and "not valid" in refused.text
            assert "set-cookie" not in refused.headers
        throttled = client.post("/admin/login", data={"token": token}, follow_redirects=False)
        assert throttled.status_code == 429  # even the right token waits its turn
        assert int(throttled.headers["retry-after"]) >= 1
        assert "set-cookie" not in throttled.headers
        assert sign_in(other, token)  # another client is not affected


def test_a_revoked_token_stops_working_at_once(app: Any, filled_site: FilledSite
                                               ) -> None:
    _, secret = filled_site.store.create_token("leaving-editor")
    with TestClient(app, base_url=BASE) as client:
        sign_in(client, secret)
        assert client.get("/admin/sources").status_code == 200
        filled_site.store.revoke_token("leaving-editor")
        response = client.get("/admin/sources", follow_redirects=False)
        assert response.status_code == 303 and "/admin/login" in response.headers["location"]
        again = client.post("/admin/login", data={"token": secret})
        assert again.status_code == 401


def test_sign_out_ends_the_session(app: Any, token: str) -> None:
    with TestClient(app, base_url=BASE) as client:
        csrf = sign_in(client, token)
        cookie = client.cookies.get("bw_session")
        response = client.post("/admin/logout", data={"csrf": csrf}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/admin/login"
        assert client.get("/admin/", follow_redirects=False).status_code == 303
    # The old cookie is dead on the server, not only forgotten by this browser.
    with TestClient(app, base_url=BASE, cookies={"bw_session": cookie or ""}) as replay:
        assert replay.get("/admin/", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("headers", [{}, {"origin": "https://evil.example"},
                                     {"sec-fetch-site": "cross-site"}])
def test_posts_need_the_form_token_and_this_sites_origin(
        app: Any, token: str, headers: dict[str, str],
        filled_site: FilledSite) -> None:
    filled = filled_site.filled
    with TestClient(app, base_url=BASE) as client:
        csrf = sign_in(client, token)
        path = f"/admin/review/{filled.held}/es/reject"
        data = {"csrf": csrf if headers else "wrong", "note": "csrf"}
        response = client.post(path, data=data, headers=headers)
        assert response.status_code == 403 and "form has expired" in response.text
        assert client.post(f"/admin/sources/{filled.source_id}/pause", data={},
                           headers=headers).status_code == 403
    detail = filled_site.store.get_item(filled.held)
    assert detail is not None and detail.state == "held"
    source = filled_site.store.get_source(filled.source_id)
    assert source is not None and source.active


def test_same_origin_posts_with_the_form_token_pass(app: Any, token: str) -> None:
    with TestClient(app, base_url=BASE) as client:
        csrf = sign_in(client, token)
        response = client.post("/admin/sources/add",
                               data={"csrf": csrf, "url": "ftp://bad.example/", "targets": "en"},
                               headers={"origin": BASE, "sec-fetch-site": "same-origin"})
    assert response.status_code == 400 and "http" in response.text  # judged, not refused


def test_admin_pages_are_never_cached(app: Any, token: str) -> None:
    with TestClient(app, base_url=BASE) as client:
        sign_in(client, token)
        for path in [*ADMIN_PAGES[:2], "/admin/login", "/admin/nowhere"]:
            first, second = client.get(path), client.get(path)
            assert first.headers["cache-control"] == "no-store", path
            assert "x-cache" not in first.headers and "x-cache" not in second.headers, path
    assert len(app.state.page_cache) == 0


def test_admin_pages_need_nothing_the_policy_forbids(app: Any, token: str,
                                                     filled_site: FilledSite
                                                     ) -> None:
    with TestClient(app, base_url=BASE) as client:
        sign_in(client, token)
        for path in ["/admin/", "/admin/review", f"/admin/review/{filled_site.filled.held}/es",
                     "/admin/sources", "/admin/usage", "/admin/login"]:
            response = client.get(path)
            csp = response.headers["content-security-policy"]
            assert "form-action 'self'" in csp and "script-src" not in csp
            doc = lxml.html.fromstring(response.content)
            assert not doc.xpath("//script | //style | //*[@style]"), path
            assert not [a for el in doc.iter() if isinstance(el.tag, str)
                        for a in el.attrib if a.startswith("on")], path
            assert doc.xpath("//main[@id='main']") and doc.xpath("//header[@role='banner']")
            # every form control has a label (hidden fields and buttons excepted)
            for control in doc.xpath("//input[not(@type='hidden')] | //textarea"):
                assert doc.xpath(f"//label[@for='{control.get('id')}']"), (path, control.attrib)


def test_the_public_side_takes_no_posts(app: Any) -> None:
    with TestClient(app, base_url=BASE) as client:
        for path in ["/", "/es/", "/es/search", "/api/v1/articles?lang=es", "/es/feed.xml"]:
            assert client.post(path).status_code == 405, path


def test_the_json_endpoints_take_a_bearer_token(app: Any, token: str,
                                                filled_site: FilledSite) -> None:
    with TestClient(app, base_url=BASE) as client:
        assert client.get("/admin/api/queue").status_code == 401
        bad = client.get("/admin/api/queue", headers={"authorization": "Bearer bw_nope"})
        assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"
        assert bad.json() == {"detail": "A valid bearer token is required."}
        auth = {"authorization": f"Bearer {token}"}
        queue = client.get("/admin/api/queue", headers=auth)
        assert queue.status_code == 200 and queue.headers["cache-control"] == "no-store"
        body = queue.json()
        assert body["total"] >= 1
        assert {"item_id", "lang", "status", "failed", "title"} <= set(body["items"][0])
        # a session cookie is not enough for the JSON endpoints (they take no form token)
        sign_in(client, token)
        assert client.get("/admin/api/queue").status_code == 401
    assert "/admin" not in str(app.openapi())


def test_bad_bearer_tokens_are_throttled_like_sign_ins(app: Any, token: str) -> None:
    with TestClient(app, base_url=BASE) as client:
        for _ in range(3):
            assert client.get("/admin/api/queue",
                              headers={"authorization": "Bearer bw_x"}).status_code == 401
        response = client.get("/admin/api/queue", headers={"authorization": f"Bearer {token}"})
        assert response.status_code == 429 and response.json()["detail"].startswith("Too many")
