"""The pages each site's furniture is learnt from (``extract.furniture``), in the store.

The newest ``window`` pages of each site, one row per page key, so that extracting a page twice
changes nothing; every runner and worker shares them.
"""

from __future__ import annotations

import json

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from babelwire.models import PageBlocks
from babelwire.store.base import StoreBase
from babelwire.store.tables import SiteTemplatePageRow, utcnow


class SiteMemoryMixin(StoreBase):
    """Remembered pages per site."""

    def remembered_pages(self, site: str, *, window: int) -> tuple[PageBlocks, ...]:
        """The newest ``window`` remembered pages of ``site``, oldest first."""
        with self.session() as s:
            return _pages(s, site, window)

    def remember_page(self, site: str, page: PageBlocks, *,
                      window: int) -> tuple[PageBlocks, ...]:
        """Add (or refresh) ``page``, forget the site's pages beyond the window, and return
        ``remembered_pages`` as they are after (the same transaction: extraction reads them
        right after remembering its page)."""
        with self.session() as s:
            row = s.get(SiteTemplatePageRow, (site, page.key))
            if row is None:
                row = SiteTemplatePageRow(site=site, page_key=page.key)
                s.add(row)
            row.blocks = json.dumps(list(page.blocks), ensure_ascii=False)
            row.seen_at = utcnow()
            s.flush()
            stale = s.scalars(select(SiteTemplatePageRow.page_key)
                              .where(SiteTemplatePageRow.site == site)
                              .order_by(SiteTemplatePageRow.seen_at.desc())
                              .offset(window)).all()
            if stale:
                s.execute(delete(SiteTemplatePageRow).where(
                    SiteTemplatePageRow.site == site, SiteTemplatePageRow.page_key.in_(stale)))
            return _pages(s, site, window)


def _pages(s: Session, site: str, window: int) -> tuple[PageBlocks, ...]:
    query = (select(SiteTemplatePageRow).where(SiteTemplatePageRow.site == site)
             .order_by(SiteTemplatePageRow.seen_at.desc(), SiteTemplatePageRow.page_key)
             .limit(window))
    rows = s.scalars(query).all()
    return tuple(PageBlocks(r.page_key, tuple(json.loads(r.blocks))) for r in reversed(rows))
