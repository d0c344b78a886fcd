"""What every benchmark in ``bench/`` shares: its own PostgreSQL database next to the
one in DATABASE_URL (created, migrated, dropped again, so the data under DATABASE_URL
is never touched), Django set up on it, and its section of ``docs/benchmarks.md``.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _bench_database_url() -> tuple[str, str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "DATABASE_URL must point to PostgreSQL: the benchmark measures the production path"
        )
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_bench"
    admin = urlunsplit(parts._replace(path="/postgres"))
    return urlunsplit(parts._replace(path="/" + name)), admin, name


def _recreate(admin_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg2

    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def setup() -> tuple[str, str]:
    """Create and migrate ``<name>_bench`` and set Django up on it; e-mail tasks go to
    Redis database 15, or to an in-process broker without REDIS_URL. Returns what
    :func:`drop` needs."""
    bench_url, admin_url, name = _bench_database_url()
    _recreate(admin_url, name)
    os.environ["DATABASE_URL"] = bench_url
    redis = os.environ.get("REDIS_URL")
    os.environ["CELERY_BROKER_URL"] = (
        urlunsplit(urlsplit(redis)._replace(path="/15")) if redis else "memory://"
    )
    os.environ.setdefault("DJANGO_DEBUG", "True")
    os.environ["DJANGO_SETTINGS_MODULE"] = "katingan_sosmed.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return admin_url, name


def drop(admin_url: str, name: str) -> None:
    from django.db import connections

    connections.close_all()
    _recreate(admin_url, name, drop_only=True)


def write_section(start: str, end: str, section: str) -> None:
    """Put ``section`` (which begins with ``start`` and ends with ``end``) in place of
    the old one in ``docs/benchmarks.md``, or append it."""
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n\nFigures written by `bench/`.\n"
    if start in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    path.write_text(text)


def sql_array(values) -> str:
    """A PostgreSQL ARRAY literal of values the benchmark generated itself (ids, or
    already quoted literals), never of outside input."""
    return "ARRAY[" + ",".join(str(v) for v in values) + "]"


def tracking_alphabet() -> str:
    """The alphabet of tracking codes; the generators assume 32 letters and 8 places."""
    from inquiries.models import TRACKING_ALPHABET, TRACKING_LENGTH

    assert len(TRACKING_ALPHABET) == 32 and TRACKING_LENGTH == 8
    return TRACKING_ALPHABET
