"""Faults of the real services (issue 9, item 4): Redis stopped during intake and
forwarding, Redis restarted empty, PostgreSQL restarted under a running worker, and
beat started twice.

What each test holds to: the page answers quickly whatever Redis does; nothing the
user recorded is lost (the database is the truth, the broker only carries work); once
the service is back, every notice is written and e-mailed exactly once per recipient
and key, by the same periodic jobs production runs (the sweep, the e-mail requeue).

The services are private to each test (``processes.py``): a ``redis-server`` on a
free port, stopped or restarted empty at will, and a TCP proxy in front of the test
database whose cut is what a PostgreSQL restart looks like to its clients (every
connection dropped, new ones refused for a few seconds). The machine's shared
PostgreSQL and Redis are never stopped. Since no two tests share a service, they need
no xdist group. Worker processes open this test's database, so they need PostgreSQL:
on SQLite they are skipped, and in CI (``CI=true``) ``conftest.pytest_configure``
refuses to start without PostgreSQL and Redis, so there they always run.
"""

import datetime as dt
import logging
import re
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import pytest
import redis
import time_machine
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.tests.factories import OfficialAccountFactory, UserFactory
from inquiries import tokens
from inquiries.deadlines import deadline_sweep
from inquiries.models import Forwarding, Inquiry
from inquiries.notices import KIND_RECEIVED
from katingan_sosmed.celery import app
from notifications.models import EmailStatus, Notification
from notifications.services import notification_email_requeue
from notifications.tasks import requeue_pending_emails

from .processes import (
    BEAT_READY,
    PROCESS_TEST_MARKS,
    WORKER_READY,
    H,
    TcpProxy,
    beat_process,
    broker,
    database_address,
    database_url,
    forwardings_due,
    log_count,
    mail_pairs,
    notice_pairs,
    overdue_forwardings,
    queued,
    send,
    send_sweep,
    settle,
    wait_for,
    wait_ready,
    worker_process,
)

S = dt.timedelta(seconds=1)
MINUTE = dt.timedelta(minutes=1)
PAGE_LIMIT = 3  # seconds: a page that waits longer on a dead service is a failure
PREFIX = "[Portal Medsos Katingan] "

pytestmark = PROCESS_TEST_MARKS


@pytest.fixture
def private_cache(settings, private_redis):
    """Django's cache on the private Redis too (the API throttle uses it)."""
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis.url,
        }
    }


@pytest.fixture
def agencies(cast, agency_b):
    UserFactory(username="pejabat_b", agency=agency_b, roles=[Role.PEJABAT])
    return cast["officer_a"], agency_b


@pytest.fixture
def tasks_done():
    """Names of the tasks an in-process worker finished, in order."""
    done: list[str] = []

    def record(sender=None, **kwargs):
        done.append(sender.name)

    task_postrun.connect(record, weak=False)
    yield done
    task_postrun.disconnect(record)


def timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    elapsed = time.monotonic() - started
    assert elapsed < PAGE_LIMIT, f"{args[0]} took {elapsed:.1f} s"
    return response


def notices_of(forwarding: Forwarding) -> list[tuple[str, str]]:
    """(key after ``fwd:<pk>:``, recipient's username) of a forwarding's notices."""
    rows = Notification.objects.filter(key__startswith=f"fwd:{forwarding.pk}:")
    return sorted((n.key.split(":", 2)[2], n.recipient.username) for n in rows)


def assert_once_per_recipient_and_key(expected: int) -> None:
    pairs = Counter(Notification.objects.values_list("recipient_id", "key"))
    assert sum(pairs.values()) == expected, sum(pairs.values())
    assert set(pairs.values()) == {1}, [pair for pair, n in pairs.items() if n > 1][:5]


def sweeps_done(log: Path) -> list[str]:
    """The results of the sweeps a worker process finished, in order."""
    return re.findall(
        r"Task inquiries\.sweep_deadlines\[[^\]]+\] succeeded in [^:]+: (.*)", log.read_text()
    )


