"""The reader's site: language chooser, front pages, article pages (plain and side by side with
the original), source pages. Handlers are plain ``def``: FastAPI runs them in its thread pool,
which is where the store's blocking calls belong."""

from __future__ import annotations

import itertools
import re
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from babelwire import i18n
from babelwire.publish.context import Context, Ctx
from babelwire.publish.feeds import FORMATS
from babelwire.publish.present import (
    MAX_ID,
    Entry,
    article_path,
    front_path,
    older_path,
    parse_cursor,
    shown_title,
    slugify,
    source_path,
)
from babelwire.publish.sanitize import blocks, plain_text
from babelwire.publish.seo import article_jsonld, article_og, listing_og
from babelwire.publish.views.stories import AlsoReported, also_reported, story_cards
from babelwire.store.site import MAX_SKIP, ArticlePage

router = APIRouter(include_in_schema=False)
_REF = re.compile(r"^(\d{1,9})(?:-(.*))?$")
# Ids and page numbers beyond 32-bit integers are refused before they reach the database.
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def feed_links(ctx: Context, base: str) -> list[tuple[str, str, str]]:
    """(label, media type, absolute URL) of the feeds under ``base`` (``/es/`` ...)."""
    return [(f.label, f.bare_type, ctx.absolute(base + f.file)) for f in FORMATS]


@router.get("/", response_class=HTMLResponse)
def chooser(ctx: Ctx) -> Response:
    """The root: one language goes straight to its front page, several get a chooser."""
    langs = ctx.store.published_languages()
    if len(langs) == 1:
        return RedirectResponse(front_path(langs[0]), status_code=302)
    counts = ctx.store.language_counts()
    choices = [(code, i18n.language_name(code), front_path(code), counts.get(code, 0))
               for code in langs]
    alternates = [(code, ctx.absolute(front_path(code))) for code in langs]
    return ctx.render("chooser.html", "en", page_title=ctx.settings.site_title, choices=choices,
                      alternates=alternates, canonical=ctx.absolute("/"), home="/",
                      sources_href="", switcher=ctx.switcher(langs, ""))


def _listing(ctx: Context, lang: str, page: int, source_id: int | None = None,
             cursor: str | None = None) -> Response:
    """A page of newest translations: numbered (``page``, kept for old links) or after a
    keyset ``cursor`` (what "older" links use: every page costs the same, however deep)."""
    langs = ctx.check_lang(lang)
    t = i18n.labels(lang)
    heading = t["latest"] if source_id is None else _source_name(ctx, source_id)

    def path_of(code: str, n: int = 1) -> str:
        return front_path(code, n) if source_id is None else source_path(code, source_id, n)

    before = None
    if cursor is not None:
        before = parse_cursor(cursor)
        if before is None:
            raise HTTPException(status_code=404)
    elif (page - 1) * ctx.page_size > MAX_SKIP:
        raise HTTPException(status_code=404)    # no numbered page that deep (store's MAX_SKIP)
    # One row more than a page says whether there is an older page: no count of all rows.
    rows = ctx.store.published_articles(
        lang, limit=ctx.page_size + 1, offset=0 if before else (page - 1) * ctx.page_size,
        source_id=source_id, before=before, brief=True)
    if not rows and (page > 1 or before is not None):
        raise HTTPException(status_code=404)
    entries = ctx.entries(rows[:ctx.page_size])
    older = ""
    if len(rows) > ctx.page_size:
        older = older_path(path_of(lang), entries[-1].article)
    coverage: dict[int, AlsoReported] = {}
    if source_id is None and ctx.settings.front_page_stories:
        entries, coverage = story_cards(ctx, entries, lang)
    paths = {code: path_of(code) for code in langs}
    first = page == 1 and before is None
    title = heading if first else f"{heading} · {t['page']} {page}" if before is None \
        else f"{heading} · {t['older']}"
    canonical = ctx.absolute(path_of(lang, page) if before is None
                             else older_path(path_of(lang), before))
    newer = "" if first else path_of(lang, page - 1) if before is None else path_of(lang)
    return ctx.render(
        "listing.html", lang, heading=heading, entries=entries, coverage=coverage,
        page=page if before is None
        else 0, page_title=f"{title} · {ctx.settings.site_title}", canonical=canonical,
        newer=newer, older=older,
        alternates=[(c, ctx.absolute(p)) for c, p in paths.items()] if first else [],
        switcher=ctx.switcher(langs, lang, paths),
        feeds=feed_links(ctx, path_of(lang).rstrip("/") + "/"),
        og=listing_og(title, canonical, lang, ctx.settings.site_title))


def _source_name(ctx: Context, source_id: int) -> str:
    name = ctx.store.source_name(source_id)
    if name is None:
        raise HTTPException(status_code=404)
    return plain_text(name)


@router.get("/{lang}/", response_class=HTMLResponse)
def front(lang: str, ctx: Ctx) -> Response:
    """A language's front page: its newest translations."""
    return _listing(ctx, lang, 1)


