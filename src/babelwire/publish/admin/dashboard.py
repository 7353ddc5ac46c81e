"""The admin home: how many articles are where, what waits for review, which sources fail."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from babelwire.models import ItemState, TranslationStatus
from babelwire.publish.admin.auth import HOME_PATH, Editor
from babelwire.publish.admin.pages import NO_STORE, render
from babelwire.publish.context import Ctx

router = APIRouter(include_in_schema=False)


@router.get("/admin")
def bare() -> Response:
    """``/admin`` is ``/admin/``."""
    return RedirectResponse(HOME_PATH, status_code=308, headers=NO_STORE)


@router.get(HOME_PATH)
def dashboard(request: Request, ctx: Ctx, session: Editor) -> Response:
    """Counts by item state and translation status, the queue's length, failing sources."""
    counts = ctx.store.summary()
    items = [(str(s), counts["items"].get(str(s), 0)) for s in ItemState]
    translations = [(str(s), counts["translations"].get(str(s), 0)) for s in TranslationStatus]
    _, waiting = ctx.store.review_queue(limit=0)
    failing = [s for s in ctx.store.list_sources() if s.last_error]
    return render(request, "dashboard.html", session, section="dashboard", items=items,
                  translations=translations, waiting=waiting, failing=failing,
                  sources=counts["sources"])
