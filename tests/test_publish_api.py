"""The JSON API: its answers, its errors, and its OpenAPI schema checked by schemathesis."""

from __future__ import annotations

import warnings
from typing import Any

import hypothesis
import pytest

from babelwire.publish import create_app
from tests.helpers.articles import load_article, reference_translation
from tests.helpers.site import SITE, FilledSite, TestClient

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # schemathesis' own imports warn about their dependencies
    import schemathesis
    from schemathesis.core.result import Ok


@pytest.fixture(scope="module")
def app_options() -> dict[str, Any]:
    """No page cache, no rate limit in the way."""
    return {"cache": False, "api_rate": 1e6, "api_burst": 1_000_000}


def test_list_gives_published_translations_with_attribution(
        client: TestClient, filled_site: FilledSite) -> None:
    filled = filled_site.filled
    answer = client.get("/api/v1/articles", params={"lang": "en"}).json()
    assert answer["total"] == 1 and answer["limit"] == 20 and answer["offset"] == 0
    (item,) = answer["items"]
    original = load_article("es-vivienda")
    assert item["item_id"] == filled.vivienda and item["lang"] == "en"
    assert item["id"] == f"{SITE}/en/a/{filled.vivienda}"
    assert item["title"] == reference_translation("es-vivienda", "en").title
    assert item["url"].startswith(f"{SITE}/en/a/{filled.vivienda}-government-")
    assert item["api_url"] == f"{SITE}/api/v1/articles/{filled.vivienda}/en"
    assert item["source"]["name"] == "Noticias del Levante"
    attribution = item["attribution"]
    assert attribution["url"] == original.canonical_url
    assert attribution["site_name"] == original.site_name
    assert attribution["author"] == original.author
    assert attribution["title"] == original.title
    assert attribution["lang"] == "es"
    assert attribution["engine"] == "human-reference" and attribution["notice"]
    assert original.published is not None
    assert attribution["published"] == original.published.isoformat().replace("+00:00", "Z")
    assert "html" not in item


def test_list_filters_by_source_and_pages(client: TestClient,
                                          filled_site: FilledSite) -> None:
    filled = filled_site.filled
    everything = client.get("/api/v1/articles", params={"lang": "es"}).json()
    assert [i["item_id"] for i in everything["items"]] == [filled.hostile, filled.chips]
    second = client.get("/api/v1/articles",
                        params={"lang": "es", "limit": 1, "offset": 1}).json()
    assert second["total"] == 2 and [i["item_id"] for i in second["items"]] == [filled.chips]
    other = filled.source_id + 1
    assert client.get("/api/v1/articles",
                      params={"lang": "es", "source": other}).json()["total"] == 0
    assert client.get("/api/v1/articles", params={"lang": "es", "source": 999}).status_code == 404


def test_detail_gives_sanitised_html_text_languages_and_checks(
        client: TestClient, filled_site: FilledSite) -> None:
    filled = filled_site.filled
    detail = client.get(f"/api/v1/articles/{filled.vivienda}/fr").json()
    translation = reference_translation("es-vivienda", "fr")
    assert detail["title"] == translation.title
    assert detail["text"] == translation.text
    assert detail["html"].count("<p>") == 4
    assert 'href="https://www.lavanguardia.com/" rel="nofollow noopener"' in detail["html"]
    assert detail["languages"] == ["en", "fr"]
    assert detail["checks"] == [{"name": "links", "ok": True, "detail": "all links kept"}]


