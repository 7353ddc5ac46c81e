"""The review queue and the review of one translation: side by side, edit, approve, reject."""

from __future__ import annotations

import logging
import math
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Path, Query, Request
from fastapi.responses import Response

from babelwire.publish.admin.auth import Editor, FormEditor, admin_config
from babelwire.publish.admin.compare import compare
from babelwire.publish.admin.pages import after_post, message, render
from babelwire.publish.context import Ctx
from babelwire.publish.present import (
    LANG_PATTERN,
    MAX_ID,
    permalink_path,
    present_queue_entry,
    present_review,
)
from babelwire.publish.sanitize import block_text, clean_html, plain_text, safe_url
from babelwire.store.review import Approval, ReviewDetail
from babelwire.store.tokens import SessionInfo

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
QUEUE_PAGE = 50
QUEUE_PATH = "/admin/review"
Lang = Annotated[str, Path(pattern=LANG_PATTERN, max_length=35)]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryLang = Annotated[str | None, Query(pattern=LANG_PATTERN, max_length=35)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Done = Annotated[str | None, Query(max_length=20)]
NOT_WAITING = "This translation is no longer waiting for review (someone decided first, " \
              "or the pipeline is working on the article again)."


def review_path(item_id: int, lang: str) -> str:
    """The review page of a translation."""
    return f"{QUEUE_PATH}/{item_id}/{lang}"


def public_changed(request: Request) -> None:
    """Empty the page cache at once after a change readers can see (publish, remove ...)."""
    cache = request.app.state.page_cache
    if cache is not None:
        cache.clear()


def announce(request: Request, approval: Approval) -> None:
    """After an approval: empty the page cache and hand the approval to the app's hook (the
    translation memory's way in); a failing hook is logged and the approval stands."""
    public_changed(request)
    hook = admin_config(request).on_approve
    if hook is None:
        return
    try:
        hook(approval)
    except Exception:  # whatever the hook raises, the translation is already published
        log.exception("approval hook failed for item %s (%s)", approval.item_id, approval.lang)


@router.get(QUEUE_PATH)
def queue(request: Request, ctx: Ctx, session: Editor,
          page: Annotated[int, Query(ge=1, le=MAX_ID)] = 1, done: Done = None,
          item: QueryId = None, lang: QueryLang = None) -> Response:
    """Held and failed translations, most recently changed first."""
    entries, total = ctx.store.review_queue(limit=QUEUE_PAGE, offset=(page - 1) * QUEUE_PAGE)
    last = max(1, math.ceil(total / QUEUE_PAGE))
    if page > last:
        raise HTTPException(status_code=404)
    published = permalink_path(lang, item) if done == "approved" and item and lang else ""
    return render(request, "queue.html", session, section="review",
                  entries=[present_queue_entry(e) for e in entries],
                  total=total, page=page, message=message(done), published=published,
                  newer=f"{QUEUE_PATH}?page={page - 1}" if page > 1 else "",
                  older=f"{QUEUE_PATH}?page={page + 1}" if page < last else "")


def _detail(ctx: Ctx, item_id: int, lang: str) -> ReviewDetail:
    detail = ctx.store.get_review(item_id, lang)
    if detail is None:
        raise HTTPException(status_code=404)
    return detail


def _review_page(request: Request, session: SessionInfo, detail: ReviewDetail, *,
                 status: int = 200, **values: Any) -> Response:
    detail = present_review(detail)
    original_url = detail.original_url
    pairs = compare(detail.original_html, detail.html, detail.checks, original_url)
    values.setdefault("form_title", detail.title)
    values.setdefault("form_html", detail.html)
    return render(request, "review.html", session, status=status, section="review", d=detail,
                  original_url=original_url, pairs=pairs,
                  failed=[c for c in detail.checks if not c.ok],
                  passed=[c for c in detail.checks if c.ok],
                  flagged=sum(1 for p in pairs if p.problems),
                  public_path=permalink_path(detail.lang, detail.item_id), **values)


@router.get(QUEUE_PATH + "/{item_id}/{lang}")
def review(request: Request, item_id: ItemId, lang: Lang, ctx: Ctx, session: Editor,
           done: Done = None) -> Response:
    """A translation beside its original, its checks, and the edit and decision forms."""
    return _review_page(request, session, _detail(ctx, item_id, lang), message=message(done))


@router.post(QUEUE_PATH + "/{item_id}/{lang}/edit")
def edit(request: Request, item_id: ItemId, lang: Lang, ctx: Ctx, session: FormEditor,
         title: Annotated[str, Form(max_length=2000)] = "",
         html: Annotated[str, Form(max_length=500_000)] = "") -> Response:
    """Save an editor's title and HTML (sanitised to the article tag set) in place of the
    machine's; the translation keeps waiting for approval."""
    detail = _detail(ctx, item_id, lang)
    clean = clean_html(html, safe_url(detail.original_url), link_rel=None)
    text, clean_title = block_text(clean), plain_text(title)
    if not clean_title or not text:
        return _review_page(request, session, detail, status=400, form_title=title,
                            form_html=html, error="A translation needs a title and some text.")
    if not ctx.store.save_edit(item_id, lang, title=clean_title, html=clean, text=text,
                     editor=session.editor):
        raise HTTPException(status_code=409, detail=NOT_WAITING)
    return after_post(review_path(item_id, lang), "saved")


@router.post(QUEUE_PATH + "/{item_id}/{lang}/approve")
def approve_translation(request: Request, item_id: ItemId, lang: Lang, ctx: Ctx,
                        session: FormEditor) -> Response:
    """Publish the translation (as it now reads) and hand it to the approval hook."""
    approval = ctx.store.approve(item_id, lang, editor=session.editor)
    if approval is None:
        raise HTTPException(status_code=409, detail=NOT_WAITING)
    announce(request, approval)
    return after_post(QUEUE_PATH, "approved", item=item_id, lang=lang)


@router.post(QUEUE_PATH + "/{item_id}/{lang}/reject")
def reject_translation(request: Request, item_id: ItemId, lang: Lang, ctx: Ctx,
                       session: FormEditor,
                       note: Annotated[str, Form(max_length=1000)] = "") -> Response:
    """Reject the translation for good (it stays out of the site, feeds and API)."""
    if not ctx.store.reject(item_id, lang, editor=session.editor, note=plain_text(note)):
        raise HTTPException(status_code=409, detail=NOT_WAITING)
    public_changed(request)
    return after_post(QUEUE_PATH, "rejected")
