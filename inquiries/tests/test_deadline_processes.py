"""The deadline engine with real processes (RELIABILITY 22, 25, 26): its own Redis
server, paused and resumed; a real ``celery worker`` process whose pool child is
killed with SIGKILL in the middle of a sweep; two worker processes sweeping at once.

Each test starts a private ``redis-server`` on a free loopback port, so pausing or
killing it never disturbs the Redis that the rest of the suite uses. The worker
processes read and write this test's database, so they need one that another process
can open: PostgreSQL (CI always runs these; see ``conftest.pytest_configure``). On
SQLite the test database lives in this process's memory and they are skipped with
that reason.
"""

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import OfficialAccountFactory, UserFactory
from inquiries import flow
from inquiries.models import Forwarding, Inquiry
from inquiries.notices import KIND_RECEIVED
from inquiries.tasks import sweep_deadlines
from katingan_sosmed.celery import app
from notifications.models import EmailStatus, Notification
from notifications.services import notification_email_requeue

BASE_DIR = Path(settings.BASE_DIR)
H = dt.timedelta(hours=1)
WAIT = 90  # seconds; anything slower is a failure, not a reason to wait longer

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="worker processes need a database another process can open (PostgreSQL)",
    ),
    # serialized_rollback: the flush after a transactional test empties the role
    # groups a data migration made; this puts them back for the next test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


