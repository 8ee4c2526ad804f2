"""Trigram indexes for the directory search on PostgreSQL.

Django's `icontains` becomes `UPPER(col::text) LIKE UPPER('%term%')`, which no B-tree index can
serve: at 100,000 people every search scanned the table. A GIN trigram index on the same
expression lets PostgreSQL answer from the index. SQLite has no such index and keeps scanning,
which is fine at the sizes a trial runs. Where the database role may not create the pg_trgm
extension, the migration says so and leaves search working without the index.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

COLUMNS = ["full_name", "email", "job_title"]


def create_indexes(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            print("pg_trgm is not available: directory search will scan the table.")  # noqa: T201
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in COLUMNS:
            cursor.execute(
                f'CREATE INDEX IF NOT EXISTS "accounts_user_{column}_trgm" '  # noqa: S608 - fixed column names
                f'ON "accounts_user" USING gin (UPPER("{column}"::text) gin_trgm_ops)'
            )
        # The search also matches an exact employee number; without an index on it, the OR of
        # the four conditions could not use the trigram indexes and fell back to a full scan.
        cursor.execute(
            'CREATE INDEX IF NOT EXISTS "accounts_user_employee_number_upper" '
            'ON "accounts_user" (UPPER("employee_number"::text))'
        )


def drop_indexes(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for column in COLUMNS:
            cursor.execute(f'DROP INDEX IF EXISTS "accounts_user_{column}_trgm"')
        cursor.execute('DROP INDEX IF EXISTS "accounts_user_employee_number_upper"')


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
