"""``babelwire stories``: compare pairs of articles, list the stories in the store."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from babelwire.cli.common import app_context, open_store


@click.group()
def stories() -> None:
    """Stories: the same event told by several sources, in several languages."""


@stories.command()
@click.argument("pairs", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--translate/--no-translate", default=True, show_default=True,
              help="Compare two articles in two languages through their translations into "
                   "story_lang (as the pipeline does), else by the cross-language model.")
def compare(pairs: Path, translate: bool) -> None:
    """Compare pairs of articles (JSON lines: id, lang1, lang2, title1, title2, text1, text2);
    print one JSON line per pair: {"id", "similarity", "same_story"}."""
    from babelwire.run.stories import Translator
    from babelwire.stories.compare import compare_lines, read_pairs
    from babelwire.translate.router import build_router

    if str(pairs) == "-":
        lines = sys.stdin.read().splitlines()
    else:
        lines = pairs.read_text(encoding="utf-8").splitlines()
    found = read_pairs(lines, origin=str(pairs))
    settings = app_context().settings
    # the comparison needs the sense of the words, not the best wording: one route per pair
    router = build_router(settings.replace(route_choice=False)) if translate and any(
        p.first.lang != p.second.lang for p in found) else None
    try:
        translator = Translator(router, settings.story_lang) if router is not None else None
        for line in compare_lines(found, translator):
            click.echo(line)
    finally:
        if router is not None:
            router.close()


@stories.command(name="list")
@click.option("--limit", default=50, show_default=True, help="Stories to show at most.")
@click.option("--min-size", default=1, show_default=True,
              help="Only stories with at least this many articles.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per story.")
def list_stories(limit: int, min_size: int, as_json: bool) -> None:
    """List the stories in the store, most recently updated first."""
    with open_store() as store:
        found = store.list_stories(limit, min_size=min_size)
    for story in found:
        if as_json:
            click.echo(json.dumps({
                "id": story.id, "title": story.title, "updated": story.updated_at.isoformat(),
                "sources": list(story.sources), "languages": list(story.languages),
                "articles": [{"item": m.item_id, "source": m.source_name, "url": m.url,
                              "lang": m.lang, "title": m.title,
                              "duplicate_of": m.duplicate_of} for m in story.members]},
                ensure_ascii=False))
            continue
        click.echo(f"#{story.id} {story.title} — {len(story.members)} article(s), "
                   f"{len(story.sources)} source(s): {', '.join(story.sources)} "
                   f"[{', '.join(story.languages)}]")
        for m in story.members:
            copy = f" (copy of #{m.duplicate_of})" if m.duplicate_of else ""
            click.echo(f"  - {m.source_name or m.site_name} [{m.lang}] {m.title} {m.url}{copy}")