@pytest.mark.parametrize(("path", "status"), [
    ("/api/v1/articles", 422), ("/api/v1/articles?lang=es&limit=0", 422),
    ("/api/v1/articles?lang=es&limit=101", 422), ("/api/v1/articles?lang=<b>", 422),
    ("/api/v1/articles?lang=es&offset=-1", 422), ("/api/v1/articles?lang=es&offset=1001", 400),
    (f"/api/v1/articles?lang=es&offset={10**30}", 400), ("/api/v1/articles/0/es", 422),
    ("/api/v1/articles/99999999999/es", 422), ("/api/v1/articles/1/xx", 404),
    ("/api/v1/articles/999/es", 404), ("/api/v1/nothing", 404),
])
def test_bad_requests_get_json_errors(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert "detail" in response.json()


def test_sources_and_languages_list_only_what_is_published(
        client: TestClient, filled_site: FilledSite) -> None:
    sources = client.get("/api/v1/sources").json()
    assert [(s["name"], s["articles"]) for s in sources] == [
        ("Circuit Daily", {"es": 2}), ("Noticias del Levante", {"en": 1, "fr": 1})]
    languages = client.get("/api/v1/languages").json()
    assert languages == [{"code": "en", "name": "English", "articles": 1},
                         {"code": "es", "name": "Español", "articles": 2},
                         {"code": "fr", "name": "Français", "articles": 1}]


def test_openapi_schema_describes_the_api_only(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert set(schema["paths"]) == {"/api/v1/articles", "/api/v1/articles/{item_id}/{lang}",
                                    "/api/v1/sources", "/api/v1/languages", "/healthz",
                                    "/api/v1/stories", "/api/v1/stories/{story_id}"}
    assert all(set(ops) == {"get"} for ops in schema["paths"].values())
    assert client.get("/docs").status_code == 404  # Swagger UI would load a CDN


@pytest.fixture(scope="module")
def api(filled_site: FilledSite, app_options: dict[str, Any]) -> schemathesis.BaseSchema:
    """The app's OpenAPI schema, loaded by schemathesis from the app itself (in process)."""
    app = create_app(filled_site.settings, filled_site.store, **app_options)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_api_conforms_to_its_openapi_schema(api: schemathesis.BaseSchema) -> None:
    """schemathesis generates valid and invalid requests for every operation and checks every
    answer against the schema (status codes, content types, bodies, no server errors).

    Driven through hypothesis directly: schemathesis' pytest plugin does not run on pytest 9.
    """
    operations = []
    for result in api.get_all_operations():
        assert isinstance(result, Ok), f"invalid operation in the schema: {result.err()}"
        operations.append(result.ok())
    assert len(operations) == 7
    for operation in operations:
        @hypothesis.given(case=operation.as_strategy())
        @hypothesis.settings(max_examples=25, deadline=None, database=None,
                             suppress_health_check=list(hypothesis.HealthCheck))
        def check(case: schemathesis.Case[Any]) -> None:
            case.call_and_validate()

        check()


def test_the_list_counts_a_bounded_number_and_pages_by_cursor(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from babelwire.publish.views import api

    first = client.get("/api/v1/articles", params={"lang": "en", "limit": 1}).json()
    assert first["total"] == 1 and first["next"] is None
    monkeypatch.setattr(api, "COUNT_UP_TO", 1)  # more than this many: not counted
    everything = client.get("/api/v1/articles", params={"lang": "es", "limit": 1}).json()
    assert everything["total"] is None and everything["next"]
    after = client.get("/api/v1/articles",
                       params={"lang": "es", "limit": 1, "before": everything["next"]}).json()
    assert after["total"] is None and len(after["items"]) == 1
    assert after["items"][0]["item_id"] != everything["items"][0]["item_id"]
    assert after["next"] is None  # two published translations into Spanish


def test_offset_pages_stop_where_the_count_stops_and_point_to_the_cursor(
        client: TestClient) -> None:
    from babelwire.publish.views.api import COUNT_UP_TO, MAX_OFFSET

    assert MAX_OFFSET == COUNT_UP_TO == 1000
    last = client.get("/api/v1/articles", params={"lang": "es", "offset": MAX_OFFSET})
    assert last.status_code == 200 and last.json()["items"] == []
    deeper = client.get("/api/v1/articles", params={"lang": "es", "offset": MAX_OFFSET + 1})
    assert deeper.status_code == 400
    assert deeper.json() == {"detail": "offset is at most 1,000: page further with "
                                       "before=<next>, the next of the previous page, which "
                                       "costs the same however deep."}
    listed = client.get("/openapi.json").json()["paths"]["/api/v1/articles"]["get"]
    assert "before" in listed["responses"]["400"]["description"]
    (offset,) = [p for p in listed["parameters"] if p["name"] == "offset"]
    assert offset["schema"]["maximum"] == 1000 and "before" in offset["description"]
