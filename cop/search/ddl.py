"""The full-text structures on `search_entries`, per database. Not ORM columns, so Alembic must
ignore them (`include_object`), and a migration that creates or rebuilds the table must call
`install(op.get_bind())` afterwards. That includes a SQLite batch migration that recreates
`search_entries`: it drops the triggers, so call `install` again and then `rebuild`.

- SQLite: an FTS5 table `search_fts` over title, body and doc_type, with external content (the
  text is stored once, in search_entries), accents removed by the tokenizer, kept in sync by
  triggers.
- PostgreSQL: a stored generated column `tsv` (title weight A, body B, `italian` configuration
  on accent-folded text) with a GIN index. Folding uses translate() with the same character map
  as cop.search.text.fold, so no extension is needed.
"""
from __future__ import annotations

from sqlalchemy import text

from cop.search.text import FOLD_FROM, FOLD_TO

FTS_TABLE = "search_fts"
TSV_COLUMN = "tsv"
TSV_INDEX = "ix_search_entries_tsv"

_SQLITE = [
    # doc_type is indexed too (weight 0), so that a search of one kind of document (the
    # library's) intersects posting lists instead of ranking every document with the words.
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        title, body, doc_type, content='search_entries', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS search_entries_fts_insert AFTER INSERT ON search_entries
    BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, body, doc_type)
        VALUES (new.id, new.title, new.body, new.doc_type);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_entries_fts_delete AFTER DELETE ON search_entries
    BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body, doc_type)
        VALUES ('delete', old.id, old.title, old.body, old.doc_type);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_entries_fts_update
    AFTER UPDATE OF title, body, doc_type ON search_entries
    BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body, doc_type)
        VALUES ('delete', old.id, old.title, old.body, old.doc_type);
        INSERT INTO {FTS_TABLE}(rowid, title, body, doc_type)
        VALUES (new.id, new.title, new.body, new.doc_type);
    END""",
]
_SQLITE_TRIGGERS = ("search_entries_fts_insert", "search_entries_fts_delete",
                    "search_entries_fts_update")


def _folded(column: str) -> str:
    return f"translate(coalesce({column}, ''), '{FOLD_FROM}', '{FOLD_TO}')"


_POSTGRESQL = [
    f"""ALTER TABLE search_entries ADD COLUMN IF NOT EXISTS {TSV_COLUMN} tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('italian'::regconfig, {_folded('title')}), 'A') ||
        setweight(to_tsvector('italian'::regconfig, {_folded('body')}), 'B')
    ) STORED""",
    f"CREATE INDEX IF NOT EXISTS {TSV_INDEX} ON search_entries USING gin ({TSV_COLUMN})",
]


def install(connection) -> None:
    """Creates the full-text structures (idempotent). Call after creating search_entries."""
    name = connection.dialect.name
    statements = _SQLITE if name == "sqlite" else _POSTGRESQL if name == "postgresql" else []
    for statement in statements:
        connection.execute(text(statement))


def uninstall(connection) -> None:
    """The FTS5 table and its triggers (PostgreSQL's structures go with the table)."""
    if connection.dialect.name == "sqlite":
        for trigger in _SQLITE_TRIGGERS:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
        connection.execute(text(f"DROP TABLE IF EXISTS {FTS_TABLE}"))


def rebuild(connection) -> None:
    """Rebuilds the SQLite full-text index from search_entries (PostgreSQL needs nothing)."""
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))


def include_object(object, name, type_, reflected, compare_to) -> bool:  # noqa: A002
    """Alembic: leave the full-text structures out of autogenerate and schema comparisons."""
    if type_ == "table" and name and (name == FTS_TABLE or name.startswith(FTS_TABLE + "_")):
        return False
    if type_ == "column" and name == TSV_COLUMN and getattr(object, "table", None) is not None \
            and object.table.name == "search_entries":
        return False
    if type_ == "index" and name == TSV_INDEX:
        return False
    return True
