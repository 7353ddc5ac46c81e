"""Feed routes: RSS 2.0, Atom 1.0 and JSON Feed 1.1 per target language and per source."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import Response

from babelwire import i18n
from babelwire.publish import feeds
from babelwire.publish.context import PAGE_CACHE_CONTROL, Context, Ctx
from babelwire.publish.present import MAX_ID, front_path, source_path
from babelwire.publish.sanitize import plain_text

router = APIRouter(include_in_schema=False)
SourceId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _info(ctx: Context, lang: str, base: str, home: str, name: str) -> feeds.FeedInfo:
    site = ctx.settings.site_title
    language = i18n.language_name(lang)
    title = f"{site}: {name} ({language})" if name else f"{site} ({language})"
    return feeds.FeedInfo(
        title=title, description=f"{i18n.labels(lang)['latest']}: {title}", lang=lang,
        home_url=ctx.absolute(home), rss_url=ctx.absolute(base + "feed.xml"),
        atom_url=ctx.absolute(base + "atom.xml"), json_url=ctx.absolute(base + "feed.json"),
        author=site)


def _feed(ctx: Context, lang: str, fmt: feeds.Format, source_id: int | None = None) -> Response:
    ctx.check_lang(lang)
    if source_id is None:
        home, label = front_path(lang), ""
    else:
        name = ctx.store.source_name(source_id)
        if name is None or not ctx.store.has_published(lang, source_id=source_id):
            raise HTTPException(status_code=404)
        home, label = source_path(lang, source_id), plain_text(name)
    entries = ctx.entries(ctx.store.published_articles(lang, limit=ctx.feed_size,
                                                       source_id=source_id))
    base = home if home.endswith("/") else home + "/"
    body = fmt.build(_info(ctx, lang, base, home, label), entries)
    return Response(body, media_type=fmt.media_type,
                    headers={"cache-control": PAGE_CACHE_CONTROL})


def _language_route(fmt: feeds.Format) -> None:
    def handler(lang: str, ctx: Ctx) -> Response:
        return _feed(ctx, lang, fmt)

    handler.__doc__ = f"The {fmt.label} feed of a target language."
    router.add_api_route(f"/{{lang}}/{fmt.file}", handler, methods=["GET"],
                         name=f"lang-{fmt.file}")


def _source_route(fmt: feeds.Format) -> None:
    def handler(lang: str, source_id: SourceId, ctx: Ctx) -> Response:
        return _feed(ctx, lang, fmt, source_id)

    handler.__doc__ = f"The {fmt.label} feed of one source in a target language."
    router.add_api_route(f"/{{lang}}/sources/{{source_id}}/{fmt.file}", handler,
                         methods=["GET"], name=f"source-{fmt.file}")


for _format in feeds.FORMATS:
    _language_route(_format)
    _source_route(_format)
