"""The pages each site's furniture is learnt from (``extract.furniture``), in the store.

The newest ``window`` pages of each site, one row per page key, so that extracting a page twice
changes nothing; every runner and worker shares them.

A row's ``blocks`` column holds JSON: ``{"blocks": [...], "additions": [...]}`` (the page's
candidate blocks and the segments the block model may add to them, see ``models.PageBlocks``).
A row written before the additions were kept holds the list of blocks alone; it reads as a
page without additions (its segments are not refused until the page is seen again), so the
table needs no migration.
"""

from __future__ import annotations

import json

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from babelwire.models import PageBlocks
from babelwire.store.base import StoreBase
from babelwire.store.tables import SiteTemplatePageRow, utcnow


def _page(key: str, stored: str) -> PageBlocks:
    """A remembered page from its row (either form of the ``blocks`` column: see above)."""
    data = json.loads(stored)
    if isinstance(data, list):
        return PageBlocks(key, tuple(data))
    return PageBlocks(key, tuple(data["blocks"]), tuple(data.get("additions", ())))


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
            row.blocks = json.dumps({"blocks": list(page.blocks),
                                     "additions": list(page.additions)}, ensure_ascii=False)
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
    return tuple(_page(r.page_key, r.blocks) for r in reversed(rows))
