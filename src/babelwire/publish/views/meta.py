"""Site-wide files: sitemap.xml, robots.txt and the health check."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse, Response

from babelwire.publish.context import PAGE_CACHE_CONTROL, Ctx
from babelwire.publish.present import article_path, front_path, shown_title

router = APIRouter()
# The sitemap protocol's limit for one file; older translations drop out of it first.
SITEMAP_LIMIT = 50_000


@router.get("/sitemap.xml", include_in_schema=False)
def sitemap(ctx: Ctx) -> Response:
    """Every language's front page and every published translation's page."""
    pages = ctx.store.public_pages(limit=SITEMAP_LIMIT)
    fronts = [(ctx.absolute(front_path(code)), "") for code in ctx.store.published_languages()]
    articles = [(ctx.absolute(article_path(p.lang, p.item_id,
                                           shown_title(p.title, p.original_title))),
                 p.updated_at.date().isoformat() if p.updated_at else "") for p in pages]
    xml = ctx.templates.get_template("sitemap.xml").render(urls=fronts + articles)
    return Response(xml, media_type="application/xml",
                    headers={"cache-control": PAGE_CACHE_CONTROL})


@router.get("/robots.txt", include_in_schema=False)
def robots(ctx: Ctx) -> PlainTextResponse:
    """Crawlers may read the site; the API is for programs, not for indexing."""
    body = f"User-agent: *\nDisallow: /api/\n\nSitemap: {ctx.absolute('/sitemap.xml')}\n"
    return PlainTextResponse(body, headers={"cache-control": PAGE_CACHE_CONTROL})


@router.get("/healthz", tags=["meta"], summary="Health check")
def healthz(ctx: Ctx) -> dict[str, str]:
    """``{"status": "ok"}`` when the store answers."""
    ctx.store.published_languages()  # a few index seeks, not a count of everything
    return {"status": "ok"}

