"""Rendering admin pages: one helper, fixed messages, and the redirect after a POST."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from babelwire.publish.context import Context
from babelwire.store.tokens import SessionInfo

NO_STORE = {"cache-control": "no-store"}
# What a redirect after a POST may announce. Only these fixed texts are shown: a message never
# comes from the query string itself, so a crafted link cannot put words on an admin page.
MESSAGES = {
    "signed_in": "Signed in.",
    "saved": "Your edit was saved. The translation still waits for approval.",
    "approved": "Approved: the translation is published and in the feeds.",
    "rejected": "Rejected: the translation will not be published.",
    "added": "Source added. It is polled at the next run.",
    "updated": "That source was already followed; its languages and name were updated.",
    "paused": "Source paused.",
    "resumed": "Source resumed.",
    "removed": "Source removed with its articles and translations.",
}


def render(request: Request, name: str, session: SessionInfo | None, *, status: int = 200,
           section: str = "", **values: Any) -> HTMLResponse:
    """An admin template (``templates/admin/NAME``) as a response no cache may keep."""
    ctx: Context = request.app.state.context
    html = ctx.templates.get_template(f"admin/{name}").render(
        site_title=ctx.settings.site_title, editor=session.editor if session else "",
        csrf=session.csrf if session else "", section=section, **values)
    return HTMLResponse(html, status_code=status, headers=NO_STORE)


def message(done: str | None) -> str:
    """The fixed text of a ``done`` code, else nothing."""
    return MESSAGES.get(done or "", "")


def after_post(path: str, done: str, **params: str | int) -> RedirectResponse:
    """303 See Other to ``path`` announcing ``done`` (POST, then redirect, then GET)."""
    query = urlencode({"done": done, **params})
    return RedirectResponse(f"{path}?{query}", status_code=303, headers=NO_STORE)
