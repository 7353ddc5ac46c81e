"""What the store keeps of the rights of pages and the modes declared per source."""

from __future__ import annotations

from sqlalchemy import exists, func, select, update

from babelwire.models import ItemState, Rights
from babelwire.store.base import StoreBase
from babelwire.store.rows import rights_from_row
from babelwire.store.tables import ArticleRow, ItemRow, TranslationRow


class RightsMixin(StoreBase):
    """Rights of the stored articles, per source."""

    def rights_by_source(self) -> dict[int, list[tuple[Rights, int]]]:
        """``{source_id: [(rights, how many articles have them), ...]}``, most frequent first,
        over the articles each source's items hold (taken-down ones aside)."""
        columns = (ArticleRow.license, ArticleRow.access, ArticleRow.robots,
                   ArticleRow.rights_problems)
        query = (select(ItemRow.source_id, *columns, func.count())
                 .join(ItemRow, ItemRow.id == ArticleRow.item_id)
                 .where(ItemRow.state != ItemState.TAKEN_DOWN)
                 .group_by(ItemRow.source_id, *columns)
                 .order_by(ItemRow.source_id, func.count().desc()))
        found: dict[int, list[tuple[Rights, int]]] = {}
        with self.session() as s:
            for source_id, license, access, robots, problems, count in s.execute(query):
                row = ArticleRow(license=license, access=access, robots=robots,
                                 rights_problems=problems)
                found.setdefault(source_id, []).append((rights_from_row(row), int(count)))
        return found

    def retranslate_untranslated(self, source_id: int) -> int:
        """Send the source's published items that have an article but no translation (their
        mode was ``none``) back to translation; returns how many."""
        untranslated = ~exists().where(TranslationRow.item_id == ItemRow.id)
        extracted = exists().where(ArticleRow.item_id == ItemRow.id)
        with self.session() as s:
            done = s.execute(update(ItemRow).where(
                ItemRow.source_id == source_id, ItemRow.state == ItemState.PUBLISHED,
                ItemRow.lease_owner.is_(None), extracted, untranslated)
                .values(state=ItemState.EXTRACTED, attempts=0, reason=None,
                        next_attempt_at=None).execution_options(synchronize_session=False))
            return int(done.rowcount)  # type: ignore[attr-defined]
