"""Signing in with a token and signing out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from babelwire.publish.admin.auth import (
    COOKIE,
    COOKIE_PATH,
    LOGIN_PATH,
    FormEditor,
    admin_config,
    current_session,
    record_failure,
    safe_next,
    same_origin,
    throttled,
)
from babelwire.publish.admin.pages import NO_STORE, render
from babelwire.publish.context import Ctx

router = APIRouter(include_in_schema=False)


@router.get(LOGIN_PATH)
def login_form(request: Request, next_path: Annotated[str | None, Query(alias="next",
                                                                       max_length=500)] = None
               ) -> Response:
    """The sign-in page (straight on to the admin pages if already signed in)."""
    if current_session(request) is not None:
        return RedirectResponse(safe_next(next_path), status_code=303, headers=NO_STORE)
    return render(request, "login.html", None, next_path=safe_next(next_path))


@router.post(LOGIN_PATH)
def login(request: Request, ctx: Ctx, token: Annotated[str, Form(max_length=200)] = "",
          next_path: Annotated[str, Form(alias="next", max_length=500)] = "") -> Response:
    """Check a token; on success start a session and set its cookie."""
    if not same_origin(request):
        raise HTTPException(status_code=403, detail="Sign in from this site's own form.")
    throttled(request)
    info = ctx.store.verify_token(token.strip())
    if info is None:
        record_failure(request)
        return render(request, "login.html", None, status=401, next_path=safe_next(next_path),
                      error="That token is not valid (or was revoked).")
    config = admin_config(request)
    session_id, _ = ctx.store.start_session(info, config.session_lifetime)
    response = RedirectResponse(safe_next(next_path), status_code=303, headers=NO_STORE)
    response.set_cookie(COOKIE, session_id, max_age=int(config.session_lifetime.total_seconds()),
                        path=COOKIE_PATH, secure=config.secure_cookie, httponly=True,
                        samesite="strict")
    return response


@router.post("/admin/logout")
def logout(request: Request, ctx: Ctx, _session: FormEditor) -> Response:
    """End this browser's session."""
    ctx.store.end_session(request.cookies.get(COOKIE, ""))
    response = RedirectResponse(LOGIN_PATH, status_code=303, headers=NO_STORE)
    response.delete_cookie(COOKIE, path=COOKIE_PATH, secure=admin_config(request).secure_cookie,
                           httponly=True, samesite="strict")
    return response
