"""The search entry keeps its item's publication time; on PostgreSQL, lighter search statements.

Three changes behind one measurement (docs/BENCHMARKS.md, "Search"): an interleaved comparison
over the 100,000-item benchmark catalog, in which the slowest typical queries' statements went
from 28–45 ms to 19–27 ms and none got slower.

- ``published_at`` on the entry: the statement that finds the newest live matches no longer
  joins each match to the item table (a few thousand index lookups for a mid-frequency word).
  Entries of taken-down items are removed, so an entry published by now is a live item.
- PostgreSQL: the search vectors (and, as they are written anew, the texts) are compressed with
  lz4 instead of pglz. Finding the newest matches tests ``document @@ query`` row by row over
  the newest items, and each test first decompresses that row's tsvector (about 1.5 kB); lz4
  does that several times faster.
- PostgreSQL: no parallel workers for scans of this table (``parallel_workers = 0``). The
  statements take 5–40 ms; starting workers cost about 6 ms even for the branch that the
  statement then skips.

Filling ``published_at`` rewrites every entry, which also computes the generated tsvector column
again, now compressed with lz4 (about 20 s per 100,000 entries, during which searches wait for
the table; the texts keep their old compression until ``index_items --rebuild``). The rewrite
leaves the table about twice its size until autovacuum or ``VACUUM`` reclaims the old rows
(docs/DEPLOY.md, Upgrades). On a PostgreSQL built without lz4 the compression stays as it was.
SQLite has nothing to change but the new column.
"""

from django.db import migrations, models

TABLE = "catalog_catalogsearchentry"
COLUMNS = ("document", "title", "summary", "captions")


def _postgres(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


def _has_lz4(cursor) -> bool:
    cursor.execute(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
    )
    row = cursor.fetchone()
    return bool(row and row[0])


def tune_postgres(apps, schema_editor):
    if not _postgres(schema_editor):
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} SET (parallel_workers = 0)")
        if _has_lz4(cursor):
            cursor.execute(
                f"ALTER TABLE {TABLE} "
                + ", ".join(f"ALTER COLUMN {column} SET COMPRESSION lz4" for column in COLUMNS)
            )


def untune_postgres(apps, schema_editor):
    if not _postgres(schema_editor):
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} RESET (parallel_workers)")
        if _has_lz4(cursor):  # only then was the compression changed (and can be named)
            cursor.execute(
                f"ALTER TABLE {TABLE} "
                + ", ".join(f"ALTER COLUMN {column} SET COMPRESSION pglz" for column in COLUMNS)
            )


def fill_published_at(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET published_at = (SELECT i.published_at FROM catalog_catalogitem"
            f" AS i WHERE i.id = {TABLE}.item_id)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_fill_search_facets"),
    ]

    operations = [
        migrations.RunPython(tune_postgres, untune_postgres),
        migrations.AddField(
            model_name="catalogsearchentry",
            name="published_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(fill_published_at, migrations.RunPython.noop),
    ]
