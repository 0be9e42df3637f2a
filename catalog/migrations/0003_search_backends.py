"""The full-text side of the search index, per database: an FTS5 table kept in step with
catalog_searchdocument by triggers (SQLite), or a generated, weighted tsvector column with a
GIN index (PostgreSQL). Both follow every write to the document table."""

from django.db import migrations

COLUMNS = "name_terms, material_terms, description_terms, gram_terms"
NEW = "new.name_terms, new.material_terms, new.description_terms, new.gram_terms"
OLD = "old.name_terms, old.material_terms, old.description_terms, old.gram_terms"

SQLITE = [
    f"CREATE VIRTUAL TABLE catalog_search_fts USING fts5({COLUMNS}, "
    "content='catalog_searchdocument', content_rowid='item_id', tokenize='unicode61')",
    "CREATE TRIGGER catalog_searchdocument_ai AFTER INSERT ON catalog_searchdocument BEGIN "
    f"INSERT INTO catalog_search_fts(rowid, {COLUMNS}) VALUES (new.item_id, {NEW}); END",
    "CREATE TRIGGER catalog_searchdocument_ad AFTER DELETE ON catalog_searchdocument BEGIN "
    f"INSERT INTO catalog_search_fts(catalog_search_fts, rowid, {COLUMNS}) "
    f"VALUES ('delete', old.item_id, {OLD}); END",
    "CREATE TRIGGER catalog_searchdocument_au AFTER UPDATE ON catalog_searchdocument BEGIN "
    f"INSERT INTO catalog_search_fts(catalog_search_fts, rowid, {COLUMNS}) "
    f"VALUES ('delete', old.item_id, {OLD}); "
    f"INSERT INTO catalog_search_fts(rowid, {COLUMNS}) VALUES (new.item_id, {NEW}); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS catalog_searchdocument_ai",
    "DROP TRIGGER IF EXISTS catalog_searchdocument_ad",
    "DROP TRIGGER IF EXISTS catalog_searchdocument_au",
    "DROP TABLE IF EXISTS catalog_search_fts",
]
# PostgreSQL: ``tsm`` (all fields, positions stripped: small) is what the GIN index matches;
# ``tsr`` (name A, materials B) is what ts_rank orders the candidates by.
# Keeping both small keeps ranking a few milliseconds at 10,000 items.
POSTGRES = [
    "ALTER TABLE catalog_searchdocument ADD COLUMN tsm tsvector GENERATED ALWAYS AS (strip("
    "to_tsvector('simple', name_terms || ' ' || material_terms || ' ' || gram_terms || ' ' || "
    "description_terms))) STORED",
    "ALTER TABLE catalog_searchdocument ADD COLUMN tsr tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', name_terms), 'A') || "
    "setweight(to_tsvector('simple', material_terms), 'B')) STORED",
    "CREATE INDEX catalog_searchdocument_tsm ON catalog_searchdocument USING gin (tsm)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS catalog_searchdocument_tsm",
    "ALTER TABLE catalog_searchdocument DROP COLUMN IF EXISTS tsm",
    "ALTER TABLE catalog_searchdocument DROP COLUMN IF EXISTS tsr",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        chosen = statements.get(vendor)
        if chosen is None:
            raise RuntimeError(f"catalog search supports SQLite and PostgreSQL, not {vendor}")
        for sql in chosen:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
