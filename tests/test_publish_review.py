"""The editor's path through the admin pages, in process: the queue, a held translation beside
its original with the failed checks and the damaged blocks marked, an edit sanitised on the way
in, then approval (published on the site, in the feeds, the API and search at once, and handed
to the approval hook) or rejection."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import lxml.html
import pytest

from babelwire.models import TranslationStatus
from babelwire.publish import create_app
from babelwire.store import Store
from babelwire.store.review import Approval
from babelwire.store.tables import utcnow
from tests.helpers.articles import garbled_chips, hostile, load_article, reference_translation
from tests.helpers.site import BASE, FORBIDDEN, FilledSite, TestClient, csrf_of, sign_in
from tests.helpers.store import MIXED_HELD_TITLE, Filled, add_article, add_garbled


@dataclass(frozen=True)
class Site:
    """The app under test, its store and what it holds."""

    app: Any
    store: Store
    filled: Filled
    garbled: int
    hostile_held: int
    approvals: list[Approval]
    token: str


@pytest.fixture
def site(fresh_site: FilledSite) -> Site:
    """A filled store with also the garbled held translation and a held copy of the hostile
    article; the app's page cache never revalidates by itself (check_every=1 h), so only the
    admin views' own invalidation can make a change show."""
    settings, store, filled = fresh_site
    garbled = add_garbled(store)
    article, translation = hostile()
    hostile_held = add_article(store, replace(article, url="https://circuitdaily.example/h2"),
                               [replace(translation, status=TranslationStatus.HELD)],
                               source_url="https://circuitdaily.example/feed.xml",
                               source_name="Circuit Daily")
    approvals: list[Approval] = []
    app = create_app(settings, store, on_approve=approvals.append)
    app.state.page_cache.check_every = 3600.0
    _, token = store.create_token("alice")
    return Site(app, store, filled, garbled, hostile_held, approvals, token)


@pytest.fixture
def client(site: Site) -> Iterator[TestClient]:
    """A signed-in editor's browser."""
    with TestClient(site.app, base_url=BASE) as c:
        sign_in(c, site.token)
        yield c


# The public site's hostile-content patterns, less the form controls an admin page is made of.
INJECTED = [p for p in FORBIDDEN if "form" not in p.pattern]


def assert_inert(html: str, where: str) -> None:
    """No injected markup, handler or URL in ``html``; every form posts to the admin pages."""
    for pattern in INJECTED:
        match = pattern.search(html)
        assert match is None, f"{where}: {html[max(0, match.start() - 80):match.end() + 80]!r}"
    actions = lxml.html.fromstring(html).xpath("//form/@action")
    assert actions and all(a.startswith("/admin/") for a in actions), actions


def doc_of(client: TestClient, path: str, status: int = 200) -> lxml.html.HtmlElement:
    """GET an admin page."""
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return lxml.html.fromstring(response.content)


def text(node: Any) -> str:
    """Normalised text of a node."""
    return " ".join(node.text_content().split())


def test_the_queue_lists_what_waits_with_its_failed_checks(client: TestClient,
                                                           site: Site) -> None:
    doc = doc_of(client, "/admin/review")
    rows = doc.xpath("//table[@class='queue']/tbody/tr")
    links = [r.xpath(".//a/@href")[0] for r in rows]
    for path in (f"/admin/review/{site.garbled}/es", f"/admin/review/{site.filled.vivienda}/ca",
                 f"/admin/review/{site.filled.held}/es"):
        assert path in links
    garbled = rows[links.index(f"/admin/review/{site.garbled}/es")]
    assert "protected_names" in text(garbled) and "link_targets" in text(garbled)
    assert load_article("en-chips").title in text(garbled)
    assert "en → es" in text(garbled)
    assert MIXED_HELD_TITLE in text(doc)


def test_the_review_page_puts_the_translation_beside_the_original_and_marks_the_damage(
        client: TestClient, site: Site) -> None:
    doc = doc_of(client, f"/admin/review/{site.garbled}/es")
    original, machine = load_article("en-chips"), garbled_chips()
    pairs = doc.xpath("//div[contains(@class,'review-pairs')]/div[@class!='pair head']")
    assert len(pairs) == 4
    left = [text(p.xpath("./div[@class='col-original']")[0]) for p in pairs]
    right = [text(p.xpath("./div[@class='col-translation']")[0]) for p in pairs]
    assert left == [" ".join(line.split()) for line in original.text.splitlines()]
    assert right == [" ".join(line.split()) for line in machine.text.splitlines()]
    failed = {text(li) for li in doc.xpath("//li[@class='check-failed']")}
    for check in machine.checks:
        if not check.ok:
            assert f"Failed: {check.name} — {check.detail}" in failed
    flagged = [p for p in pairs if "flagged" in p.get("class")]
    assert flagged == pairs[:1]  # the damage is all in the first paragraph
    problems = [text(li) for li in flagged[0].xpath(".//ul[@class='flags']/li")]
    assert problems == ["link to https://www.bloomberg.com/ missing",
                        "name “The Information” missing"]
    textarea = doc.xpath("//textarea[@name='html']")[0]
    assert textarea.text == machine.html and doc.xpath("//label[@for='html']")
    assert doc.xpath("//form[contains(@action,'/approve')]//button")
    assert doc.xpath("//form[contains(@action,'/reject')]//input[@name='note']")


