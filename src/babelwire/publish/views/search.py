"""Full-text search of a language's published translations, a page of results at a time."""

from __future__ import annotations

import math
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import HTMLResponse, Response

from babelwire import i18n
from babelwire.publish.context import Ctx
from babelwire.publish.present import MAX_ID
from babelwire.publish.sanitize import plain_text
from babelwire.store.search import NEWEST

router = APIRouter(include_in_schema=False)
MAX_QUERY = 200


def search_path(lang: str, query: str = "", page: int = 1) -> str:
    """The path of a search (and of one of its result pages)."""
    params: dict[str, str | int] = {"q": query} if query else {}
    if page > 1:
        params["page"] = page
    return f"/{lang}/search" + (f"?{urlencode(params)}" if params else "")


def _summary(t: dict[str, str], total: int) -> str:
    if not total:
        return t["search_none"]
    # only the newest NEWEST matches are ranked (store.search): say so when there may be more
    return t["search_newest" if total >= NEWEST else "search_count"].format(count=total)


@router.get("/{lang}/search", response_class=HTMLResponse)
def search(lang: str, ctx: Ctx, q: Annotated[str, Query(max_length=MAX_QUERY)] = "",
           page: Annotated[int, Query(ge=1, le=MAX_ID)] = 1) -> Response:
    """Translations into ``lang`` matching the words of ``q``, best match first (among the
    newest ``NEWEST`` that match, when more do)."""
    langs = ctx.check_lang(lang)
    query = plain_text(q)
    entries, total = [], 0
    if query:
        found, total = ctx.store.search(lang, query, ctx.page_size,
                                  (page - 1) * ctx.page_size)
        entries = ctx.entries(found)
    last = max(1, math.ceil(total / ctx.page_size))
    if page > last:
        raise HTTPException(status_code=404)
    t = i18n.labels(lang)
    heading = t["search_results"].format(query=query) if query else t["search"]
    title = heading if page == 1 else f"{heading} · {t['page']} {page}"
    summary = _summary(t, total) if query else ""
    return ctx.render(
        "search.html", lang, heading=heading, query=query, entries=entries, page=page,
        summary=summary, robots="noindex, follow",
        page_title=f"{title} · {ctx.settings.site_title}",
        newer=search_path(lang, query, page - 1) if page > 1 else "",
        older=search_path(lang, query, page + 1) if page < last else "",
        switcher=ctx.switcher(langs, lang, {code: search_path(code, query) for code in langs}))
