"""Who may use the admin pages: token sign-in, session cookie, CSRF checks, login throttling.

A browser signs in once with a token and gets a session cookie (HttpOnly, SameSite=Strict,
Path=/admin, Secure on an https site). Every POST must carry the session's form token and, when
the browser says where the form came from (Origin, Sec-Fetch-Site), come from this site: the
cookie policy alone stops other sites' forms in current browsers, the form token in all of them.
Scripts use ``Authorization: Bearer TOKEN`` on the JSON endpoints instead, which no other site
can make a browser send. Failed sign-ins (and bad bearer tokens) spend a per-client token bucket
(kept in the store by ``create_app``: one bucket for every ``serve`` process): a client out of
tokens is refused before its guess is even looked at.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, HTTPException, Request

from babelwire.publish.context import Context
from babelwire.publish.middleware import Buckets, TokenBuckets
from babelwire.store.review import Approval
from babelwire.store.tokens import SessionInfo, TokenInfo

COOKIE = "bw_session"
COOKIE_PATH = "/admin"
LOGIN_PATH = "/admin/login"
HOME_PATH = "/admin/"


@dataclass(frozen=True)
class AdminConfig:
    """Settings of the admin side, kept on ``app.state.admin``."""

    session_lifetime: timedelta = timedelta(hours=12)
    login_buckets: Buckets = field(default_factory=lambda: TokenBuckets(1 / 60, 5))
    secure_cookie: bool = False
    on_approve: Callable[[Approval], None] | None = None


def admin_config(request: Request) -> AdminConfig:
    """The app's ``AdminConfig``."""
    config: AdminConfig = request.app.state.admin
    return config


def client_of(request: Request) -> str:
    """The address failed sign-ins are counted against."""
    return request.client.host if request.client else "unknown"


def safe_next(path: str | None) -> str:
    """Where to go after signing in: an admin path of this site, never another site."""
    if not path or not path.startswith(HOME_PATH) or "//" in path or "\\" in path:
        return HOME_PATH
    return path


def same_origin(request: Request) -> bool:
    """False when the browser says the request comes from another site."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser, or an old one: the form token still has to match
    return urlsplit(origin).netloc == request.headers.get("host", "")


def throttled(request: Request) -> None:
    """Refuse (429) a client that used up its failed sign-ins."""
    wait = admin_config(request).login_buckets.wait(client_of(request))
    if wait:
        raise HTTPException(status_code=429, detail="Too many failed sign-ins: wait a moment.",
                            headers={"retry-after": str(max(1, int(min(wait, 3600.0)) + 1))})


def record_failure(request: Request) -> None:
    """Count a failed sign-in (or bad bearer token) against the client."""
    admin_config(request).login_buckets.take(client_of(request))


def current_session(request: Request) -> SessionInfo | None:
    """The signed-in session of this browser, if any (revoked tokens have none)."""
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        return None
    ctx: Context = request.app.state.context
    return ctx.store.get_session(cookie)


def require_session(request: Request) -> SessionInfo:
    """FastAPI dependency: the editor's session, else a redirect to the sign-in page."""
    session = current_session(request)
    if session is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise HTTPException(status_code=303, headers={
            "location": f"{LOGIN_PATH}?next={quote(safe_next(target), safe='/')}"})
    return session


async def require_form(request: Request,
                       session: Annotated[SessionInfo, Depends(require_session)]) -> SessionInfo:
    """FastAPI dependency of every admin POST: signed in, same site, right form token."""
    form = await request.form()
    sent = form.get("csrf")
    if not same_origin(request) or not isinstance(sent, str) or not hmac.compare_digest(
            sent.encode(), session.csrf.encode()):
        raise HTTPException(status_code=403, detail="This form has expired: reload the page.")
    return session


def require_bearer(request: Request) -> TokenInfo:
    """FastAPI dependency of the admin JSON endpoints: a valid ``Authorization: Bearer``."""
    throttled(request)
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    ctx: Context = request.app.state.context
    token = ctx.store.verify_token(secret.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        record_failure(request)
        raise HTTPException(status_code=401, detail="A valid bearer token is required.",
                            headers={"www-authenticate": "Bearer"})
    return token


Editor = Annotated[SessionInfo, Depends(require_session)]
FormEditor = Annotated[SessionInfo, Depends(require_form)]
BearerToken = Annotated[TokenInfo, Depends(require_bearer)]
