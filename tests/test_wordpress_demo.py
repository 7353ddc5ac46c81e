"""The demo's sample sites, run through the whole embedded pipeline with a real WordPress as a
target: every translation becomes one post (a draft when held), a second run makes none, an
edit updates one post and a takedown trashes one."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

from babelwire.cli.demo import subscribe
from babelwire.demo.sites import SampleSitesServer
from babelwire.run.runner import Runner, RunReport
from babelwire.settings import Settings
from babelwire.store import Store
from tests.helpers.store import retranslate
from tests.helpers.wordpress import add_target, posts, rest
from tests.services_wordpress import WordPressServer


def _run(settings: Settings, store: Store, lines: list[str]) -> RunReport:
    runner = Runner(settings, store, progress=lines.append)
    try:
        return runner.run(once=True)
    finally:
        runner.close()


def test_the_demo_translations_become_one_post_each(
        settings: Settings, store: Store, sample_sites: SampleSitesServer,
        wordpress: WordPressServer, tmp_path: Path) -> None:
    settings = settings.replace(allowed_hosts=(f"127.0.0.1:{sample_sites.port}",))
    subscribe(store, sample_sites)
    target = add_target(store, wordpress, tmp_path, languages=("en", "es", "fr"), drafts=True)
    lines: list[str] = []
    first = _run(settings, store, lines)
    translations = list(store.iter_translations())
    statuses = Counter(status for _, _, status in translations)
    assert len(translations) == 46 and statuses["failed"] == statuses["rejected"] == 0
    assert first.target_posts == 46 and first.target_errors == []
    assert f"→ {wordpress.url}: 46 post(s) to bring in step" in lines
    made = posts(wordpress)
    assert Counter(p[1] for p in made) == Counter(
        {"publish": statuses["published"], "draft": statuses["held"]})
    assert len({p[2] for p in made}) == 46                       # one post per translation
    for post in rest(wordpress, "posts", per_page=100, status="publish,draft"):
        assert "babelwire-attribution" in post["content"]["raw"]
        assert post["meta"]["babelwire_lang"] in ("en", "es", "fr")
        original = post["meta"]["babelwire_original_url"]          # the canonical address
        assert original.startswith("http") and f'href="{original}"' in post["content"]["raw"]
    languages = {c["slug"]: c["count"] for c in rest(wordpress, "categories", per_page=100)
                 if c["slug"].startswith("bw-lang-")}
    published = Counter(lang for _, lang, status in translations if status == "published")
    assert languages == {f"bw-lang-{lang}": n for lang, n in published.items()}

    again = _run(settings, store, lines)
    assert again.target_posts == 0 and posts(wordpress) == made  # a second run: 0 new posts

    item_id, lang, _ = translations[-1]
    stored = store.load_translation(item_id, lang)
    assert stored is not None
    retranslate(store, item_id, [replace(stored, title="Edited by an editor")])
    edited = _run(settings, store, lines)
    assert edited.target_posts == 1
    changed = [p for p in posts(wordpress) if p not in made]
    assert [(p[1], p[3]) for p in changed] == [("publish", "Edited by an editor")]

    item = store.get_item(translations[0][0])
    assert item is not None
    withdrawn = len([t for t in translations if t[0] == item.id])
    store.take_down(item.url, "complaint")
    gone = _run(settings, store, lines)
    # the article's translations (one per language) are trashed, nothing else
    assert gone.target_posts == withdrawn == 2
    assert Counter(p[1] for p in posts(wordpress))["trash"] == withdrawn
    assert len(posts(wordpress)) == 46
    assert store.target_counts(target.id).pending == 0
