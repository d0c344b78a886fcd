"""A real Celery worker for the browser journeys, in its own process.

``celery worker`` (prefork, one child) runs on the test's PostgreSQL database and the
suite's Redis broker, as in production, the way ``inquiries/tests/test_deadline_processes``
starts its workers. The live server enqueues on commit; this process consumes.

The worker can run with its clock moved (``clock_at``): run as ``python -m e2e.worker``,
this module starts time-machine at that moment (ticking on) before handing over to
Celery, so the deadline sweep reads the moved moment from ``katingan_sosmed.clock.now()``
exactly as the test process (and its live server thread) does under its own
``time_machine.travel``.
"""

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CLOCK_VARIABLE = "E2E_WORKER_CLOCK_AT"  # a POSIX timestamp
READY_SECONDS = 60


@dataclass(frozen=True)
class Worker:
    process: subprocess.Popen
    log: Path
    var_dir: Path  # the worker's VAR_DIR: its media under "media", its mail under "mail"

    @property
    def media_root(self) -> Path:
        return self.var_dir / "media"

    @property
    def mail_dir(self) -> Path:
        return self.var_dir / "mail"

    def output(self) -> str:
        return self.log.read_text()

    def mail_recipients(self) -> list[str]:
        """Who the worker sent e-mail to (the file backend writes one file per batch)."""
        if not self.mail_dir.exists():
            return []
        return [
            line[4:]
            for path in sorted(self.mail_dir.glob("*.log"))
            for line in path.read_text().splitlines()
            if line.startswith("To: ")
        ]


def database_url(application_name: str) -> str:
    """The test database, for another process to open (PostgreSQL only), its sessions
    named ``application_name``."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor != "postgresql":
        raise RuntimeError(
            "a worker process needs a database another process can open: set DATABASE_URL "
            f"to PostgreSQL (this run uses {connection.vendor})"
        )
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}?application_name={application_name}"


def sessions_of(application_name: str) -> int:
    """How many database sessions the worker processes still hold."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
            [application_name],
        )
        return cursor.fetchone()[0]


def purge_broker() -> int:
    """Drop the messages earlier tests left on the broker (enqueued with no worker
    running): they name rows of a database flushed since."""
    from katingan_sosmed.celery import app

    return app.control.purge()


@contextmanager
def worker_process(
    var_dir: Path, *, name: str = "e2e", clock_at: dt.datetime | None = None
) -> Iterator[Worker]:
    """Start ``celery worker`` on the suite's broker; stop it (and its child) on exit.

    It consumes whatever waits on the broker: call :func:`purge_broker` before the test
    writes anything, so that only this test's messages are there.
    """
    from django.conf import settings

    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis://"):
        raise RuntimeError(f"the journeys need the Redis broker (CELERY_BROKER_URL={broker})")
    var_dir.mkdir(parents=True, exist_ok=True)
    log = var_dir / f"{name}.log"
    tag = f"{name}-{uuid.uuid4().hex[:6]}"
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_DEBUG": "True",
        "DJANGO_READ_DOT_ENV": "False",
        "DATABASE_URL": database_url(f"e2e-worker-{tag}"),
        "CELERY_BROKER_URL": broker,
        "REDIS_URL": settings.REDIS_URL or broker,
        "VAR_DIR": str(var_dir),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(var_dir / "mail"),
    }
    if clock_at is not None:
        env[CLOCK_VARIABLE] = str(clock_at.timestamp())
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                *("-m", "e2e.worker", "-A", "katingan_sosmed", "worker", "--pool=prefork"),
                *("--concurrency=1", "--without-heartbeat", "--without-gossip"),
                *("--without-mingle", "-l", "info", "-n", f"{tag}@%h"),
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + READY_SECONDS
        while "ready." not in log.read_text():
            if process.poll() is not None:
                raise RuntimeError(f"the worker exited:\n{log.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start:\n{log.read_text()}")
            time.sleep(0.1)
        yield Worker(process=process, log=log, var_dir=var_dir)
    finally:
        # Imported here: this module is also the worker's entry point (``python -m
        # e2e.worker``), which runs before Django is set up.
        from inquiries.tests.processes import stop_group, wait_for

        stop_group(process)
        # The database notices the killed processes' sessions end a moment later; the
        # test database can only be flushed or dropped once they have.
        wait_for(
            lambda: sessions_of(f"e2e-worker-{tag}") == 0,
            "the worker's database sessions to close",
            timeout=15,
        )


def _main() -> None:
    """``python -m e2e.worker <celery arguments>``: Celery, at the moved clock if asked."""
    moment = os.environ.get(CLOCK_VARIABLE)
    if moment:
        import time_machine

        time_machine.travel(float(moment), tick=True).start()
    from celery.__main__ import main

    sys.argv[0] = "celery"
    main()


if __name__ == "__main__":
    _main()
