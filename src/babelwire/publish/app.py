"""The web app: the public site, feeds, search and JSON API over the store's published
translations, and the editors' pages under ``/admin``.

The public side is read-only by construction: every public route is a GET (HEAD is answered as
GET without the body). Only ``/admin`` takes POSTs, and only from a signed-in editor.
Middleware, outermost first: security headers on every response, the API's per-client rate limit,
HEAD-as-GET, then the page cache (which never sees admin pages or searches).
"""

from __future__ import annotations

import base64
import logging
import os
import pickle
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import partial
from http import HTTPStatus

from anyio import to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from babelwire import __version__, i18n
from babelwire.exceptions import StoreError
from babelwire.publish import admin
from babelwire.publish.admin.pages import render as render_admin
from babelwire.publish.cache import PageCache, PageCacheMiddleware
from babelwire.publish.context import Context, make_templates
from babelwire.publish.middleware import (
    ADMIN_PREFIX,
    HeadAsGetMiddleware,
    RateLimitMiddleware,
    SecurityHeadersMiddleware,
    SharedBuckets,
)
from babelwire.publish.present import valid_lang
from babelwire.publish.views import api, feeds, meta, search, site, stories
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.store.review import Approval

log = logging.getLogger(__name__)


# The settings of ``babelwire serve --workers N``, handed to its processes (pickled: the very
# object the command read, whatever its origin; the environment is the parent's own).
SETTINGS_ENV = "BABELWIRE_SERVE_SETTINGS"


def hand_down(settings: Settings) -> None:
    """Migrate the store of ``settings`` and leave the settings where ``handed_down_app``, in
    each process of a multi-process ``serve``, finds them."""
    Store(settings.db_url).close()
    os.environ[SETTINGS_ENV] = base64.b64encode(pickle.dumps(settings)).decode("ascii")


def handed_down_app() -> FastAPI:
    """The app of one process of ``babelwire serve --workers N`` (a uvicorn factory)."""
    settings = pickle.loads(base64.b64decode(os.environ[SETTINGS_ENV]))
    if not isinstance(settings, Settings):
        raise TypeError(f"{SETTINGS_ENV} does not hold babelwire settings")
    return create_app(settings)


