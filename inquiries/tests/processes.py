"""Real services for the fault tests: a private ``redis-server``, a TCP proxy in front
of PostgreSQL, ``celery worker`` and ``celery beat`` processes on this test's database.

Shared by ``test_deadline_processes.py`` and ``test_service_faults.py``. Every service
here is private to one test (its own free loopback port), so stopping, emptying or
cutting it never disturbs the Redis and PostgreSQL that the rest of the suite (and
other sessions on the machine) use.
"""

import datetime as dt
import email
import email.policy
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from accounts.tests.factories import OfficialAccountFactory
from inquiries.deadlines import next_notice_at
from inquiries.models import Forwarding, Inquiry
from katingan_sosmed.celery import app
from notifications.models import EmailStatus, Notification

BASE_DIR = Path(settings.BASE_DIR)
H = dt.timedelta(hours=1)
WAIT = 90  # seconds; anything slower is a failure, not a reason to wait longer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, what: str, *, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


# The marks of every module whose tests start worker processes.
PROCESS_TEST_MARKS = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="worker processes need a database another process can open (PostgreSQL)",
    ),
    # serialized_rollback: the flush after a transactional test empties the role
    # groups a data migration made; this puts them back for the next test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


# --- A private Redis -------------------------------------------------------------------


class RedisServer:
    """``redis-server`` on a free loopback port, without persistence: a restart comes
    back empty, as a Redis without RDB/AOF (or a new host) does."""

    def __init__(self, directory: Path) -> None:
        self.executable = shutil.which("redis-server")
        if self.executable is None:
            pytest.fail("redis-server not found: install Debian's redis-server package")
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.client = redis.Redis.from_url(self.url, socket_timeout=1)
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                self.executable,
                *("--port", str(self.port), "--bind", "127.0.0.1", "--save", ""),
                *("--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client.ping()
                return
            except redis.ConnectionError:
                assert self.process.poll() is None, "redis-server exited at start"
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def pause(self) -> None:
        """SIGSTOP: the port still accepts connections, but nothing ever answers."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        """SIGKILL: the port refuses connections; whatever the server held is gone."""
        self.process.send_signal(signal.SIGCONT)
        self.process.kill()
        self.process.wait(10)

    def restart(self) -> None:
        """Stopped, then a fresh server on the same port: the clients' URL is unchanged
        and the server is empty."""
        if self.process.poll() is None:
            self.stop()
        self.start()


@contextmanager
def broker(url: str):
    """Point this process's Celery app at ``url`` for the duration.

    The app caches its connection and producer pools (kombu keeps them in a global
    registry per connection), so the app's references are dropped on the way in and
    out; only the private broker's pool is closed, never the suite's (the tests check
    that the messages really reach ``url``).
    """
    saved = app.conf.broker_url, app.conf.broker_write_url, app.conf.broker_read_url

    def drop_cached_pools():
        app._pool = None
        app.amqp._producer_pool = None

    drop_cached_pools()
    app.conf.broker_url, app.conf.broker_write_url, app.conf.broker_read_url = url, url, url
    try:
        yield
    finally:
        app.pool.force_close_all()  # the private broker's
        drop_cached_pools()
        app.conf.broker_url, app.conf.broker_write_url, app.conf.broker_read_url = saved


def send(task, broker_url: str, **kwargs) -> None:
    """Publish ``task`` to ``broker_url`` as beat would (by name, no result)."""
    with app.connection_for_write(broker_url) as conn:
        task.apply_async(kwargs=kwargs, connection=conn)


def send_sweep(broker_url: str) -> None:
    from inquiries.tasks import sweep_deadlines

    send(sweep_deadlines, broker_url)


# --- PostgreSQL, as its clients see a restart -------------------------------------------


class TcpProxy:
    """A TCP proxy on a free loopback port in front of ``host:port``.

    :meth:`cut` is what a PostgreSQL restart looks like from the client side: every
    open connection is closed under its user (the backend on the other side ends and
    rolls back its transaction, releasing its locks) and new connections are refused
    (nothing listens on the port) until :meth:`restore`. The real server is never
    touched, so the machine's shared PostgreSQL keeps serving everyone else.
    """

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = free_port()
        self.accepted = 0  # connections made through the proxy so far
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listening: threading.Event | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.1)
        self._listening = threading.Event()
        self._listening.set()
        threading.Thread(target=self._accept, args=(listener, self._listening), daemon=True).start()

    def cut(self) -> None:
        """Refuse new connections and drop the open ones."""
        assert self._listening is not None and self._listening.is_set(), "already cut"
        self._listening.clear()
        time.sleep(0.2)  # the accept loop closes its listener within its 0.1 s timeout
        with self._lock:
            open_sockets = list(self._sockets)
            self._sockets.clear()
        for sock in open_sockets:
            _close(sock)

    def close(self) -> None:
        if self._listening is not None and self._listening.is_set():
            self.cut()

    def _accept(self, listener: socket.socket, listening: threading.Event) -> None:
        with listener:
            while listening.is_set():
                try:
                    client, _address = listener.accept()
                except TimeoutError:
                    continue
                try:
                    upstream = socket.create_connection(self.target, timeout=5)
                except OSError:
                    _close(client)
                    continue
                client.settimeout(None)
                upstream.settimeout(None)
                with self._lock:
                    self._sockets |= {client, upstream}
                    self.accepted += 1
                for source, target in ((client, upstream), (upstream, client)):
                    threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._sockets -= {source, target}
            _close(source)
            _close(target)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


# --- Real worker and beat processes ------------------------------------------------------


def database_url(*, host: str | None = None, port: int | None = None) -> str:
    """This test's database (the test database pytest-django made), optionally
    reached through another address (a :class:`TcpProxy`)."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    host = host or db["HOST"] or "127.0.0.1"
    port = port or db["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


def database_address() -> tuple[str, int]:
    db = connection.settings_dict
    return db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _environment(broker_url: str, tmp_path: Path, environment: dict[str, str]) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_DEBUG": "True",
        "DJANGO_READ_DOT_ENV": "False",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "REDIS_URL": broker_url,
        "VAR_DIR": str(tmp_path / "var"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        **environment,
    }


WORKER_READY = "ready."
BEAT_READY = "beat: Starting"


def wait_ready(process: subprocess.Popen, log: Path, ready: str) -> None:
    deadline = time.monotonic() + 30
    while ready not in log.read_text():
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, f"{log.stem} did not start:\n{log.read_text()}"
        time.sleep(0.1)


@contextmanager
def _process(command: list[str], env: dict[str, str], log: Path, ready: str | None):
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        if ready is not None:
            wait_ready(process, log, ready)
        yield process, log
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen) -> None:
    """TERM to the main process, then KILL its group, prefork children included
    (STACK.md: a TERM to the whole group hangs)."""
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(5)


@contextmanager
def worker_process(
    broker_url: str, tmp_path: Path, *, name: str, wait: bool = True, **environment: str
):
    """``celery worker`` (prefork, one child) in its own process, on this test's
    database and ``broker_url``, sending e-mail as files under ``tmp_path / "mail"``.
    ``environment`` overrides settings (``DATABASE_URL`` to go through a proxy). With
    ``wait=False`` it yields at once: call :func:`wait_ready` with ``WORKER_READY``
    (to start several processes side by side)."""
    command = [
        sys.executable,
        *("-m", "celery", "-A", "katingan_sosmed", "worker", "--pool=prefork"),
        *("--concurrency=1", "--without-heartbeat", "--without-gossip"),
        *("--without-mingle", "-l", "info", "-n", f"{name}-{uuid.uuid4().hex[:6]}@%h"),
    ]
    env = _environment(broker_url, tmp_path, environment)
    log = tmp_path / f"{name}.log"
    with _process(command, env, log, WORKER_READY if wait else None) as started:
        yield started


# A beat process with the portal's own schedule entry, every ``interval`` seconds
# instead of its production interval (the entry's task and options are kept).
_BEAT = """
import sys
from katingan_sosmed.celery import app
name, interval, schedule_file = sys.argv[1], float(sys.argv[2]), sys.argv[3]
app.conf.beat_schedule = {name: {**app.conf.beat_schedule[name], "schedule": interval}}
app.Beat(schedule=schedule_file, max_interval=interval, loglevel="INFO").run()
"""


@contextmanager
def beat_process(
    broker_url: str, tmp_path: Path, *, name: str, entry: str, interval: float, wait: bool = True
):
    """``celery beat`` in its own process, with its own schedule file, sending only
    the beat schedule's ``entry``, every ``interval`` seconds (``wait``: as for
    :func:`worker_process`, with ``BEAT_READY``)."""
    command = [
        sys.executable,
        *("-c", _BEAT, entry, str(interval), str(tmp_path / f"{name}-schedule")),
    ]
    env = _environment(broker_url, tmp_path, {})
    log = tmp_path / f"{name}.log"
    with _process(command, env, log, BEAT_READY if wait else None) as started:
        yield started


def log_count(log: Path, text: str) -> int:
    return log.read_text().count(text)


# --- What the workers did ----------------------------------------------------------------


def _messages(tmp_path: Path) -> list[email.message.Message]:
    folder = tmp_path / "mail"
    found = []
    for path in sorted(folder.glob("*.log")) if folder.exists() else ():
        for part in path.read_text().split("\n" + "-" * 79 + "\n"):
            if part.strip():
                found.append(email.message_from_string(part, policy=email.policy.default))
    return found


def mails(tmp_path: Path) -> Counter:
    """Recipient → number of e-mails the worker processes wrote."""
    return Counter(str(message["To"]) for message in _messages(tmp_path))


def mail_pairs(tmp_path: Path) -> Counter:
    """(recipient, subject) → number of e-mails the worker processes wrote."""
    return Counter((str(message["To"]), str(message["Subject"])) for message in _messages(tmp_path))


def notice_pairs() -> Counter:
    """(recipient's address, e-mail subject) of every notice with an e-mail."""
    rows = Notification.objects.exclude(email_status=EmailStatus.SKIPPED).values_list(
        "recipient__email", "title"
    )
    return Counter((address, f"[Portal Medsos Katingan] {title}") for address, title in rows)


def settle(quiet: float = 2.0) -> None:
    """Wait until no e-mail is being sent and the pending count holds for ``quiet`` s."""

    def state():
        rows = Notification.objects.values_list("email_status", flat=True)
        return Counter(rows)

    deadline = time.monotonic() + WAIT
    last, since = state(), time.monotonic()
    while time.monotonic() - since < quiet:
        assert time.monotonic() < deadline, "the worker never went idle"
        time.sleep(0.2)
        now = state()
        if now != last or now[EmailStatus.SENDING]:
            last, since = now, time.monotonic()


# --- The data ------------------------------------------------------------------------------


def forwardings_due(officer, to_agency, due_ats: list[dt.datetime], *, first: int = 0):
    """One forwarding to ``to_agency`` per ``due_ats`` entry, made 24 hours before it,
    with ``next_notice_at`` as the flow would store it; written in bulk (the flow
    functions would take too long for hundreds)."""
    channel = OfficialAccountFactory(agency=officer.agency)
    inquiries = Inquiry.objects.bulk_create(
        Inquiry(
            agency=officer.agency,
            channel=channel,
            kind="pertanyaan",
            author_name=f"Warga {i}",
            text=f"Pertanyaan {i}",
            received_at=due_at - 25 * H,
            recorded_at=due_at - 25 * H,
            recorded_by=officer,
            tracking_code=f"P{i:07d}",
            status="forwarded",
            due_at=due_at,
        )
        for i, due_at in enumerate(due_ats, start=first)
    )
    return Forwarding.objects.bulk_create(
        Forwarding(
            inquiry=inquiry,
            from_agency=officer.agency,
            to_agency=to_agency,
            forwarded_by=officer,
            forwarded_at=inquiry.due_at - 24 * H,
            due_at=inquiry.due_at,
            next_notice_at=next_notice_at(inquiry.due_at, after=inquiry.due_at - 24 * H),
        )
        for inquiry in inquiries
    )


def overdue_forwardings(officer, to_agency, count: int, *, now: dt.datetime, first: int = 0):
    """``count`` forwardings to ``to_agency`` made 25 hours before ``now``, their only
    due notices the overdue ones (the reminders were sent when they were due)."""
    forwardings = forwardings_due(officer, to_agency, [now - H] * count, first=first)
    Forwarding.objects.filter(pk__in=[f.pk for f in forwardings]).update(
        next_notice_at=now - H + dt.timedelta(microseconds=1)
    )
    return forwardings


def queued(redis_server) -> int:
    """Messages waiting on the broker, over every queue of the portal (celery,
    notifications, pdf: katingan_sosmed.settings.CELERY_TASK_QUEUES)."""
    return sum(redis_server.client.llen(queue) for queue in ("celery", "notifications", "pdf"))
