"""The review queue for scripts: JSON endpoints behind ``Authorization: Bearer TOKEN``.

Not in the public OpenAPI schema (which documents the read-only API). Bearer tokens are never
sent by a browser on its own, so these POSTs need no CSRF form token.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request

from babelwire.publish.admin.auth import BearerToken
from babelwire.publish.admin.review import NOT_WAITING, ItemId, Lang, announce, public_changed
from babelwire.publish.context import Ctx
from babelwire.publish.sanitize import plain_text

PREFIX = "/admin/api"
router = APIRouter(prefix=PREFIX, include_in_schema=False)


@router.get("/queue")
def queue(ctx: Ctx, _token: BearerToken,
          limit: Annotated[int, Query(ge=1, le=200)] = 50,
          offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> dict[str, Any]:
    """Translations waiting for review, most recently changed first."""
    entries, total = ctx.store.review_queue(limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset,
            "items": [asdict(e) for e in entries]}


@router.post("/review/{item_id}/{lang}/approve")
def approve_translation(request: Request, item_id: ItemId, lang: Lang, ctx: Ctx,
                        token: BearerToken) -> dict[str, Any]:
    """Publish a waiting translation; answers with what was approved."""
    approval = ctx.store.approve(item_id, lang, editor=token.name)
    if approval is None:
        raise HTTPException(status_code=409, detail=NOT_WAITING)
    announce(request, approval)
    return {"status": "published", "approval": asdict(approval)}


@router.post("/review/{item_id}/{lang}/reject")
def reject_translation(request: Request, item_id: ItemId, lang: Lang, ctx: Ctx,
                       token: BearerToken,
                       note: Annotated[str, Body(embed=True, max_length=1000)] = ""
                       ) -> dict[str, str]:
    """Reject a waiting translation for good."""
    if not ctx.store.reject(item_id, lang, editor=token.name, note=plain_text(note)):
        raise HTTPException(status_code=409, detail=NOT_WAITING)
    public_changed(request)
    return {"status": "rejected"}
