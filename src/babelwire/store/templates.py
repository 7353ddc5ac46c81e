"""Per-site template memory in the store: what ``extract`` learns furniture from.

``StoreTemplates`` implements ``extract.templates.SiteTemplates`` on the ``site_template_pages``
table: the newest ``window`` pages of each site, one row per page key, so that extracting a page
twice changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import delete, select

from babelwire.extract.templates import PageBlocks
from babelwire.store.store import Store
from babelwire.store.tables import utcnow
from babelwire.store.template_tables import SiteTemplatePageRow


class StoreTemplates:
    """A ``SiteTemplates`` kept in the store, shared by every runner and worker."""

    def __init__(self, store: Store, *, window: int = 50, min_share: float = 0.5) -> None:
        self.store = store
        self.window = window
        self.min_share = min_share

    def pages(self, site: str) -> Sequence[PageBlocks]:
        """The newest ``window`` remembered pages of ``site``, oldest first."""
        query = (select(SiteTemplatePageRow).where(SiteTemplatePageRow.site == site)
                 .order_by(SiteTemplatePageRow.seen_at.desc(), SiteTemplatePageRow.page_key)
                 .limit(self.window))
        with self.store.session() as s:
            rows = s.scalars(query).all()
        return tuple(PageBlocks(r.page_key, tuple(json.loads(r.blocks))) for r in reversed(rows))

    def remember(self, site: str, page: PageBlocks) -> None:
        """Add (or refresh) ``page`` and forget the site's pages beyond the window."""
        with self.store.session() as s:
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
                              .offset(self.window)).all()
            if stale:
                s.execute(delete(SiteTemplatePageRow).where(
                    SiteTemplatePageRow.site == site, SiteTemplatePageRow.page_key.in_(stale)))

    def count(self, site: str) -> int:
        """How many pages of ``site`` are remembered."""
        return len(self.pages(site))
