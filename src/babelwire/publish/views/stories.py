"""Stories for readers: a page per story and language listing all its coverage, and the JSON
API's ``/api/v1/stories``. Every title and address goes through the same sanitising helpers as
the rest of the site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import HTMLResponse, Response
from feedgen.feed import FeedGenerator
from pydantic import BaseModel, Field

from babelwire import i18n
from babelwire.models import StoryInfo, StoryMember
from babelwire.publish.context import PAGE_CACHE_CONTROL, Context, Ctx
from babelwire.publish.present import LANG_PATTERN, MAX_ID, Entry, permalink_path, valid_lang
from babelwire.publish.sanitize import plain_text, safe_url
from babelwire.publish.views.api import ERRORS, PREFIX

MAX_LIMIT = 100
StoryId = Annotated[int, Path(ge=1, le=MAX_ID)]


class CoverageOut(BaseModel):
    """One article of a story: who ran it, in what language, and where to read it."""

    item_id: int
    source: str
    site_name: str
    original_url: str = Field(description="The original article.")
    lang: str = Field(description="The original's language.")
    title: str = Field(description="The original title.")
    copy_of: int | None = Field(description="The article whose wire text this one copies.")
    translations: dict[str, str] = Field(description="Published translations: language → URL.")


class StoryOut(BaseModel):
    """A story: the coverage of one event across sources and languages."""

    id: int
    title: str
    updated: datetime
    url: str = Field(description="The story's page on this site (in ``lang`` if asked).")
    sources: list[str]
    languages: list[str] = Field(description="Original languages of its articles.")
    articles: list[CoverageOut]


api_router = APIRouter(prefix=PREFIX, tags=["stories"], responses=ERRORS)
router = APIRouter(include_in_schema=False)


def story_path(lang: str, story_id: int) -> str:
    """The site path of a story's page in ``lang``."""
    return f"/{lang}/stories/{story_id}"


def _coverage(m: StoryMember) -> CoverageOut:
    return CoverageOut(item_id=m.item_id, source=plain_text(m.source_name),
                       site_name=plain_text(m.site_name), original_url=safe_url(m.url),
                       lang=m.lang, title=plain_text(m.title), copy_of=m.duplicate_of,
                       translations={code: permalink_path(code, m.item_id)
                                     for code in m.translations})


def _story_out(ctx: Context, story: StoryInfo, lang: str) -> StoryOut:
    return StoryOut(id=story.id, title=plain_text(story.title), updated=story.updated_at,
                    url=ctx.absolute(story_path(lang, story.id)),
                    sources=[plain_text(s) for s in story.sources],
                    languages=list(story.languages),
                    articles=[_coverage(m) for m in story.members])


def _published(story: StoryInfo) -> bool:
    return any(m.translations for m in story.members)


@api_router.get("/stories", response_model=list[StoryOut], summary="Stories, newest first")
def list_stories(
    ctx: Ctx,
    lang: Annotated[str, Query(pattern=LANG_PATTERN, max_length=35)] = "en",
    min_size: Annotated[int, Query(ge=1, le=1000)] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
) -> list[StoryOut]:
    """Stories with at least one published translation, most recently updated first."""
    found = ctx.store.list_stories(limit, min_size=min_size)
    return [_story_out(ctx, s, lang) for s in found if _published(s)]


@api_router.get("/stories/{story_id}", response_model=StoryOut, summary="One story")
def get_story(story_id: StoryId, ctx: Ctx,
              lang: Annotated[str, Query(pattern=LANG_PATTERN, max_length=35)] = "en"
              ) -> StoryOut:
    """A story with all its coverage."""
    story = ctx.store.story(story_id)
    if story is None or not _published(story):
        raise HTTPException(status_code=404, detail="No such story.")
    return _story_out(ctx, story, lang)