def test_a_held_hostile_translation_stays_inert_on_the_review_page(client: TestClient,
                                                                    site: Site) -> None:
    response = client.get(f"/admin/review/{site.hostile_held}/es")
    assert response.status_code == 200
    # The stored HTML is shown for editing as text: escaped inside the textarea, so the browser
    # never parses it; everything outside the textarea passes the site's own hostile-content test.
    raw = re.search(r"(<textarea[^>]*>)(.*?)</textarea>", response.text, re.S)
    assert raw is not None and "<" not in raw[2] and "&lt;script" in raw[2]
    assert_inert(response.text.replace(raw[0], ""), "review page")
    doc = lxml.html.fromstring(response.content)
    assert "<script" in doc.xpath("//textarea[@name='html']")[0].text


DIRTY = ('<p onclick="x()">Apple <b>prevé</b> <a href="/informe" style="color:red">un '
         'módem</a><script>alert(1)</script></p><iframe src="https://evil.example"></iframe>'
         '<h2>Qualcomm</h2><p><a href="javascript:alert(1)">enlace</a></p>')


@pytest.mark.parametrize(("which", "relative"), [
    ("garbled", ' href="https://circuitdaily.example/informe"'),
    # the hostile original has no safe address to resolve a relative link against
    ("hostile_held", "")])
def test_an_edit_is_sanitised_to_the_article_tag_set(client: TestClient, site: Site,
                                                      which: str, relative: str) -> None:
    item_id = getattr(site, which)
    path = f"/admin/review/{item_id}/es"
    csrf = csrf_of(client.get(path).text)
    response = client.post(path + "/edit", follow_redirects=True, data={
        "csrf": csrf, "title": "Apple <em>y</em> su módem", "html": DIRTY})
    assert response.status_code == 200 and "Your edit was saved" in response.text
    saved = site.store.get_review(item_id, "es")
    assert saved is not None and saved.human_edited and saved.edited_by == "alice"
    assert saved.title == "Apple y su módem"
    assert saved.html == (f'<p>Apple prevé <a{relative}>un módem</a></p><h2>Qualcomm</h2>'
                          '<p><a>enlace</a></p>')
    assert saved.status == TranslationStatus.HELD
    assert_inert(response.text, "review page after the edit")  # the edit box is clean too


def test_an_edit_needs_a_title_and_some_text(client: TestClient, site: Site) -> None:
    path = f"/admin/review/{site.filled.held}/es"
    csrf = csrf_of(client.get(path).text)
    response = client.post(path + "/edit", data={"csrf": csrf, "title": "T",
                                                 "html": "<script>only()</script>"})
    assert response.status_code == 400 and "needs a title and some text" in response.text
    assert "only()" in lxml.html.fromstring(response.content).xpath("//textarea")[0].text
    kept = site.store.get_review(site.filled.held, "es")
    assert kept is not None and not kept.human_edited


def test_fixing_and_approving_publishes_at_once_everywhere(client: TestClient,
                                                            site: Site) -> None:
    # the second human translation: its title differs from the one already published
    fixed = reference_translation("en-chips", "es", second=True)
    for path in ("/es/", "/es/feed.xml", "/api/v1/articles?lang=es"):
        assert fixed.title not in client.get(path).text  # now held in the page cache
    review = f"/admin/review/{site.garbled}/es"
    csrf = csrf_of(client.get(review).text)
    saved = client.post(review + "/edit", data={"csrf": csrf, "title": fixed.title,
                                                "html": fixed.html}, follow_redirects=True)
    doc = lxml.html.fromstring(saved.content)
    assert not doc.xpath("//div[contains(@class,'flagged')]")  # the fix cleared every mark
    done = client.post(review + "/approve", data={"csrf": csrf}, follow_redirects=True)
    assert done.status_code == 200 and "Approved" in done.text
    link = lxml.html.fromstring(done.content).xpath("//p[@class='message']/a/@href")
    assert link == [f"/es/a/{site.garbled}"]
    article = client.get(link[0], follow_redirects=True)
    assert article.status_code == 200 and fixed.title in article.text
    assert "The Information" in article.text
    for path in ("/es/", "/es/feed.xml", "/api/v1/articles?lang=es",
                 "/es/search?q=Information"):
        assert fixed.title in client.get(path).text, path
    approval = site.approvals[-1]
    assert approval.item_id == site.garbled and approval.human_edited
    assert approval.machine_html == garbled_chips().html and approval.html == fixed.html
    assert f"/admin/review/{site.garbled}/es" not in client.get("/admin/review").text