def sweep_retries(log: Path) -> int:
    return len(re.findall(r"Task inquiries\.sweep_deadlines\[[^\]]+\] retry:", log.read_text()))


# Per forwarding: the handlers of agency B are petugas_b and pejabat_b; escalations go
# to pejabat_b and the evaluator.
OVERDUE = [
    ("escalation:1", "evaluator"),
    ("escalation:1", "pejabat_b"),
    ("overdue", "pejabat_b"),
    ("overdue", "petugas_b"),
]


def reminder(hours: int) -> list[tuple[str, str]]:
    return [(f"reminder:{hours}h", "pejabat_b"), (f"reminder:{hours}h", "petugas_b")]


# --- 1. Redis stopped ----------------------------------------------------------------------


def test_redis_stopped_during_intake_and_forwarding_loses_nothing_and_notifies_once(
    client, agencies, private_redis, private_cache, tasks_done, mailoutbox
):
    officer, agency_b = agencies
    channel = OfficialAccountFactory(agency=officer.agency)
    create_url = reverse("inquiries:create")

    with broker(private_redis.url):
        private_redis.stop()
        with pytest.raises(redis.ConnectionError):
            cache.get("anything")  # the cache and the broker are really down

        # Yesterday, so that the forwarding made now is overdue by the time Redis is back.
        with time_machine.travel(timezone.now() - 25 * H, tick=True):
            client.force_login(officer)
            form = timed(client.get, create_url).context["form"]
            key = form.initial["idempotency_key"]
            received_at = timezone.localtime() - H
            response = timed(
                client.post,
                create_url,
                {
                    "idempotency_key": str(key),
                    "channel": channel.pk,
                    "kind": "pertanyaan",
                    "author_name": "Budi Santoso",
                    "author_contact": "",
                    "text": "Bagaimana cara mengurus KTP elektronik yang hilang?",
                    "source_url": "",
                    "received_at": received_at.strftime("%Y-%m-%dT%H:%M"),
                    "topics": "KTP",
                },
            )
            assert response.status_code == 302, response.content.decode()[:500]
            inquiry = Inquiry.objects.get(idempotency_key=str(key))
            assert response["Location"] == reverse("inquiries:detail", args=[inquiry.pk])

            response = timed(
                client.post,
                reverse("inquiries:forward", args=[inquiry.pk]),
                {"to_agency": agency_b.pk, "note": "", "expected_version": inquiry.version},
            )
            assert response.status_code == 302, response.content.decode()[:500]
            assert timed(client.get, response["Location"]).status_code == 200
            forwarding = Forwarding.objects.get(inquiry=inquiry, to_agency=agency_b)

        # Saved, with its notices, whose e-mails wait: nothing could be enqueued.
        inquiry.refresh_from_db()
        assert inquiry.status == "forwarded" and inquiry.due_at == forwarding.due_at
        received = Notification.objects.filter(kind=KIND_RECEIVED)
        assert sorted(received.values_list("recipient__username", flat=True)) == [
            "pejabat_b",
            "petugas_b",
        ]
        assert set(received.values_list("email_status", flat=True)) == {EmailStatus.PENDING}

        # Redis is back (empty). Beat's next runs, as in production: the e-mail requeue
        # (the rows are pending for over 10 minutes) and the minute's deadline sweep.
        private_redis.restart()
        assert queued(private_redis) == 0
        send(requeue_pending_emails, private_redis.url)
        send_sweep(private_redis.url)
        assert queued(private_redis) == 2  # through the broker, not eager
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            wait_for(
                lambda: (
                    Notification.objects.count() == 6
                    and not Notification.objects.exclude(email_status=EmailStatus.SENT).exists()
                ),
                "every notice and e-mail",
            )
            # A minute later, beat again: nothing is written or sent twice.
            send(requeue_pending_emails, private_redis.url)
            send_sweep(private_redis.url)
            wait_for(
                lambda: (
                    tasks_done.count("inquiries.sweep_deadlines") == 2
                    and tasks_done.count("notifications.requeue_pending_emails") == 2
                ),
                "the second sweep and requeue",
            )
            time.sleep(0.5)  # an e-mail task they enqueued, if any, would run now
            assert queued(private_redis) == 0

    assert notices_of(forwarding) == sorted(
        [*OVERDUE, ("received", "pejabat_b"), ("received", "petugas_b")]
    )
    assert_once_per_recipient_and_key(6)
    sent = Counter((m.to[0], m.subject) for m in mailoutbox)
    assert sent == notice_pairs() and set(sent.values()) == {1}