@router.get("/{lang}/stories.xml")
def stories_feed(lang: str, ctx: Ctx) -> Response:
    """An RSS 2.0 feed of a language's stories, most recently updated first: each item links the
    story's page and names every source that ran it."""
    ctx.check_lang(lang)
    t = i18n.labels(lang)
    fg = FeedGenerator()
    site = ctx.settings.site_title
    title = f"{site}: {t['story']} ({i18n.language_name(lang)})"
    fg.title(title)
    fg.description(title)
    fg.link(href=ctx.absolute(f"/{lang}/stories.xml"), rel="self", type="application/rss+xml")
    fg.link(href=ctx.absolute(f"/{lang}/"), rel="alternate", type="text/html")
    fg.language(lang)
    fg.generator("babelwire")
    for story in ctx.store.list_stories(ctx.feed_size):
        first = next((m for m in story.members if lang in m.translations), None)
        if first is None:
            continue
        article = ctx.store.published_article(first.item_id, lang)
        url = ctx.absolute(story_path(lang, story.id))
        fe = fg.add_entry(order="append")
        fe.guid(url, permalink=True)
        fe.title(plain_text(article.title if article is not None else story.title))
        fe.link(href=url)
        fe.description(f"{t['story']}: " + ", ".join(plain_text(x) for x in story.sources))
        fe.pubDate(story.updated_at)
    return Response(bytes(fg.rss_str(pretty=False)), media_type="application/rss+xml",
                    headers={"cache-control": PAGE_CACHE_CONTROL})


@router.get("/{lang}/stories/{story_id}", response_class=HTMLResponse)
def story_page(lang: str, story_id: StoryId, ctx: Ctx) -> Response:
    """A story in ``lang``: every source that ran it, its original language, links to the
    original and to each translation."""
    story = ctx.store.story(story_id)
    if not valid_lang(lang) or story is None or not _published(story):
        raise HTTPException(status_code=404)
    out = _story_out(ctx, story, lang)
    title = next((ctx.store.published_article(m.item_id, lang) for m in story.members
                  if lang in m.translations), None)
    values: dict[str, Any] = {"story": out, "page_title": (title.title if title else out.title)}
    return ctx.render("coverage.html", lang, **values)


@dataclass(frozen=True)
class AlsoReported:
    """The rest of an article's story, for its page: ``(source, link)`` of each other article
    (its translation into the page's language if there is one, else the original) and the
    path of the story's page."""

    links: tuple[tuple[str, str], ...]
    story: str


def also_reported(ctx: Context, item_id: int, lang: str,
                  story_id: int | None) -> AlsoReported | None:
    """The other articles of an article's story (``story_id``, read with the article); None
    when it is alone in its story."""
    story = ctx.store.story(story_id) if story_id is not None else None
    return _also(story, item_id, lang) if story is not None else None


def _also(story: StoryInfo, item_id: int, lang: str) -> AlsoReported | None:
    links = [(plain_text(m.source_name or m.site_name),
              permalink_path(lang, m.item_id) if lang in m.translations else safe_url(m.url))
             for m in story.members if m.item_id != item_id]
    return AlsoReported(tuple(links), story_path(lang, story.id)) if links else None


def story_cards(ctx: Context, entries: list[Entry], lang: str
                ) -> tuple[list[Entry], dict[int, AlsoReported]]:
    """``entries`` with each story once (its first, that is newest, entry) and, by item, what
    the card shows of the stories that more than one article told (``front_page_stories``)."""
    stories = ctx.store.stories_of([e.article.item_id for e in entries])
    kept: list[Entry] = []
    seen: set[int] = set()
    cards: dict[int, AlsoReported] = {}
    for entry in entries:
        story_id = stories.get(entry.article.item_id)
        if story_id in seen:
            continue
        kept.append(entry)
        if story_id is None:
            continue
        seen.add(story_id)
        story = ctx.store.story(story_id)
        also = _also(story, entry.article.item_id, lang) if story is not None else None
        if also is not None:
            cards[entry.article.item_id] = also
    return kept, cards
