"""The translation memory's rows: segments translated before, by key and source hash.

``translate.memory.TranslationMemory`` decides what is looked up and kept (normalised segments,
human edits with their protected terms); this mixin only reads and writes the rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import select

from babelwire.store.base import StoreBase
from babelwire.store.tables import MemoryRow

_CHUNK = 400                  # keys per IN (...) query: far below every database's limit
_MEMORY = MemoryRow.__table__
MEMORY_KEY = ("engine", "model", "source_lang", "target_lang", "glossary", "source_hash")


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class MemoryMixin(StoreBase):
    """Rows of the translation memory."""

    def memory_lookup(self, engine: str, model: str, src: str, tgt: str, glossary: str,
                      hashes: Sequence[str]) -> dict[str, str]:
        """The target text kept under each source hash that has one."""
        found: dict[str, str] = {}
        # a Core connection: the router asks the memory at every engine step, a score of
        # times an article, and the ORM's session cost more than the query
        with self.connection() as conn:
            for chunk in _chunks(hashes):
                query = select(_MEMORY.c.source_hash, _MEMORY.c.target_text).where(
                    _MEMORY.c.engine == engine, _MEMORY.c.model == model,
                    _MEMORY.c.source_lang == src, _MEMORY.c.target_lang == tgt,
                    _MEMORY.c.glossary == glossary, _MEMORY.c.source_hash.in_(chunk))
                found.update((h, t) for h, t in conn.execute(query).all())
        return found

    def memory_rows(self, wanted: Sequence[tuple[str, Sequence[str], Sequence[str]]]
                    ) -> list[tuple[str, ...]]:
        """Every row kept from a source language into one of its target languages under one
        of its source hashes, for each ``(src, targets, hashes)`` of ``wanted``, whatever the
        row's engine, model or glossary version, all in one transaction: ``(engine, model,
        source_lang, target_lang, glossary, source_hash, target_text)`` each."""
        found: list[tuple[str, ...]] = []
        wanted = [(src, targets, hashes) for src, targets, hashes in wanted if targets and hashes]
        if not wanted:
            return found
        # a Core connection, as memory_lookup: this is the pipeline's read (ArticleMemory)
        with self.connection() as conn:
            for src, targets, hashes in wanted:
                for chunk in _chunks(hashes):
                    query = select(_MEMORY.c.engine, _MEMORY.c.model, _MEMORY.c.source_lang,
                                   _MEMORY.c.target_lang, _MEMORY.c.glossary,
                                   _MEMORY.c.source_hash, _MEMORY.c.target_text).where(
                        _MEMORY.c.source_lang == src,
                        _MEMORY.c.target_lang.in_(sorted(targets)),
                        _MEMORY.c.source_hash.in_(chunk))
                    found.extend(tuple(row) for row in conn.execute(query).all())
        return found

    def memory_keep(self, rows: Sequence[dict[str, Any]], *, replace: bool) -> None:
        """Keep rows (``MEMORY_KEY`` columns plus ``source_text`` and ``target_text``).

        ``INSERT ... ON CONFLICT``: two workers keeping the same segment both succeed; with
        ``replace`` the newer target text wins, else the first one stays. The rows go in key
        order: two transactions inserting some of the same keys take their locks in one order,
        so that neither waits for the other while the other waits for it (a deadlock).
        """
        if not rows:
            return
        keys = list(MEMORY_KEY)
        by_key = {tuple(r[k] for k in keys): r for r in rows}
        unique = [by_key[k] for k in sorted(by_key)]
        # one statement executed for many rows: compiled once and cached by SQLAlchemy, which
        # sends the rows in multi-row batches ("insertmanyvalues"); a VALUES list built per call
        # was compiled anew every time, and that cost more than the insert
        stmt = self.dialect_insert()(_MEMORY)
        if replace:
            stmt = stmt.on_conflict_do_update(index_elements=keys, set_={
                "target_text": stmt.excluded.target_text})
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=keys)
        with self.connection() as conn:
            conn.execute(stmt, unique)
