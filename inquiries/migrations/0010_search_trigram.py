"""On PostgreSQL, trigram indexes for the inbox search (``text`` and ``author_name``
``icontains``, which Django writes as ``UPPER(col::text) LIKE UPPER('%term%')``): a
search reads the matching rows instead of every row of the agency.

pg_trgm ships with PostgreSQL; creating the extension needs the right to do so (the
database owner on PostgreSQL 13+, where pg_trgm is a trusted extension). Where it cannot
be created the migration leaves the indexes out and the search still works, only slower.
SQLite (the local default) has no such index.
"""

import logging

from django.db import migrations

log = logging.getLogger(__name__)

INDEXES = {
    "inq_text_trgm_idx": "upper((text)::text)",
    "inq_author_trgm_idx": "upper((author_name)::text)",
}


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SAVEPOINT trgm")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as error:  # noqa: BLE001 - the search works without it
            cursor.execute("ROLLBACK TO SAVEPOINT trgm")
            log.warning("pg_trgm unavailable (%s): the inbox search has no trigram index", error)
            return
        cursor.execute("RELEASE SAVEPOINT trgm")
        for name, expression in INDEXES.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON inquiries_inquiry "
                f"USING gin ({expression} gin_trgm_ops)"
            )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0009_inbox_urgency")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