def create_app(settings: Settings, store: Store | None = None, *, cache: bool = True,
               page_size: int = 20, feed_size: int = 30, cache_ttl: float | None = None,
               cache_entries: int = 512, api_rate: float | None = None,
               api_burst: int | None = None, routers: Sequence[APIRouter] = (),
               admin_pages: bool = True, session_hours: float | None = None,
               login_rate: float | None = None, login_burst: int | None = None,
               on_approve: Callable[[Approval], None] | None = None) -> FastAPI:
    """The site, feeds, search, API and admin pages as an ASGI app.

    Without ``store`` the app opens one on ``settings.db_url`` and closes it on shutdown.
    ``cache=False`` turns the page cache off (for measuring). ``api_rate`` tokens a second, up
    to ``api_burst``, is what each client of the API may spend, in all the processes serving
    the store together (the buckets are in the store, like those of failed sign-ins).
    ``routers`` are mounted before the site's catch-all language routes. ``admin_pages=False``
    leaves ``/admin`` out; there, a sign-in lasts ``session_hours`` and each client may fail
    ``login_burst`` sign-ins, then one every ``1 / login_rate`` seconds. ``on_approve`` is
    called with every ``Approval`` an editor makes; by default the translation memory learns
    the editor's changes. Options left as None take the value of the setting of the same name
    (``cache_ttl``: ``page_cache_ttl``).
    """
    owned = store is None
    store = store if store is not None else Store(settings.db_url)
    cache_ttl = settings.page_cache_ttl if cache_ttl is None else cache_ttl
    api_rate = settings.api_rate if api_rate is None else api_rate
    api_burst = settings.api_burst if api_burst is None else api_burst
    session_hours = settings.session_hours if session_hours is None else session_hours
    login_rate = settings.login_rate if login_rate is None else login_rate
    login_burst = settings.login_burst if login_burst is None else login_burst
    if on_approve is None and settings.translation_memory:
        on_approve = partial(_remember, store)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Handlers are plain ``def`` and run in anyio's thread pool (40 threads by default):
        # a few threads serve faster (``serve_threads``); the pool is the event loop's own.
        to_thread.current_default_thread_limiter().total_tokens = max(1, settings.serve_threads)
        yield
        if owned:
            store.close()

    app = FastAPI(title=f"{settings.site_title} API", version=__version__,
                  description="Read-only access to published machine translations of news.",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json", lifespan=lifespan)
    app.state.context = Context(settings, store, make_templates(), page_size, feed_size)
    https = settings.site_url.lower().startswith("https://")
    app.state.admin = admin.AdminConfig(
        session_lifetime=timedelta(hours=session_hours), secure_cookie=https,
        login_buckets=SharedBuckets(store, "login", login_rate, login_burst),
        on_approve=on_approve)
    app.mount("/static", StaticFiles(packages=[("babelwire.publish", "static")]), name="static")
    admin_routers = admin.ROUTERS if admin_pages else ()
    for router in (api.router, stories.api_router, meta.router, *admin_routers, *routers,
                   search.router, feeds.router, stories.router, site.router):
        app.include_router(router)
    _add_error_handlers(app)
    # Kept on the app so that the admin views clear it after an approval or a removal.
    app.state.page_cache = PageCache(changes=store.public_changes, ttl=cache_ttl,
                                     max_entries=cache_entries) \
        if cache and cache_ttl > 0 else None
    if app.state.page_cache is not None:
        app.add_middleware(PageCacheMiddleware, cache=app.state.page_cache, skip=_not_cached)
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(RateLimitMiddleware, buckets=SharedBuckets(store, "api", api_rate,
                                                                  api_burst))
    app.add_middleware(SecurityHeadersMiddleware, https=https)
    return app


def _remember(store: Store, approval: Approval) -> None:
    from babelwire.translate.memory import remember_approval

    remember_approval(store, approval)


def _not_cached(path: str) -> bool:
    # Admin pages are per editor; a search is keyed by its query, which the cache ignores for
    # pages (and the number of different queries is unbounded).
    return (path == "/healthz" or path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")
            or path.endswith("/search"))


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith((api.PREFIX, admin.api.PREFIX)) or path == "/healthz"


def _error_page(request: Request, status: int, headers: Mapping[str, str] | None = None,
                detail: str = "") -> Response:
    if request.url.path.startswith(ADMIN_PREFIX + "/"):
        # Editors get the reason ("no longer waiting for review", "form expired" ...).
        admin_page = render_admin(request, "error.html", None, status=status,
                                  heading=HTTPStatus(status).phrase, detail=detail)
        admin_page.headers.update(headers or {})
        return admin_page
    ctx: Context = request.app.state.context
    first = request.url.path.strip("/").split("/")[0]
    # The page's words are English unless the language has a catalog: its ``lang`` says so
    # (and an unknown code such as "xx" is not a valid ``lang``).
    lang = first if valid_lang(first) and i18n.translated(first) else "en"
    t = ctx.page_values(lang)["t"]
    heading = {404: t["not_found"], 503: t["unavailable"]}.get(status, HTTPStatus(status).phrase)
    response = ctx.render("error.html", lang, status=status, heading=heading,
                          page_title=f"{heading} · {ctx.settings.site_title}",
                          robots="noindex", sources_href="")
    response.headers.update(headers or {})
    return response


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            detail = (exc.detail if isinstance(exc.detail, str)
                      else HTTPStatus(exc.status_code).phrase)
            return JSONResponse({"detail": detail}, status_code=exc.status_code,
                                headers=exc.headers)
        detail = exc.detail if isinstance(exc.detail, str) else ""
        return _error_page(request, exc.status_code, exc.headers, detail)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            return await request_validation_exception_handler(request, exc)
        if request.method == "POST":  # an admin form with a field too long or of a bad kind
            return _error_page(request, 422, detail="The form was not valid: a field is too "
                               "long or not what it should be. Go back and correct it.")
        return _error_page(request, 404)  # a malformed page URL is simply not a page

    @app.exception_handler(StoreError)
    async def store_down(request: Request, exc: StoreError) -> Response:
        log.error("store error serving %s: %s", request.url.path, exc)
        headers = {"retry-after": "30", "cache-control": "no-store"}
        if _wants_json(request):
            return JSONResponse({"detail": "Temporarily unavailable."}, status_code=503,
                                headers=headers)
        return _error_page(request, 503, headers)
