"""The editors' side of the site, all under ``/admin`` and all behind a token: sign-in,
dashboard, review queue (side by side, edit, approve, reject), sources and OPML, engine usage,
and the same queue as JSON for scripts."""

from fastapi import APIRouter

from babelwire.publish.admin import api, dashboard, login, review, sources, usage
from babelwire.publish.admin.auth import AdminConfig

ROUTERS: tuple[APIRouter, ...] = (login.router, dashboard.router, review.router,
                                  sources.router, usage.router, api.router)

__all__ = ["ROUTERS", "AdminConfig"]
