"""``babelwire translate``: one-off translation of a page, URL or text file."""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

import click

from babelwire.cli.common import app_context, echo_err, one_lang, split_langs
from babelwire.cli.inputs import Input, extract_article, read_input
from babelwire.exceptions import ExtractError
from babelwire.models import Article, Translation, TranslationStatus
from babelwire.settings import Settings

if TYPE_CHECKING:
    from babelwire.models import GlossaryEntry
    from babelwire.store import Store
    from babelwire.translate.router import Router
    from babelwire.translate.usage import UsageMeter


def _text_article(data: Input, source_lang: str | None) -> tuple[Article, list[str]]:
    try:
        text = data.content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExtractError("a .txt input must be UTF-8", subject=data.url) from exc
    lines = text.splitlines()
    lang = source_lang or _detect("\n".join(lines), data.url)
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())
    return Article(url=data.url, title="", html=body, text="\n".join(lines), lang=lang), lines


def _detect(text: str, subject: str) -> str:
    from babelwire.extract.language import detect_language

    lang, _ = detect_language(text)
    if not lang:
        raise ExtractError("cannot tell the language; give --from", subject=subject)
    return lang


@click.command()
@click.argument("source", metavar="PATH_OR_URL")
@click.option("--to", "targets", required=True, callback=split_langs, metavar="LANG[,LANG...]",
              help="Target language(s), e.g. en,fr.")
@click.option("--from", "source_lang", callback=one_lang, metavar="LANG",
              help="Source language (default: detected).")
@click.option("--engine", "engine", metavar="NAME", help="Use only this engine (see `engines`).")
@click.option("--url", help="Address a saved page was fetched from.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option("--no-memory", is_flag=True,
              help="Neither read nor fill the translation memory of the data directory.")
def translate(source: str, targets: tuple[str, ...], source_lang: str | None,
              engine: str | None, url: str | None, as_json: bool, no_memory: bool) -> None:
    """Extract a page (or read a .txt file, one paragraph per line; - for standard input) and
    translate it into each target language, with fidelity checks and attribution.

    When the data directory has a store, its global glossary applies, its translation memory
    answers the sentences translated before (and keeps the new ones), and what the engines
    spent is counted (`babelwire usage`, source "(translate command)")."""
    from babelwire.run.translation import share_source, translate_article, translate_lines
    from babelwire.translate.router import build_router
    from babelwire.translate.usage import UsageMeter

    settings = app_context().settings
    if engine:
        settings = settings.replace(engines=(engine,))
    data = read_input(source, url, settings)
    if data.is_text:
        article, lines = _text_article(data, source_lang)
    else:
        article, lines = extract_article(data), []
        if source_lang:
            article = _replace_lang(article, source_lang)
    store = _existing_store(settings)
    router = build_router(settings)
    meter = UsageMeter()
    try:
        results = []
        shared = None if data.is_text else share_source(article)
        for target in targets:
            glossary, bound = _bind(router, store, meter, article.lang, target, no_memory)
            results.append(translate_lines(lines, article.lang, target, bound, glossary=glossary,
                                           max_foreign=settings.max_foreign_share)
                           if data.is_text else
                           translate_article(article, target, bound, glossary=glossary,
                                             max_foreign=settings.max_foreign_share,
                                             shared=shared))
    finally:
        router.close()
        if store is not None:
            try:
                store.add_usage(meter.totals(), source_id=None)
            finally:
                store.close()
    _print(article, results, as_json)
    if any(r.status == TranslationStatus.FAILED for r in results):
        raise SystemExit(1)


def _existing_store(settings: Settings) -> Store | None:
    """The data directory's store, if there is one (a one-off translation creates none)."""
    from babelwire.store import Store

    if not settings.database_url and not settings.sqlite_file.exists():
        return None
    return Store(settings.db_url)


def _bind(router: Router, store: Store | None, meter: UsageMeter, src: str, target: str,
          no_memory: bool) -> tuple[list[GlossaryEntry], Router]:
    """The global glossary for ``src`` -> ``target`` and a router using it, the store's memory
    (unless ``no_memory``) and ``meter``; without a store, no glossary and the router as is."""
    from babelwire.translate.glossary import glossary_version
    from babelwire.translate.memory import TranslationMemory

    if store is None:
        return [], router
    glossary = store.glossary_entries(None, src, target)
    memory = None if no_memory else TranslationMemory(store)
    return glossary, router.bind(memory=memory, meter=meter, glossary=glossary,
                                 glossary_version=glossary_version(glossary))


def _replace_lang(article: Article, lang: str) -> Article:
    from dataclasses import replace

    return replace(article, lang=lang)


def _print(article: Article, results: list[Translation], as_json: bool) -> None:
    if as_json:
        payload: dict[str, Any] = {"source": article.to_json(),
                                   "translations": [r.to_json() for r in results]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for r in results:
        echo_err(f"== {article.lang}→{r.lang} · {r.engine or '-'} · {r.status}")
        for check in r.checks:
            if not check.ok:
                echo_err(f"   check failed: {check.name}: {check.detail}")
        if r.reason:
            echo_err(f"   reason: {r.reason}")
        if r.title:
            click.echo(r.title + "\n")
        click.echo(r.text)
