"""Full-text search over published translations, with each database's own engine.

The index is kept by the database itself (migration 0002), so nothing has to be called when a
translation is saved or published: SQLite has an FTS5 table filled by triggers, PostgreSQL a
generated ``tsvector`` column built with the stemmer of the translation's language and a GIN
index. Queries always go through the same filter as the site's other reads, so only published
translations of published items are ever found. A search ranks only the newest ``NEWEST`` of
its matches, so that its cost does not grow with the store.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Integer,
    Subquery,
    bindparam,
    func,
    literal,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import REGCONFIG

from babelwire.models import ItemState, PublishedArticle, TranslationStatus
from babelwire.store.base import StoreBase
from babelwire.store.site import NOTHING, full_row_view, public_only, published_query
from babelwire.store.tables import TranslationRow

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
# A search ranks only the newest NEWEST public matches of its language (all of them when fewer
# match): ranking every match cost time in proportion to the store (a common word matches a
# fixed share of it: 150 ms at 100,000 articles), ranking at most this many costs the same at
# any size. 1,000 is fifty pages of twenty, more than readers page through, and as many as
# the API counts (``COUNT_UP_TO``); docs/performance.md has the cost against the bound.
NEWEST = 1000


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


# The newest public matches of a language, each with its relevance (bm25 is lower-is-better:
# negated, so that both dialects sort by rank descending). FTS5 walks its matches newest
# (highest rowid) first and the walk stops at the limit; the CROSS JOIN keeps SQLite from
# walking the language's translations instead, and migration 0015's small index tells the
# language and status of each match without reading its row (whose status lies past its
# bodies). bm25 is computed only for the matches kept. (The language is not part of the match:
# bm25 counts the rows of every phrase of a match, and counting a language's rows grew with
# the store: 10 ms at 100,000 articles.)
_SQLITE_NEWEST = text(f"""
SELECT translations_fts.rowid AS id, -bm25(translations_fts, {TITLE_WEIGHT}, 1.0) AS rank
FROM translations_fts
CROSS JOIN translations INDEXED BY ix_translations_search_public
    ON translations.id = translations_fts.rowid
JOIN items ON items.id = translations.item_id
JOIN sources ON sources.id = items.source_id
WHERE translations_fts MATCH :match AND translations.lang = :lang
  AND translations.status = :published AND items.state = :state
  AND sources.republish != :nothing
ORDER BY translations_fts.rowid DESC LIMIT :newest""")


def _sqlite_newest(lang: str, query: str, newest: int) -> Subquery | None:
    words = fts5_query(query)
    if not words:
        return None
    return (_SQLITE_NEWEST.bindparams(
        match=words, lang=lang, published=str(TranslationStatus.PUBLISHED),
        state=str(ItemState.PUBLISHED), nothing=NOTHING, newest=newest)
        .columns(id=Integer(), rank=Float()).subquery("newest"))


def _pg_newest(lang: str, query: str, newest: int) -> Subquery | None:
    if not _WORD.search(query):
        return None
    config = literal(pg_config(lang), REGCONFIG)
    tsquery = func.websearch_to_tsquery(config, literal(query))
    vector: ColumnElement[Any] = literal_column("translations.search_vector")
    # "id + 0": PostgreSQL would otherwise walk the primary key backwards testing each row's
    # vector, which for a word common in other languages than this one means every row; it
    # takes the matches from the GIN index instead, then the newest of them.
    matches = (public_only(select(TranslationRow.id, vector.label("vector")))
               .where(TranslationRow.lang == lang, vector.op("@@")(tsquery))
               .order_by((TranslationRow.id + 0).desc()).limit(newest).subquery("matches"))
    # weights for D, C, B, A: body text is B, title is A; ranked outside the limit, so that
    # only the newest are ranked
    weights: ColumnElement[Any] = literal_column(
        f"'{{0.1, 0.2, {1 / TITLE_WEIGHT}, 1.0}}'::float4[]")
    rank = func.ts_rank_cd(weights, matches.c.vector, tsquery)
    return select(matches.c.id, rank.label("rank")).subquery("newest")


_NEWEST = {"sqlite": _sqlite_newest, "postgresql": _pg_newest}
# The whole rows of a page's results, by id: on SQLite one kept statement for each (with a list
# of ids, SQLite, which has no statistics, walked every published item by its state instead);
# on PostgreSQL, where a statement is a round trip, one for all.
_FOUND = published_query().where(TranslationRow.id == bindparam("id", type_=Integer()))
_FOUND_ALL = published_query().where(TranslationRow.id.in_(bindparam("ids", expanding=True)))


def _found_rows(conn: Connection, ids: list[int]) -> list[Any]:
    if conn.dialect.name == "sqlite":
        rows = [conn.execute(_FOUND, {"id": i}).first() for i in ids]
    else:
        by_id = {row.id: row for row in conn.execute(_FOUND_ALL, {"ids": ids})} if ids else {}
        rows = [by_id.get(i) for i in ids]
    return [row for row in rows if row is not None]


class SearchMixin(StoreBase):
    """Full-text search of published translations."""

    def search(self, lang: str, query: str, limit: int = 20, offset: int = 0,
               newest: int | None = None) -> tuple[list[PublishedArticle], int]:
        """Published translations into ``lang`` matching ``query``, best first, and how many
        there are to page through.

        Only the ``newest`` (default ``NEWEST``) most recently stored matches are ranked (all
        of them when fewer match), by the database's own relevance measure (FTS5 bm25,
        PostgreSQL ts_rank_cd), the newer first among equals: the cost is bounded by
        ``newest`` however many translations match, and a rare word still finds old ones. The
        count is of those ranked, so it is at most ``newest``. A query with no word finds
        nothing.
        """
        dialect = self.engine.dialect.name
        if dialect not in _NEWEST:
            raise NotImplementedError(f"no full-text search for {dialect}")
        found = _NEWEST[dialect](lang, query, NEWEST if newest is None else newest)
        if found is None:
            return [], 0
        offset, limit = max(0, offset), max(0, limit)
        page = (select(found.c.id, func.count().over().label("total"))
                .order_by(found.c.rank.desc(), found.c.id.desc()).limit(limit).offset(offset))
        with self.connection() as conn:
            ranked = conn.execute(page).all()
            if ranked:
                total = int(ranked[0].total)
            else:  # past the last page (or none asked): count them alone
                total = int(conn.scalar(select(func.count()).select_from(found)) or 0) \
                    if offset or not limit else 0
            rows = _found_rows(conn, [r.id for r in ranked])
        return [full_row_view(row) for row in rows], total
