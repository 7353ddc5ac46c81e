"""Managing sources from the admin pages: add, pause, resume, remove, OPML import and export."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Path, Query, Request, UploadFile
from fastapi.responses import Response

from babelwire.exceptions import SourceError
from babelwire.models import Mode
from babelwire.publish.admin.auth import Editor, FormEditor
from babelwire.publish.admin.pages import NO_STORE, after_post, message, render
from babelwire.publish.admin.review import public_changed
from babelwire.publish.context import Ctx
from babelwire.publish.opml import MAX_OPML_BYTES, export_opml, http_url, import_opml
from babelwire.publish.present import MAX_ID, valid_lang
from babelwire.publish.sanitize import plain_text
from babelwire.rights.policy import source_mode
from babelwire.store.tokens import SessionInfo

router = APIRouter(include_in_schema=False)
SOURCES_PATH = "/admin/sources"
SourceId = Annotated[int, Path(ge=1, le=MAX_ID)]
Langs = Annotated[str, Form(max_length=200)]
OPML_TYPE = "text/x-opml; charset=utf-8"
REPUBLISH_CHOICES = ("auto", *(m.value for m in Mode))


def parse_langs(value: str) -> tuple[str, ...]:
    """Language codes from ``en, fr``; empty if any of them is not a language tag."""
    codes = tuple(dict.fromkeys(c.strip().lower() for c in value.split(",") if c.strip()))
    return codes if all(valid_lang(c) for c in codes) else ()


def _page(request: Request, ctx: Ctx, session: SessionInfo, *, status: int = 200,
          **values: Any) -> Response:
    pages, non_commercial = ctx.store.rights_by_source(), ctx.settings.non_commercial_site
    sources = ctx.store.list_sources()
    modes = {s.id: source_mode(s.republish, s.republish_reason, pages.get(s.id, []),
                               non_commercial=non_commercial) for s in sources}
    return render(request, "sources.html", session, status=status, section="sources",
                  sources=sources, modes=modes, choices=REPUBLISH_CHOICES, **values)


@router.get(SOURCES_PATH)
def sources(request: Request, ctx: Ctx, session: Editor,
            done: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    """Every source with its state and last error, and the forms that manage them."""
    return _page(request, ctx, session, message=message(done))


@router.post(SOURCES_PATH + "/add")
def add(request: Request, ctx: Ctx, session: FormEditor,
        url: Annotated[str, Form(max_length=2048)] = "", targets: Langs = "",
        name: Annotated[str, Form(max_length=300)] = "",
        source_lang: Annotated[str, Form(max_length=35)] = "",
        republish: Annotated[str, Form(max_length=16)] = "",
        reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    """Follow a feed (or a single article URL), with the republishing mode it is declared."""
    url, langs, source_lang = url.strip(), parse_langs(targets), source_lang.strip().lower()
    reason = plain_text(reason)
    problem = http_url(url) or ("" if langs else "Give one or more target languages (en, fr).")
    if not problem and source_lang and not valid_lang(source_lang):
        problem = "The source language must be a language code such as es."
    if not problem and republish not in ("", *REPUBLISH_CHOICES):
        problem = "Choose a republishing mode from the list."
    if not problem and republish not in ("", "auto") and not reason:
        problem = "A declared republishing mode needs its reason: who allowed what, and when."
    if problem:
        return _page(request, ctx, session, status=400, error=problem,
                     form={"url": url, "targets": targets, "name": name,
                           "source_lang": source_lang, "republish": republish, "reason": reason})
    # "" keeps what the source declared; "auto" takes it back
    declared = None if not republish else "" if republish == "auto" else republish
    source, created = ctx.store.add_source(url, targets=langs, name=plain_text(name),
                                           source_lang=source_lang, republish=declared,
                                           republish_reason=reason)
    if declared is not None and declared != str(Mode.NONE) and not created:
        ctx.store.retranslate_untranslated(source.id)
    public_changed(request)
    return after_post(SOURCES_PATH, "added" if created else "updated")


def _existing(ctx: Ctx, source_id: int) -> None:
    if ctx.store.get_source(source_id) is None:
        raise HTTPException(status_code=404)


@router.post(SOURCES_PATH + "/{source_id}/pause")
def pause(request: Request, source_id: SourceId, ctx: Ctx, _session: FormEditor) -> Response:
    """Stop polling a source; what it published stays."""
    return _set_active(request, ctx, source_id, active=False)


@router.post(SOURCES_PATH + "/{source_id}/resume")
def resume(request: Request, source_id: SourceId, ctx: Ctx, _session: FormEditor) -> Response:
    """Poll a paused source again."""
    return _set_active(request, ctx, source_id, active=True)


def _set_active(request: Request, ctx: Ctx, source_id: int, *, active: bool) -> Response:
    _existing(ctx, source_id)
    ctx.store.set_source_active(source_id, active)
    public_changed(request)
    return after_post(SOURCES_PATH, "resumed" if active else "paused")


@router.post(SOURCES_PATH + "/{source_id}/remove")
def remove(request: Request, source_id: SourceId, ctx: Ctx, session: FormEditor,
           confirm: Annotated[str, Form(max_length=10)] = "") -> Response:
    """Stop following a source and delete its articles and translations (confirmed)."""
    _existing(ctx, source_id)
    if confirm != "yes":
        return _page(request, ctx, session, status=400,
                     error="Tick the confirmation box to remove a source and its articles.")
    ctx.store.remove_source(source_id)
    public_changed(request)
    return after_post(SOURCES_PATH, "removed")


@router.post(SOURCES_PATH + "/import")
def import_file(request: Request, ctx: Ctx, session: FormEditor,
                file: Annotated[UploadFile, File()], targets: Langs = "",
                source_lang: Annotated[str, Form(max_length=35)] = "") -> Response:
    """Import an OPML subscription list; every outline's outcome is reported."""
    langs, source_lang = parse_langs(targets), source_lang.strip().lower()
    data = file.file.read(MAX_OPML_BYTES + 1)  # a plain def runs in the thread pool
    if source_lang and not valid_lang(source_lang):
        return _page(request, ctx, session, status=400,
                     error="The source language must be a language code such as es.")
    try:
        report = import_opml(ctx.store, data, targets=langs, source_lang=source_lang)
    except SourceError as exc:
        return _page(request, ctx, session, status=400, error=f"Nothing imported: {exc}")
    public_changed(request)
    return render(request, "import.html", session, section="sources", report=report,
                  filename=plain_text(file.filename or ""))


@router.get(SOURCES_PATH + ".opml")
def export(ctx: Ctx, _session: Editor) -> Response:
    """Every source as an OPML 2.0 file, to import elsewhere or back here."""
    data = export_opml(ctx.store.list_sources(), title=f"{ctx.settings.site_title} sources",
                       now=datetime.now(UTC))
    return Response(data, media_type=OPML_TYPE, headers={
        **NO_STORE, "content-disposition": 'attachment; filename="babelwire-sources.opml"'})
