"""Publishing into a real WordPress (Debian's package, started by tests/services_wordpress.py):
the whole life of a post, kept in step with the store."""

from __future__ import annotations

from pathlib import Path

from babelwire.models import TranslationStatus
from babelwire.settings import Settings
from babelwire.store import Store
from tests.helpers.articles import hostile, reference_translation
from tests.helpers.http import LocalServer, reply
from tests.helpers.site import FORBIDDEN
from tests.helpers.store import add_article, retranslate
from tests.helpers.wordpress import add_chips, add_target, png, posts, rest, sync
from tests.services_wordpress import WordPressServer


def test_a_translation_becomes_a_post_with_attribution_image_and_language(
        local: Settings, store: Store, server: LocalServer, wordpress: WordPressServer,
        tmp_path: Path) -> None:
    server.routes["/lead.png"] = reply(200, png(), Content_Type="image/png")
    [item] = add_chips(store, 1, image=server.url("/lead.png"))
    target = add_target(store, wordpress, tmp_path)
    report = sync(local, store, target)
    assert report.done == {"created": 1} and not report.errors and not report.stopped
    [record] = store.target_posts(target.id)
    post = rest(wordpress, f"posts/{record.post_id}")
    own = store.published_article(item, "es")
    assert own is not None
    assert post["status"] == "publish" and post["title"]["raw"] == own.title
    content = post["content"]["raw"]
    assert "Apple prevé incorporar su propio módem" in content   # the translation itself
    assert "babelwire-attribution" in content and own.notice in content
    assert f'href="{own.original_url}"' in content and own.site_name in content
    assert post["date_gmt"] == "2024-03-01T08:00:00"              # the original's date
    assert post["slug"].endswith(f"-bw{item}-es")
    assert post["meta"]["babelwire_original_url"] == own.original_url
    assert post["meta"]["babelwire_source_lang"] == "en"
    assert post["meta"]["babelwire_engine"] == own.engine
    assert post["meta"]["babelwire_author"] == own.author
    categories = {c["id"]: c for c in rest(wordpress, "categories", per_page=100)}
    names = {categories[c]["slug"]: categories[c]["name"] for c in post["categories"]}
    assert names == {f"bw-source-{own.source_id}": "Circuit Daily", "bw-lang-es": "Español"}
    media = rest(wordpress, f"media/{post['featured_media']}")
    assert media["mime_type"] == "image/png" and "Circuit Daily" in media["caption"]["raw"]
    assert server.paths().count("/lead.png") == 1


def test_a_rerun_makes_no_second_post_and_an_edit_updates_its_post(
        local: Settings, store: Store, server: LocalServer, wordpress: WordPressServer,
        tmp_path: Path) -> None:
    server.routes["/lead.png"] = reply(200, png(), Content_Type="image/png")
    items = add_chips(store, 3, image=server.url("/lead.png"))
    target = add_target(store, wordpress, tmp_path)
    assert sync(local, store, target).done == {"created": 3}
    before = posts(wordpress)
    again = sync(local, store, target)
    assert again.total == 0 and posts(wordpress) == before
    retranslate(store, items[1], [reference_translation("en-chips", "es", second=True)])
    edited = sync(local, store, target)
    assert edited.done == {"updated": 1}
    after = posts(wordpress)
    assert [p[0] for p in after] == [p[0] for p in before]       # the same three posts
    changed = [a for a, b in zip(after, before, strict=True) if a != b]
    assert len(changed) == 1 and changed[0][1] == "publish"
    assert len(rest(wordpress, "media", per_page=100)) == 3       # each image uploaded once
    assert server.paths().count("/lead.png") == 3


def test_held_translations_are_never_published_and_go_as_drafts_only_when_asked(
        local: Settings, store: Store, wordpress: WordPressServer, tmp_path: Path) -> None:
    add_chips(store, 2)
    held = add_chips(store, 1, status=TranslationStatus.HELD)
    plain = add_target(store, wordpress, tmp_path)
    assert sync(local, store, plain).done == {"created": 2}
    assert [p[1] for p in posts(wordpress)] == ["publish", "publish"]
    store.remove_target(plain.id)
    wordpress.empty()
    drafts = add_target(store, wordpress, tmp_path, drafts=True)
    assert sync(local, store, drafts).done == {"created": 3}
    statuses = {p[2]: p[1] for p in posts(wordpress)}
    assert statuses[next(s for s in statuses if s.endswith(f"bw{held[0]}-es"))] == "draft"
    assert sorted(statuses.values()) == ["draft", "publish", "publish"]


def test_a_takedown_trashes_the_post(local: Settings, store: Store, wordpress: WordPressServer,
                                     tmp_path: Path) -> None:
    items = add_chips(store, 2)
    target = add_target(store, wordpress, tmp_path)
    sync(local, store, target)
    item = store.get_item(items[0])
    assert item is not None
    store.take_down(item.url, "complaint")
    assert sync(local, store, target).done == {"trashed": 1}
    assert sorted(p[1] for p in posts(wordpress)) == ["publish", "trash"]
    assert sync(local, store, target).total == 0
    counts = store.target_counts(target.id)
    assert (counts.published, counts.trashed, counts.pending) == (1, 1, 0)


def test_a_new_target_receives_the_backlog_in_order_with_progress(
        local: Settings, store: Store, wordpress: WordPressServer, tmp_path: Path) -> None:
    items = add_chips(store, 5)
    target = add_target(store, wordpress, tmp_path)
    lines: list[str] = []
    assert sync(local, store, target, lines).done == {"created": 5}
    assert lines[0] == f"→ {wordpress.url}: 5 post(s) to bring in step"
    assert [line.split("]")[0].strip() for line in lines[1:]] == [f"[{i}/5" for i in range(1, 6)]
    made = posts(wordpress)
    # the oldest translation first: post ids rise with the items
    assert [p[2].rsplit("-bw", 1)[1] for p in made] == [f"{i}-es" for i in items]


def test_a_hostile_translation_reaches_wordpress_harmless(
        local: Settings, store: Store, wordpress: WordPressServer, tmp_path: Path) -> None:
    article, translation = hostile()
    item = add_article(store, article, [translation], source_name="<b onmouseover=alert(1)>X</b>")
    target = add_target(store, wordpress, tmp_path, languages=(translation.lang,))
    assert sync(local, store, target).done == {"created": 1}
    post = rest(wordpress, f"posts/{store.target_posts(target.id)[0].post_id}")
    assert post["slug"].endswith(f"-bw{item}-{translation.lang}")
    fields = [post["title"]["raw"], post["content"]["raw"], post["excerpt"]["raw"],
              *(c["name"] for c in rest(wordpress, "categories", per_page=100)),
              *(t["name"] for t in rest(wordpress, "tags", per_page=100))]
    for field in fields:
        assert not [p.pattern for p in FORBIDDEN if p.search(field)], field
