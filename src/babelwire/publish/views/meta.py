"""Site-wide files: sitemap.xml, robots.txt and the health check."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import PlainTextResponse, Response

from babelwire.publish.context import PAGE_CACHE_CONTROL, Ctx
from babelwire.publish.present import article_path, front_path, shown_title

router = APIRouter()


@router.get("/sitemap.xml", include_in_schema=False)
def sitemap(ctx: Ctx) -> Response:
    """The sitemap index: the languages' front pages, then one part per range of translations
    (``store.site.SITEMAP_PART``), so that no file grows with the store and none is cut short
    (one file holds at most 50,000 URLs)."""
    locs = [ctx.absolute("/sitemaps/languages.xml")]
    locs += [ctx.absolute(f"/sitemaps/{part}.xml") for part in ctx.store.sitemap_parts()]
    return _xml(ctx.templates.get_template("sitemap-index.xml").render(locs=locs))


@router.get("/sitemaps/languages.xml", include_in_schema=False)
def sitemap_languages(ctx: Ctx) -> Response:
    """Every published language's front page."""
    fronts = [(ctx.absolute(front_path(code)), "") for code in ctx.store.published_languages()]
    return _xml(ctx.templates.get_template("sitemap.xml").render(urls=fronts))


@router.get("/sitemaps/{part:int}.xml", include_in_schema=False)
def sitemap_part(ctx: Ctx, part: int) -> Response:
    """One part of the sitemap: the page of each public translation of its range."""
    pages = ctx.store.sitemap_part(part)
    if not pages:
        raise HTTPException(404)
    urls = [(ctx.absolute(article_path(p.lang, p.item_id,
                                       shown_title(p.title, p.original_title))),
             p.updated_at.date().isoformat() if p.updated_at else "") for p in pages]
    return _xml(ctx.templates.get_template("sitemap.xml").render(urls=urls))


def _xml(xml: str) -> Response:
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

