"""Full-text search over published translations, with each database's own engine.

The index is kept by the database itself (migration 0002), so nothing has to be called when a
translation is saved or published: SQLite has an FTS5 table filled by triggers, PostgreSQL a
generated ``tsvector`` column built with the stemmer of the translation's language and a GIN
index. Queries always go through the same filter as the site's other reads, so only published
translations of published items are ever found.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import REGCONFIG
from sqlalchemy.sql.elements import TextClause

from babelwire.models import ItemState, PublishedArticle, TranslationStatus
from babelwire.store.base import StoreBase
from babelwire.store.site import NOTHING, full_row_view, published_query
from babelwire.store.tables import ArticleRow, SourceRow, TranslationRow

# ISO 639-1 code -> PostgreSQL text search configuration; others use "simple" (no stemming).
# Migration 0002 holds a frozen copy that builds the index: the two must agree (tested).
PG_CONFIGS = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french",
    "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
    "it": "italian", "lt": "lithuanian", "nb": "norwegian", "ne": "nepali", "nl": "dutch",
    "nn": "norwegian", "no": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
# A title match counts four times a body match (bm25 column weights; PostgreSQL weights A/B).
TITLE_WEIGHT = 4.0
MAX_TERMS = 12
MIN_PREFIX = 4
_WORD = re.compile(r"\w+", re.UNICODE)
FTS_TABLE = table("translations_fts", column("rowid"))

Query = Select[TranslationRow, ArticleRow, SourceRow]


def pg_config(lang: str) -> str:
    """The PostgreSQL text search configuration used for ``lang``."""
    return PG_CONFIGS.get(lang, "simple")


def fts5_query(query: str) -> str:
    """A safe FTS5 expression for what a reader typed: every word must appear.

    Each word is quoted (so ``AND``, ``-`` or ``"`` typed by the reader are text, not syntax);
    words of ``MIN_PREFIX`` letters or more match as prefixes, which stands in for the stemming
    FTS5 lacks outside English ("vivienda" finds "viviendas"). Empty when there is no word.
    """
    words = _WORD.findall(query)[:MAX_TERMS]
    return " ".join(f'"{w}"*' if len(w) >= MIN_PREFIX else f'"{w}"' for w in words)


# How many public translations match, the full-text index first (CROSS JOIN keeps SQLite from
# walking every translation of the language and running the match once per row, a cost that
# grew with the store rather than with the matches).
_SQLITE_COUNT = text("""
SELECT count(*) FROM translations_fts
CROSS JOIN translations ON translations.id = translations_fts.rowid
JOIN items ON items.id = translations.item_id
JOIN sources ON sources.id = items.source_id
WHERE translations_fts MATCH :match AND translations.lang = :lang
  AND translations.status = :published AND items.state = :state
  AND sources.republish != :nothing""")


def _sqlite_query(lang: str, match: str) -> tuple[Query, ColumnElement[Any]]:
    # FTS5 names the table itself in MATCH and as bm25's first argument
    fts: ColumnElement[Any] = literal_column("translations_fts")
    base = (published_query(lang)
            .join(FTS_TABLE, FTS_TABLE.c.rowid == TranslationRow.id)
            .where(fts.op("MATCH")(literal(match))))
    # bm25 is lower-is-better; negate it so that both dialects sort by rank descending
    rank: ColumnElement[Any] = -func.bm25(fts, TITLE_WEIGHT, 1.0)
    return base, rank


def _pg_query(lang: str, query: str) -> tuple[Query, ColumnElement[Any]]:
    config = literal(pg_config(lang), REGCONFIG)
    tsquery = func.websearch_to_tsquery(config, literal(query))
    vector: ColumnElement[Any] = literal_column("translations.search_vector")
    base = published_query(lang).where(vector.op("@@")(tsquery))
    # weights for D, C, B, A: body text is B, title is A
    weights: ColumnElement[Any] = literal_column(
        f"'{{0.1, 0.2, {1 / TITLE_WEIGHT}, 1.0}}'::float4[]")
    rank: ColumnElement[Any] = func.ts_rank_cd(weights, vector, tsquery)
    return base, rank


class SearchMixin(StoreBase):
    """Full-text search of published translations."""

    def search(self, lang: str, query: str, limit: int = 20,
               offset: int = 0) -> tuple[list[PublishedArticle], int]:
        """Published translations into ``lang`` matching ``query``, best first, and how many match.

        Ranked by the database's own relevance measure (FTS5 bm25, PostgreSQL ts_rank_cd), newest
        first among equals. A query with no word finds nothing.
        """
        dialect = self.engine.dialect.name
        if dialect == "sqlite":
            match = fts5_query(query)
            if not match:
                return [], 0
            base, rank = _sqlite_query(lang, match)
        elif dialect == "postgresql":
            if not _WORD.search(query):
                return [], 0
            base, rank = _pg_query(lang, query)
        else:
            raise NotImplementedError(f"no full-text search for {dialect}")
        count = None
        if dialect == "sqlite":
            count = _SQLITE_COUNT.bindparams(
                match=match, lang=lang, published=str(TranslationStatus.PUBLISHED),
                state=str(ItemState.PUBLISHED), nothing=NOTHING)
        return self._ranked(base, rank, limit, offset, count)

    def _ranked(self, base: Query, rank: ColumnElement[Any], limit: int,
             offset: int, count: TextClause | None = None
                ) -> tuple[list[PublishedArticle], int]:
        ordered = (base.add_columns(rank.label("rank"))
                   .order_by(literal_column("rank").desc(), TranslationRow.published_at.desc(),
                             TranslationRow.id.desc())
                   .limit(max(0, limit)).offset(max(0, offset)))
        with self.session() as s:
            total = int(s.scalar(count if count is not None
                                 else select(func.count()).select_from(base.subquery())) or 0)
            rows = s.execute(ordered).all() if total else []
            return [full_row_view(r) for r in rows], total