# No worker here: only this process reaches the database, so no transaction=True.
@pytest.mark.django_db
def test_redis_stopped_during_api_intake_records_once_and_the_throttle_returns(
    agency_a, pejabat_a, private_redis, private_cache, caplog
):
    channel = OfficialAccountFactory(agency=agency_a)
    _token, key = tokens.token_create(
        agency=agency_a, name="Alat social listening", by=pejabat_a, now=timezone.now()
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = reverse("api:v1:inquiry-list")
    body = {
        "channel": channel.pk,
        "kind": "pertanyaan",
        "author_name": "@warga_katingan",
        "text": "Bagaimana cara mendaftar vaksinasi anak?",
        "received_at": (timezone.now() - 30 * MINUTE).isoformat(),
    }
    headers = {"Idempotency-Key": "c0ffee00-0d4a-4f7e-9a51-3c2d1e0f7a88"}

    private_redis.stop()
    with caplog.at_level(logging.WARNING, logger="inquiries.api.authentication"):
        first = timed(client.post, url, body, format="json", headers=headers)
        # The tool did not see the answer and sends again, Redis still down.
        again = timed(client.post, url, body, format="json", headers=headers)
    assert first.status_code == 201, first.content
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    assert "api throttle skipped: cache unavailable" in caplog.text
    assert Inquiry.objects.filter(agency=agency_a).count() == 1

    private_redis.restart()
    replay = timed(client.post, url, body, format="json", headers=headers)
    assert replay.status_code == 200
    assert replay.json()["tracking_code"] == first.json()["tracking_code"]
    assert Inquiry.objects.filter(agency=agency_a).count() == 1
    # The throttle counts in Redis again.
    assert private_redis.client.keys("*throttle_integration_*")


# --- 2. Redis restarted empty ------------------------------------------------------------


def test_redis_restarted_empty_the_next_sweep_rebuilds_every_notice_from_due_at(
    agencies, private_redis, tmp_path
):
    officer, agency_b = agencies
    now = timezone.now()
    before = now - 15 * MINUTE  # the last sweep before Redis went
    due = {
        "overdue before": [before - H] * 3,
        "overdue during": [now - 5 * MINUTE] * 3,  # 1 h reminder before, overdue during
        "6h mark during": [now + 6 * H - 5 * MINUTE] * 3,
        "6h reminder before": [now + 3 * H] * 3,
        "not due yet": [now + 12 * H] * 3,
    }
    made: dict[str, list[Forwarding]] = {}
    for name, moments in due.items():
        made[name] = forwardings_due(officer, agency_b, moments, first=sum(map(len, made.values())))

    # The sweep before: its notices are written, their e-mails and the next minute's
    # sweep wait in Redis (no worker is consuming) ...
    with broker(private_redis.url):
        assert deadline_sweep(now=before) == {"reminder": 12, "overdue": 6, "escalation": 6}
    send_sweep(private_redis.url)
    assert queued(private_redis) == 2
    assert Notification.objects.filter(email_status=EmailStatus.PENDING).count() == 24

    # ... when Redis restarts empty: every message is gone.
    private_redis.restart()
    assert private_redis.client.dbsize() == 0

    with worker_process(private_redis.url, tmp_path, name="worker") as (_process, log):
        # Beat's next runs: the sweep finds in the database what became due meanwhile,
        # the requeue finds the e-mails whose messages were lost.
        send_sweep(private_redis.url)
        send(requeue_pending_emails, private_redis.url)
        wait_for(
            lambda: (
                Notification.objects.count() == 42
                and not Notification.objects.exclude(email_status=EmailStatus.SENT).exists()
            ),
            "every notice and e-mail",
        )
        # And the minute after: nothing more.
        send_sweep(private_redis.url)
        send(requeue_pending_emails, private_redis.url)
        wait_for(lambda: len(sweeps_done(log)) == 2, "the second sweep")
        wait_for(lambda: log_count(log, "requeue_pending_emails") >= 4, "the second requeue")
        time.sleep(1)  # an e-mail task, if any were enqueued, would run now
    assert sweeps_done(log) == [
        "{'reminder': 6, 'overdue': 6, 'escalation': 6}",
        "{'reminder': 0, 'overdue': 0, 'escalation': 0}",
    ]

    expected = {
        "overdue before": OVERDUE,
        "overdue during": sorted([*reminder(1), *OVERDUE]),
        "6h mark during": reminder(6),
        "6h reminder before": reminder(6),
        "not due yet": [],
    }
    for name, forwardings in made.items():
        for forwarding in forwardings:
            assert notices_of(forwarding) == expected[name], name
    assert_once_per_recipient_and_key(42)
    sent = mail_pairs(tmp_path)
    assert sent == notice_pairs() and set(sent.values()) == {1}


# --- 3. PostgreSQL restarted under a running worker ------------------------------------------


@pytest.fixture
def database_proxy():
    proxy = TcpProxy(*database_address())
    yield proxy
    proxy.close()


OUTAGE = 3  # seconds without a database, about what a PostgreSQL restart takes


def test_postgresql_restarted_under_a_running_worker_the_sweep_retries_and_notifies_once(
    agencies, private_redis, database_proxy, tmp_path
):
    officer, agency_b = agencies
    count = 60
    overdue_forwardings(officer, agency_b, count, now=timezone.now())
    expected = count * len(OVERDUE)
    through_proxy = database_url(host="127.0.0.1", port=database_proxy.port)

    # One forwarding per batch, so the sweep commits many times and is still running
    # when the database goes away.
    with worker_process(
        private_redis.url,
        tmp_path,
        name="sweeper",
        DATABASE_URL=through_proxy,
        DEADLINE_SWEEP_BATCH_SIZE="1",
    ) as (_process, log):
        send_sweep(private_redis.url)
        wait_for(lambda: Notification.objects.exists(), "the sweep to start writing")
        database_proxy.cut()
        written_at_cut = Notification.objects.count()
        time.sleep(OUTAGE)
        database_proxy.restore()
        assert 0 < written_at_cut < expected, "the sweep ended before the cut"

        # The retry (backoff 1, 2, 4 … s) finishes what the cut sweep had not committed.
        wait_for(lambda: Notification.objects.count() == expected, "every notice", timeout=45)
        # E-mail tasks that ran during the outage left their rows pending for a later
        # retry; the periodic requeue (beat, rows pending 10 minutes) sends them now.
        settle()
        with broker(private_redis.url):
            notification_email_requeue(now=timezone.now() + 11 * MINUTE)
        wait_for(
            lambda: not Notification.objects.exclude(email_status=EmailStatus.SENT).exists(),
            "every e-mail",
        )
        retries = sweep_retries(log)

        # Cut again between tasks: the worker's kept connection (CONN_MAX_AGE) is dead.
        # The next task notices before use and reconnects: no error, no retry.
        connections_before = database_proxy.accepted
        database_proxy.cut()
        database_proxy.restore()
        late = overdue_forwardings(officer, agency_b, 1, now=timezone.now(), first=count)
        send_sweep(private_redis.url)
        wait_for(lambda: Notification.objects.count() == expected + len(OVERDUE), "the last one")
        wait_for(
            lambda: not Notification.objects.exclude(email_status=EmailStatus.SENT).exists(),
            "the last e-mails",
        )
        time.sleep(1)  # a duplicate, if there were one, would have time to show
        output = log.read_text()

    assert retries >= 1, output[-3000:]
    assert re.search(r"retry: Retry in \d+s: (OperationalError|InterfaceError)", output)
    assert sweep_retries(log) == retries  # the sweep after the idle cut did not fail
    assert database_proxy.accepted > connections_before  # it did open a new connection
    assert notices_of(late[0]) == OVERDUE
    assert_once_per_recipient_and_key(expected + len(OVERDUE))
    assert Forwarding.objects.filter(next_notice_at__lte=timezone.now()).count() == 0
    sent = mail_pairs(tmp_path)
    assert sent == notice_pairs() and set(sent.values()) == {1}


# --- 4. Beat started twice ---------------------------------------------------------------


def test_two_beat_processes_sweep_twice_as_often_and_notify_once(agencies, private_redis, tmp_path):
    officer, agency_b = agencies
    url = private_redis.url
    with ExitStack() as stack:
        # Two workers, and two beats as when beat is started on two hosts: the portal's
        # sweep entry, every second instead of every minute. Started side by side.
        workers = [
            stack.enter_context(
                worker_process(url, tmp_path, name=name, wait=False, DEADLINE_SWEEP_BATCH_SIZE="5")
            )
            for name in ("worker-1", "worker-2")
        ]
        beats = [
            stack.enter_context(
                beat_process(
                    url, tmp_path, name=name, entry="sweep-deadlines", interval=1, wait=False
                )
            )
            for name in ("beat-1", "beat-2")
        ]
        for process, log in workers:
            wait_ready(process, log, WORKER_READY)
        for process, log in beats:
            wait_ready(process, log, BEAT_READY)

        now = timezone.now()
        # Forwardings falling due one after the other while both beats tick (each gets
        # its 1-hour reminder first, then its overdue notices), and a backlog that keeps
        # the first sweeps busy longer than a tick, so that sweeps overlap.
        staggered = forwardings_due(officer, agency_b, [now + (3 + i) * S for i in range(6)])
        backlog = overdue_forwardings(officer, agency_b, 100, now=now, first=len(staggered))
        expected = len(backlog) * len(OVERDUE) + len(staggered) * (2 + len(OVERDUE))
        wait_for(lambda: timezone.now() > now + 10 * S, "the last one to fall due", timeout=20)
        wait_for(lambda: Notification.objects.count() >= expected, "every notice", timeout=20)
        for process, _log in beats:
            process.terminate()
            process.wait(15)
        sent_by_beats = [log_count(log, "Sending due task sweep-deadlines") for _p, log in beats]
        wait_for(lambda: queued(private_redis) == 0, "the queue to drain")
        wait_for(
            lambda: not Notification.objects.exclude(email_status=EmailStatus.SENT).exists(),
            "every e-mail",
        )
        # Every sweep the beats sent ran (and the helpers the backlog started).
        worker_logs = [log for _p, log in workers]
        wait_for(
            lambda: sum(len(sweeps_done(log)) for log in worker_logs) >= sum(sent_by_beats),
            "every sweep sent",
        )
        time.sleep(1)

    # Both beats ticked all along, and both workers swept.
    assert min(sent_by_beats) >= 8, sent_by_beats
    assert min(len(sweeps_done(log)) for log in worker_logs) >= 1
    for log in [*worker_logs, *(log for _p, log in beats)]:
        assert "ERROR" not in log.read_text(), log.read_text()[-3000:]

    for forwarding in backlog:
        assert notices_of(forwarding) == OVERDUE
    for forwarding in staggered:
        assert notices_of(forwarding) == sorted([*reminder(1), *OVERDUE])
    assert_once_per_recipient_and_key(expected)
    sent = mail_pairs(tmp_path)
    assert sent == notice_pairs() and set(sent.values()) == {1}
