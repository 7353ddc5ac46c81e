"""``babelwire stories``: compare pairs of articles, list the stories in the store."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from babelwire.cli.common import open_store


@click.group()
def stories() -> None:
    """Stories: the same event told by several sources, in several languages."""


@stories.command()
@click.argument("pairs", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
def compare(pairs: Path) -> None:
    """Compare pairs of articles (JSON lines: id, lang1, lang2, title1, title2, text1, text2);
    print one JSON line per pair: {"id", "similarity", "same_story"}."""
    from babelwire.stories.compare import compare_lines, read_pairs

    if str(pairs) == "-":
        lines = sys.stdin.read().splitlines()
    else:
        lines = pairs.read_text(encoding="utf-8").splitlines()
    for line in compare_lines(read_pairs(lines, origin=str(pairs))):
        click.echo(line)


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
