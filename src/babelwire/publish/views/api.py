"""The read-only JSON API (``/api/v1``), described by the app's OpenAPI schema.

Every answer is built from ``present.Entry``, so it carries the same sanitised HTML, safe URLs and
attribution as the site and the feeds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query
from markupsafe import escape
from pydantic import BaseModel, Field

from babelwire import i18n
from babelwire.publish.context import Context, Ctx
from babelwire.publish.present import LANG_PATTERN, MAX_ID, Entry, cursor_of, parse_cursor
from babelwire.publish.sanitize import clean_text, plain_text, safe_url
from babelwire.store.site import MAX_SKIP

PREFIX = "/api/v1"
MAX_LIMIT = 100
# ``offset`` reaches the store's bound on skipped rows (``MAX_SKIP``); the list's ``total`` is
# given below that many (null beyond), as far as ``offset`` can reach.
MAX_OFFSET = COUNT_UP_TO = MAX_SKIP


class ErrorOut(BaseModel):
    """An error answer."""

    detail: str


class AttributionOut(BaseModel):
    """Where the translation comes from and how it was made."""

    site_name: str
    url: str = Field(description="The original article (empty if unknown).")
    author: str
    published: datetime | None = Field(description="When the original was published.")
    title: str = Field(description="The original title.")
    lang: str = Field(description="The original's language.")
    engine: str = Field(description="The engine that machine-translated it.")
    notice: str = Field(description="Machine-translation notice shown with the translation.")


class RepublishOut(BaseModel):
    """How much of the article is republished here, and why."""

    mode: str = Field(description="full, excerpt (title, first paragraph or what robots allow, "
                                  "link) or headline (title and link).")
    reason: str = Field(description="Why: the page's licence, paywall or robots directives, "
                                    "or the operator's declaration.")
    license: str | None = Field(description="The original's licence URL, if it has a "
                                            "recognised one.")
    license_name: str
    share_alike: bool = Field(description="The translation is shared under the same licence.")


class SourceRefOut(BaseModel):
    """The followed source an article came from."""

    id: int
    name: str


class ArticleSummaryOut(BaseModel):
    """A published translation, without its body."""

    id: str = Field(description="Stable identifier, unchanged by re-translation.")
    item_id: int
    lang: str
    title: str
    summary: str
    url: str = Field(description="The translation's page on this site.")
    api_url: str
    published: datetime
    updated: datetime
    image: str
    source: SourceRefOut
    attribution: AttributionOut
    republish: RepublishOut


class CheckOut(BaseModel):
    """One fidelity check the translation passed or failed."""

    name: str
    ok: bool
    detail: str


class ArticleOut(ArticleSummaryOut):
    """A published translation with its sanitised HTML and plain text (as much of them as its
    republishing mode allows: see ``republish``)."""

    title_html: str = Field(description="The title as HTML: its words left in another "
                                        "language marked with <span lang>, as in html.")
    html: str
    text: str
    languages: list[str] = Field(description="Languages this article is published in.")
    checks: list[CheckOut]


class ArticleListOut(BaseModel):
    """A page of published translations, newest first."""

    total: int | None = Field(description=f"How many there are in all when fewer than "
                                          f"{COUNT_UP_TO:,} (null beyond, and for a page asked "
                                          "by ``before``).")
    limit: int
    offset: int
    next: str | None = Field(default=None, description="Pass as ``before`` for the next "
                                                       "page (none after the last): the way "
                                                       "to page at any depth.")
    items: list[ArticleSummaryOut]


class SourceOut(BaseModel):
    """A source with published translations, and how many per language."""

    id: int
    name: str
    url: str
    source_lang: str
    articles: dict[str, int]


class LanguageOut(BaseModel):
    """A language translations are published in."""

    code: str
    name: str
    articles: int


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Not found"},
    429: {"model": ErrorOut, "description": "Rate limit exceeded; see Retry-After"}}
router = APIRouter(prefix=PREFIX, tags=["articles"], responses=ERRORS)
Lang = Annotated[str, Path(pattern=LANG_PATTERN, max_length=35)]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _summary_fields(ctx: Context, e: Entry) -> dict[str, Any]:
    return {
        "id": e.guid, "item_id": e.item_id, "lang": e.lang, "title": e.title,
        "summary": e.summary, "url": e.url, "published": e.published, "updated": e.updated,
        "api_url": ctx.absolute(f"{PREFIX}/articles/{e.item_id}/{e.lang}"), "image": e.image,
        "source": SourceRefOut(id=e.article.source_id, name=e.source_name),
        "attribution": AttributionOut(
            site_name=e.site_name, url=e.original_url, author=e.author,
            published=e.original_published, title=e.original_title, lang=e.source_lang,
            engine=e.engine, notice=e.notice),
        "republish": RepublishOut(mode=str(e.mode), reason=e.mode_reason,
                                  license=e.license_url or None, license_name=e.license_name,
                                  share_alike=e.policy.share_alike)}


@router.get("/articles", response_model=ArticleListOut, summary="List published translations",
            responses={400: {"model": ErrorOut, "description": f"``offset`` beyond "
                                                               f"{MAX_OFFSET:,}: use ``before``"}})
def list_articles(
    ctx: Ctx,
    lang: Annotated[str, Query(pattern=LANG_PATTERN, max_length=35)],
    source: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    # The maximum is in the schema but checked here, so that the answer can say what to do
    offset: Annotated[int, Query(ge=0, json_schema_extra={"maximum": MAX_OFFSET}, description=(
        f"Rows to skip, at most {MAX_OFFSET:,} (a larger one is answered 400): deeper pages "
        "are asked by ``before``."))] = 0,
    before: Annotated[str | None, Query(pattern=r"^\d{1,19}-\d{1,10}$", description=(
        "The ``next`` of the previous page: the page after it, as fast however deep."))] = None,
) -> ArticleListOut:
    """Published translations into ``lang`` (of one source, if given), newest first. Page with
    ``before`` (each answer's ``next``); ``offset`` reaches only the first pages."""
    if offset > MAX_OFFSET:
        raise HTTPException(status_code=400, detail=(
            f"offset is at most {MAX_OFFSET:,}: page further with before=<next>, the next "
            "of the previous page, which costs the same however deep."))
    if source is not None and ctx.store.source_name(source) is None:
        raise HTTPException(status_code=404, detail="No such source.")
    after = None
    if before is not None:
        after = parse_cursor(before)
        if after is None:  # a position beyond any date or id: nothing comes after it
            return ArticleListOut(total=None, limit=limit, offset=offset, items=[])
    total = None
    if after is None:   # the kept counts (a few index seeks while nothing changes)
        counted = ctx.store.count_published(lang, source_id=source)
        total = counted if counted < COUNT_UP_TO else None
    articles = ctx.store.published_articles(lang, limit=limit + 1, offset=offset,
                                            source_id=source, before=after, brief=True)
    entries = ctx.entries(articles[:limit])
    items = [ArticleSummaryOut(**_summary_fields(ctx, e)) for e in entries]
    more = cursor_of(entries[-1].article) if len(articles) > limit else None
    return ArticleListOut(total=total, limit=limit, offset=offset, next=more, items=items)


@router.get("/articles/{item_id}/{lang}", response_model=ArticleOut,
            summary="One published translation")
def get_article(item_id: ItemId, lang: Lang, ctx: Ctx) -> ArticleOut:
    """A translation with its HTML, text, attribution and checks."""
    article = ctx.store.published_article(item_id, lang)
    if article is None:
        raise HTTPException(status_code=404, detail="No such published translation.")
    e = ctx.entries([article])[0]
    checks = [CheckOut(name=clean_text(c.name), ok=c.ok, detail=clean_text(c.detail))
              for c in article.checks]
    return ArticleOut(**_summary_fields(ctx, e), title_html=str(escape(e.heading)),
                      html=str(e.body), text=e.text, checks=checks,
                      languages=ctx.store.published_languages(item_id))


@router.get("/sources", response_model=list[SourceOut], tags=["sources"],
            summary="Sources with published translations")
def list_sources(ctx: Ctx) -> list[SourceOut]:
    """Sources that have at least one published translation."""
    counts = ctx.store.public_counts()
    return [SourceOut(id=s.id, name=plain_text(s.name), url=safe_url(s.url),
                      source_lang=s.source_lang,
                      articles=counts[s.id])
            for s in ctx.store.list_sources(items=False) if counts.get(s.id)]


@router.get("/languages", response_model=list[LanguageOut], tags=["languages"],
            summary="Languages with published translations")
def list_languages(ctx: Ctx) -> list[LanguageOut]:
    """Every language translations are published in, with its name and article count."""
    counts = ctx.store.language_counts()
    return [LanguageOut(code=code, name=i18n.language_name(code), articles=counts.get(code, 0))
            for code in ctx.store.published_languages()]
