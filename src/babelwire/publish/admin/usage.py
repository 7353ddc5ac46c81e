"""What the engines cost, for editors: characters, tokens, seconds and memory hits per engine,
by source and by day (the same figures as ``babelwire usage``)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from babelwire.publish.admin.auth import Editor
from babelwire.publish.admin.pages import render
from babelwire.publish.context import Ctx
from babelwire.translate.usage import totals_by_engine

router = APIRouter(include_in_schema=False)

PERIODS = (1, 7, 30, 90, 365)


@router.get("/admin/usage")
def usage(request: Request, ctx: Ctx, session: Editor,
          days: int = Query(30, ge=1, le=3660)) -> Response:
    """Totals per engine over the last ``days`` days, then per engine, source and day."""
    lines = ctx.store.usage(days, by_day=True)
    return render(request, "usage.html", session, section="usage", days=days, periods=PERIODS,
                  totals=sorted(totals_by_engine(lines).items()), lines=lines)