# --- A private Redis -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, directory: Path) -> None:
        executable = shutil.which("redis-server")
        if executable is None:
            pytest.fail("redis-server not found: install Debian's redis-server package")
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(  # noqa: S603
            [
                executable,
                *("--port", str(self.port), "--bind", "127.0.0.1", "--save", ""),
                *("--appendonly", "no", "--dir", str(directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.client = redis.Redis.from_url(self.url, socket_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def pause(self) -> None:
        """SIGSTOP: the port still accepts connections, but nothing ever answers."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGCONT)
        self.process.kill()
        self.process.wait(10)


@pytest.fixture
def private_redis(tmp_path):
    server = RedisServer(tmp_path)
    yield server
    server.stop()


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


# --- Real worker processes ---------------------------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _children(pid: int) -> list[int]:
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


@contextmanager
def worker_process(broker_url: str, tmp_path: Path, *, name: str, **environment: str):
    """``celery worker`` (prefork, one child) in its own process, on this test's
    database and ``broker_url``, sending e-mail as files under ``tmp_path / "mail"``."""
    log = tmp_path / f"{name}.log"
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_DEBUG": "True",
        "DJANGO_READ_DOT_ENV": "False",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker_url,
        "REDIS_URL": broker_url,
        "VAR_DIR": str(tmp_path / "var"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        **environment,
    }
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                *("-m", "celery", "-A", "katingan_sosmed", "worker", "--pool=prefork"),
                *("--concurrency=1", "--without-heartbeat", "--without-gossip"),
                *("--without-mingle", "-l", "info", "-n", f"{name}-{uuid.uuid4().hex[:6]}@%h"),
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while "ready." not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"worker did not start:\n{log.read_text()}"
            time.sleep(0.1)
        yield process, log
    finally:
        # TERM to the main process, then KILL the group (STACK.md: a group TERM hangs).
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


def send_sweep(broker_url: str) -> None:
    with app.connection_for_write(broker_url) as conn:
        sweep_deadlines.apply_async(connection=conn)


def mails(tmp_path: Path) -> Counter:
    """Recipient → number of e-mails the worker processes wrote."""
    folder = tmp_path / "mail"
    counts: Counter = Counter()
    for path in folder.glob("*.log") if folder.exists() else ():
        for line in path.read_text().splitlines():
            if line.startswith("To: "):
                counts[line[4:]] += 1
    return counts


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


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


@pytest.fixture
def agencies(cast, agency_b):
    UserFactory(username="pejabat_b", agency=agency_b, roles=[Role.PEJABAT])
    return cast["officer_a"], agency_b


def overdue_forwardings(officer, to_agency, count: int, *, now: dt.datetime) -> list[Forwarding]:
    """``count`` forwardings to ``to_agency`` made 25 hours before ``now``, written in
    bulk (the flow functions would take too long for hundreds)."""
    channel = OfficialAccountFactory(agency=officer.agency)
    at = now - 25 * H
    inquiries = Inquiry.objects.bulk_create(
        Inquiry(
            agency=officer.agency,
            channel=channel,
            kind="pertanyaan",
            author_name=f"Warga {i}",
            text=f"Pertanyaan {i}",
            received_at=at - H,
            recorded_at=at - H,
            recorded_by=officer,
            tracking_code=f"P{i:07d}",
            status="forwarded",
            due_at=at + 24 * H,
        )
        for i in range(count)
    )
    return Forwarding.objects.bulk_create(
        Forwarding(
            inquiry=inquiry,
            from_agency=officer.agency,
            to_agency=to_agency,
            forwarded_by=officer,
            forwarded_at=at,
            due_at=at + 24 * H,
            next_notice_at=at + 24 * H + dt.timedelta(microseconds=1),
        )
        for inquiry in inquiries
    )


# Per overdue forwarding: the overdue notice to agency B's petugas and pejabat, and
# escalation 1 to its pejabat and the evaluator.
PER_FORWARDING = 4


def test_a_worker_child_killed_mid_sweep_loses_and_doubles_nothing(
    agencies, private_redis, tmp_path
):
    officer, agency_b = agencies
    count = 300
    overdue_forwardings(officer, agency_b, count, now=timezone.now())
    expected = count * PER_FORWARDING

    # Small batches so the sweep commits many times and takes long enough to be hit.
    with worker_process(
        private_redis.url, tmp_path, name="sweeper", DEADLINE_SWEEP_BATCH_SIZE="2"
    ) as (process, log):
        send_sweep(private_redis.url)
        wait_for(lambda: Notification.objects.exists(), "the sweep to start writing")
        children = _children(process.pid)
        assert len(children) == 1, children
        os.kill(children[0], signal.SIGKILL)
        written_at_kill = Notification.objects.count()
        assert 0 < written_at_kill < expected, "the sweep ended before the kill"

        # acks_late + reject_on_worker_lost: the sweep is redelivered to a new child,
        # which finishes the forwardings the dead one did not commit.
        wait_for(lambda: Notification.objects.count() == expected, "every notice")
        # A child killed between a batch's commit and its after-commit enqueue leaves
        # that batch's e-mails pending with no message: the periodic requeue (beat,
        # every 5 minutes, for rows pending 10 minutes) is what sends them. Let the
        # worker go idle, then run it as beat would.
        settle()
        with broker(private_redis.url):
            notification_email_requeue(now=timezone.now() + dt.timedelta(minutes=11))
        wait_for(
            lambda: not Notification.objects.exclude(email_status=EmailStatus.SENT).exists(),
            "every e-mail",
        )
        time.sleep(1)  # a duplicate, if there were one, would have time to show
        output = log.read_text()

    assert "WorkerLostError" in output or "signal 9" in output, output[-3000:]
    pairs = Counter(Notification.objects.values_list("recipient_id", "key"))
    assert len(pairs) == expected and set(pairs.values()) == {1}
    assert Forwarding.objects.filter(next_notice_at__lte=timezone.now()).count() == 0
    # One e-mail per notice: each recipient got exactly as many as they have notices.
    per_recipient = Counter(Notification.objects.values_list("recipient__email", flat=True))
    assert mails(tmp_path) == per_recipient


def test_two_worker_processes_sweeping_at_once_notify_once(agencies, private_redis, tmp_path):
    officer, agency_b = agencies
    count = 200
    overdue_forwardings(officer, agency_b, count, now=timezone.now())

    with (
        worker_process(private_redis.url, tmp_path, name="one", DEADLINE_SWEEP_BATCH_SIZE="5"),
        worker_process(private_redis.url, tmp_path, name="two", DEADLINE_SWEEP_BATCH_SIZE="5"),
    ):
        # As if two beat processes each sent the minute's sweep.
        send_sweep(private_redis.url)
        send_sweep(private_redis.url)
        wait_for(lambda: Notification.objects.count() == count * PER_FORWARDING, "every notice")
        wait_for(
            lambda: not Notification.objects.exclude(email_status=EmailStatus.SENT).exists(),
            "every e-mail",
        )
        time.sleep(1)

    pairs = Counter(Notification.objects.values_list("recipient_id", "key"))
    assert len(pairs) == count * PER_FORWARDING and set(pairs.values()) == {1}
    per_recipient = Counter(Notification.objects.values_list("recipient__email", flat=True))
    assert mails(tmp_path) == per_recipient


def test_redis_paused_while_forwarding_answers_fast_and_the_notice_arrives_later(
    client, agencies, private_redis, mailoutbox
):
    officer, agency_b = agencies
    inquiry, _ = flow.inquiry_record(
        agency=officer.agency,
        channel=OfficialAccountFactory(agency=officer.agency),
        kind="pertanyaan",
        author_name="Budi Santoso",
        text="Bagaimana cara mengurus KTP elektronik yang hilang?",
        received_at=timezone.now() - H,
        by=officer,
        now=timezone.now() - H,
    )
    inquiry.refresh_from_db()
    client.force_login(officer)
    url = reverse("inquiries:forward", args=[inquiry.pk])

    with broker(private_redis.url):
        private_redis.pause()
        started = time.monotonic()
        response = client.post(
            url, {"to_agency": agency_b.pk, "note": "", "expected_version": inquiry.version}
        )
        elapsed = time.monotonic() - started
        private_redis.resume()

        assert response.status_code == 302, response.content.decode()[:500]
        assert elapsed < 3, f"the page took {elapsed:.1f} s with Redis paused"
        forwarding = Forwarding.objects.get(inquiry=inquiry)
        received = Notification.objects.filter(kind=KIND_RECEIVED)
        assert received.count() == 2  # agency B's petugas and pejabat
        assert set(received.values_list("email_status", flat=True)) == {EmailStatus.PENDING}
        assert private_redis.client.llen("celery") == 0

        # Redis is back: the periodic requeue enqueues them to it, a real worker
        # consumes them from it, and each is e-mailed once.
        later = forwarding.forwarded_at + dt.timedelta(minutes=11)
        assert notification_email_requeue(now=later) == 2
        assert private_redis.client.llen("celery") == 2
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            wait_for(
                lambda: not received.exclude(email_status=EmailStatus.SENT).exists(),
                "the two e-mails",
            )
        assert notification_email_requeue(now=later) == 0

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        received.values_list("recipient__email", flat=True)
    )