@router.get("/{lang}/page/{page}", response_class=HTMLResponse)
def front_page(lang: str, page: Id, ctx: Ctx) -> Response:
    """Later pages of a language's front page (page 1 lives at ``/{lang}/``)."""
    if page == 1:
        return RedirectResponse(front_path(lang), status_code=301)
    return _listing(ctx, lang, page)


@router.get("/{lang}/older/{cursor}", response_class=HTMLResponse)
def front_older(lang: str, cursor: str, ctx: Ctx) -> Response:
    """A language's translations older than the keyset position ``cursor``."""
    return _listing(ctx, lang, 1, cursor=cursor)


@router.get("/{lang}/sources/", response_class=HTMLResponse)
def sources(lang: str, ctx: Ctx) -> Response:
    """The sources with translations into ``lang``."""
    langs = ctx.check_lang(lang)
    counts = ctx.store.public_counts()
    rows = [(plain_text(s.name), source_path(lang, s.id), counts[s.id][lang])
            for s in ctx.store.list_sources(items=False) if counts.get(s.id, {}).get(lang)]
    paths = {code: f"/{code}/sources/" for code in langs}
    return ctx.render("sources.html", lang, sources=rows,
                      page_title=f"{i18n.labels(lang)['sources']} · {ctx.settings.site_title}",
                      canonical=ctx.absolute(f"/{lang}/sources/"),
                      switcher=ctx.switcher(langs, lang, paths))


@router.get("/{lang}/sources/{source_id}", response_class=HTMLResponse)
def source(lang: str, source_id: Id, ctx: Ctx) -> Response:
    """One source's translations into ``lang``."""
    return _listing(ctx, lang, 1, source_id)


@router.get("/{lang}/sources/{source_id}/older/{cursor}", response_class=HTMLResponse)
def source_older(lang: str, source_id: Id, cursor: str, ctx: Ctx) -> Response:
    """A source's translations older than the keyset position ``cursor``."""
    return _listing(ctx, lang, 1, source_id, cursor=cursor)


@router.get("/{lang}/sources/{source_id}/page/{page}", response_class=HTMLResponse)
def source_page(lang: str, source_id: Id, page: Id, ctx: Ctx) -> Response:
    """Later pages of a source."""
    if page == 1:
        return RedirectResponse(source_path(lang, source_id), status_code=301)
    return _listing(ctx, lang, page, source_id)


def _entry(ctx: Context, lang: str, ref: str, suffix: str = ""
           ) -> tuple[Entry, ArticlePage] | RedirectResponse:
    match = _REF.match(ref)
    if match is None:
        raise HTTPException(status_code=404)
    page = ctx.store.article_page(int(match[1]), lang)
    if page is None:
        raise HTTPException(status_code=404)
    entry = ctx.entries([page.article])[0]
    if (match[2] or "") != slugify(entry.title):
        # The id decides; a missing or outdated slug (the title was re-translated) redirects.
        return RedirectResponse(entry.path + suffix, status_code=301)
    return entry, page


def _article_values(ctx: Context, entry: Entry, page: ArticlePage,
                    suffix: str) -> dict[str, Any]:
    paths = {code: article_path(code, entry.item_id, shown_title(title, original)) + suffix
             for code, title, original in page.others}
    paths[entry.lang] = entry.path + suffix
    return {"e": entry, "page_title": f"{entry.title} · {ctx.settings.site_title}",
            "description": entry.summary, "canonical": ctx.absolute(paths[entry.lang]),
            "alternates": [(code, ctx.absolute(p)) for code, p in sorted(paths.items())],
            "switcher": ctx.switcher(sorted(paths), entry.lang, paths),
            "feeds": feed_links(ctx, f"/{entry.lang}/")}


@router.get("/{lang}/a/{ref}", response_class=HTMLResponse)
def article(lang: str, ref: str, ctx: Ctx) -> Response:
    """A translation with its attribution and machine-translation notice."""
    found = _entry(ctx, lang, ref)
    if isinstance(found, Response):
        return found
    entry, page = found
    return ctx.render("article.html", entry.lang, **_article_values(ctx, entry, page, ""),
                      robots=entry.robots,
                      also=also_reported(ctx, entry.item_id, entry.lang, page.story_id),
                      og=article_og(entry, ctx.settings.site_title),
                      jsonld=article_jsonld(entry, ctx.settings.site_title, ctx.site_url))


@router.get("/{lang}/a/{ref}/bilingual", response_class=HTMLResponse)
def bilingual(lang: str, ref: str, ctx: Ctx) -> Response:
    """The translation beside the original, block by block."""
    found = _entry(ctx, lang, ref, "/bilingual")
    if isinstance(found, Response):
        return found
    entry, page = found
    pairs = list(itertools.zip_longest(blocks(entry.original_body), blocks(entry.body),
                                       fillvalue=""))
    values = _article_values(ctx, entry, page, "/bilingual")
    values["canonical"] = entry.url  # the plain article is the page search engines should keep
    return ctx.render("bilingual.html", entry.lang, **values, robots="noindex, follow",
                      # ``blocks`` only splits HTML that ``Entry`` already sanitised.
                      pairs=[(Markup(o), Markup(t)) for o, t in pairs])
