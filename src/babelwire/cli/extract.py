"""``babelwire extract``: one-off extraction of saved pages, URLs or standard input."""

from __future__ import annotations

import json

import click

from babelwire.cli.common import app_context, echo_err
from babelwire.cli.inputs import extract_article, read_input
from babelwire.exceptions import BabelwireError
from babelwire.rights.policy import decide


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="PATH_OR_URL...")
@click.option("--url", help="Address a saved page was fetched from (one input only).")
@click.option("--jsonl", is_flag=True, help="One JSON object per line instead of indented JSON.")
def extract(inputs: tuple[str, ...], url: str | None, jsonl: bool) -> None:
    """Extract the article of each page: clean HTML, text and metadata, as JSON.

    Prints {"url", "title", "author", "published", "site_name", "lang", "html", "text",
    "license", "access", "robots", "republish"} for each page: the page's licence (URL or
    null), access (free, paywalled or unknown), robots directives (meta and X-Robots-Tag),
    and the mode babelwire would republish it in, with the reason. A page that fails is
    reported on standard error and the others go on.
    """
    if url and len(inputs) > 1:
        raise click.UsageError("--url applies to a single input")
    settings, failures = app_context().settings, 0
    for spec in inputs:
        try:
            article = extract_article(read_input(spec, url, settings))
        except BabelwireError as exc:
            failures += 1
            echo_err(f"babelwire: error: {spec}: {exc}")
            continue
        policy = decide(article.rights, non_commercial=settings.non_commercial_site)
        record = {**article.to_json(), "republish": policy.to_json()}
        click.echo(json.dumps(record, ensure_ascii=False, indent=None if jsonl else 2))
    if failures:
        raise SystemExit(1)