def test_rejecting_keeps_the_translation_off_the_site(client: TestClient, site: Site) -> None:
    viv = site.filled.vivienda
    review = f"/admin/review/{viv}/ca"
    csrf = csrf_of(client.get(review).text)
    done = client.post(review + "/reject", data={"csrf": csrf, "note": "calc del castellà"},
                       follow_redirects=True)
    assert done.status_code == 200 and "Rejected" in done.text
    assert client.get(f"/api/v1/articles/{viv}/ca").status_code == 404
    assert review not in client.get("/admin/review").text
    page = doc_of(client, review)  # still viewable, with nothing left to decide
    assert "rejected by alice: calc del castellà" in text(page)
    assert not page.xpath("//form[contains(@action,'/approve')]")
    again = client.post(review + "/approve", data={"csrf": csrf})
    assert again.status_code == 409 and "no longer waiting for review" in again.text


def test_unknown_translations_are_not_found(client: TestClient, site: Site) -> None:
    doc_of(client, f"/admin/review/{site.filled.chips}/de", status=404)
    doc_of(client, "/admin/review/999999/es", status=404)
    doc_of(client, "/admin/review/1/not a lang", status=404)
    csrf = csrf_of(client.get("/admin/review").text)
    assert client.post("/admin/review/999999/es/approve", data={"csrf": csrf}).status_code == 409


def test_an_oversized_edit_is_refused_whole(client: TestClient, site: Site) -> None:
    path = f"/admin/review/{site.filled.held}/es"
    csrf = csrf_of(client.get(path).text)
    response = client.post(path + "/edit", data={"csrf": csrf, "title": "x" * 2001,
                                                 "html": "<p>texto</p>"})
    assert response.status_code == 422 and "The form was not valid" in response.text
    kept = site.store.get_review(site.filled.held, "es")
    assert kept is not None and not kept.human_edited


def test_the_dashboard_counts_and_names_failing_sources(client: TestClient, site: Site) -> None:
    source = site.store.get_source(site.filled.source_id)
    assert source is not None
    site.store.record_poll(source.id, next_poll_at=utcnow() + timedelta(minutes=15),
                           error="HTTP 503 from circuitdaily.example")
    doc = doc_of(client, "/admin/")
    counts = {text(r.xpath("./th")[0]): int(text(r.xpath("./td")[0]))
              for r in doc.xpath("//table[caption='Articles by state']/tbody/tr")}
    summary = site.store.summary()
    assert counts == {state: summary["items"].get(state, 0) for state in counts}
    assert counts["published"] >= 2
    waiting = re.search(r"(\d+) translation\(s\) waiting", text(doc))
    assert waiting is not None and int(waiting[1]) >= 1
    failing = doc.xpath("//section[h2='Sources with errors']//tbody/tr")
    assert len(failing) == 1 and "HTTP 503 from circuitdaily.example" in text(failing[0])
    assert "Circuit Daily" in text(failing[0])


def test_scripts_approve_and_reject_with_a_bearer_token(site: Site) -> None:
    auth = {"authorization": f"Bearer {site.token}"}
    with TestClient(site.app, base_url=BASE) as script:
        approved = script.post(f"/admin/api/review/{site.filled.held}/es/approve", headers=auth)
        assert approved.status_code == 200
        body = approved.json()
        assert body["status"] == "published" and body["approval"]["editor"] == "alice"
        assert body["approval"]["source_html"] == load_article("en-chips").html
        assert site.approvals[-1].item_id == site.filled.held
        assert script.get(f"/api/v1/articles/{site.filled.held}/es").status_code == 200
        again = script.post(f"/admin/api/review/{site.filled.held}/es/approve", headers=auth)
        assert again.status_code == 409 and "no longer waiting" in again.json()["detail"]
        rejected = script.post(f"/admin/api/review/{site.garbled}/es/reject", headers=auth,
                               json={"note": "publication name translated"})
        assert rejected.status_code == 200 and rejected.json() == {"status": "rejected"}
        detail = site.store.get_review(site.garbled, "es")
        assert detail is not None and detail.reason == \
            "rejected by alice: publication name translated"
        queue = script.get("/admin/api/queue", headers=auth).json()
        assert {(i["item_id"], i["lang"]) for i in queue["items"]} == {
            (site.filled.vivienda, "ca"), (site.hostile_held, "es")}
