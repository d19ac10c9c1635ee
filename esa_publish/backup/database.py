"""Dumping every table to JSON Lines and loading it back into an empty database.

The same code serves SQLite and PostgreSQL, so a backup can also move an office from one to the
other. Rows keep their primary keys (no natural keys), content types and permissions included,
which is what makes loading them straightforward: the target is migrated, then emptied of the
rows ``migrate`` itself created (content types, permissions, role groups, default categories…),
then given the backup's rows, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.db import DEFAULT_DB_ALIAS, connection, router, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from esa_publish.backup.serializer import Deserializer, Serializer

#: Models left out of backups. Sessions expire within the hour anyway, and a backup that leaked
#: must not hand out live logins.
EXCLUDED_MODELS = frozenset({"sessions.session"})


def backed_up_models() -> list:
    """Every model with a table of its own, parents before children (for readable dumps)."""
    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module]
    ordered = serializers.sort_dependencies(app_list, allow_cycles=True)
    return [
        model
        for model in ordered
        if not model._meta.proxy
        and router.allow_migrate_model(DEFAULT_DB_ALIAS, model)
        and model._meta.label_lower not in EXCLUDED_MODELS
    ]


def _all_rows(models) -> Iterator:
    for model in models:
        yield from model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)


def dump(path: Path) -> int:
    """Write every row to ``path`` (UTF-8 JSON Lines) from one consistent snapshot.

    PostgreSQL gives a repeatable-read snapshot, so rows written meanwhile by the web process are
    either all in or all out. SQLite holds its write lock for the duration instead (a few seconds
    for an office's database); writers wait, up to the busy timeout.
    Returns the number of rows.
    """
    models = backed_up_models()
    counter = _Counter()
    snapshot_first = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(), open(path, "w", encoding="utf-8") as stream:
        if snapshot_first:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        Serializer().serialize(
            counter.count(_all_rows(models)),
            stream=stream,
            use_natural_foreign_keys=False,
            use_natural_primary_keys=False,
        )
    return counter.n


class _Counter:
    n = 0

    def count(self, items):
        for item in items:
            self.n += 1
            yield item


def applied_migrations() -> list[str]:
    """The applied migrations this code knows about, as "app.name" (the schema of the rows)."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    recorded = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in recorded if (app, name) in loader.graph.nodes)


def pending_migrations() -> list[str]:
    """Migrations of this code that the database has not had yet."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def code_migrations() -> list[str]:
    """Every migration of the installed code: what ``migrate`` will have applied."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.graph.nodes)


def user_count() -> int | None:
    """Accounts in the database; None when the table does not exist yet (a blank database).

    A database without accounts has never been used: every piece of data in esa-publish is made
    by a signed-in person (requests, decisions, the office profile, published items), while the
    rows that exist right after ``migrate`` (groups, categories, ITA items) come from the code.
    """
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if user_model._meta.db_table not in connection.introspection.table_names():
        return None
    return user_model._base_manager.count()


def load(path: Path) -> int:
    """Replace every row of the (migrated, unused) database with the rows in ``path``.

    One transaction: if any row fails, the database is left as it was. Foreign keys are checked
    at the end, once every row is in, and sequences are moved past the loaded primary keys.
    Returns the number of rows.
    """
    loaded_models = set()
    count = 0
    with transaction.atomic():
        connection.ops.execute_sql_flush(
            sql_flush(no_style(), connection, reset_sequences=True, allow_cascade=False)
        )
        with connection.constraint_checks_disabled(), open(path, encoding="utf-8") as stream:
            for item in Deserializer(stream, handle_forward_references=True):
                item.save()
                loaded_models.add(type(item.object))
                count += 1
        connection.check_constraints(table_names=[model._meta.db_table for model in loaded_models])
        statements = connection.ops.sequence_reset_sql(no_style(), list(loaded_models))
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()  # ids cached by migrate's signals are stale now
    return count
