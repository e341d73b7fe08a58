"""Site search: one full-text index of what people write, on SQLite (FTS5) and PostgreSQL
(tsvector, `italian`), behind one interface (services to write, queries.search to read)."""
