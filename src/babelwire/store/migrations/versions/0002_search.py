"""full-text search over translations, kept up to date by the database itself

SQLite: an FTS5 table over translations' title and text (external content, no copy of the text),
filled and kept in step by triggers on insert, update and delete.
PostgreSQL: a stored generated tsvector column built with the text search configuration of the
translation's language (title weighted above body), and a GIN index on it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# ISO 639-1 code -> PostgreSQL 15 text search configuration (snowball stemmer + stop words).
# A frozen copy of babelwire.store.search.PG_CONFIGS: a migration must not change when code does.
PG_CONFIGS = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french",
    "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
    "it": "italian", "lt": "lithuanian", "nb": "norwegian", "ne": "nepali", "nl": "dutch",
    "nn": "norwegian", "no": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}

SQLITE_UP = [
    # unicode61 with diacritics removed: "publico" finds "público"; stemming is approximated at
    # query time with prefix terms, since FTS5 only ships an English (porter) stemmer
    """CREATE VIRTUAL TABLE translations_fts USING fts5(
        title, text, content='translations', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER translations_fts_insert AFTER INSERT ON translations BEGIN
        INSERT INTO translations_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER translations_fts_delete AFTER DELETE ON translations BEGIN
        INSERT INTO translations_fts(translations_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
    """CREATE TRIGGER translations_fts_update AFTER UPDATE OF title, text ON translations BEGIN
        INSERT INTO translations_fts(translations_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO translations_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    "INSERT INTO translations_fts(translations_fts) VALUES ('rebuild')",
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS translations_fts_update",
    "DROP TRIGGER IF EXISTS translations_fts_delete",
    "DROP TRIGGER IF EXISTS translations_fts_insert",
    "DROP TABLE IF EXISTS translations_fts",
]


def _pg_config_expression() -> str:
    cases = " ".join(f"WHEN '{code}' THEN '{name}'::regconfig"
                     for code, name in sorted(PG_CONFIGS.items()))
    return f"CASE lang {cases} ELSE 'simple'::regconfig END"


def _pg_up() -> list[str]:
    config = _pg_config_expression()
    vector = (f"setweight(to_tsvector({config}, coalesce(title, '')), 'A') || "
              f"setweight(to_tsvector({config}, coalesce(text, '')), 'B')")
    return [
        f"ALTER TABLE translations ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({vector}) STORED",
        "CREATE INDEX ix_translations_search ON translations USING gin (search_vector)",
    ]


PG_DOWN = [
    "DROP INDEX IF EXISTS ix_translations_search",
    "ALTER TABLE translations DROP COLUMN IF EXISTS search_vector",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": SQLITE_UP, "postgresql": _pg_up()}.get(dialect, [])
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}.get(dialect, []):
        op.execute(statement)
