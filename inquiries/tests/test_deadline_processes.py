"""The deadline engine with real processes (RELIABILITY 22, 25, 26): its own Redis
server, paused and resumed; a real ``celery worker`` process whose pool child is
killed with SIGKILL in the middle of a sweep; two worker processes sweeping at once.

Each test starts a private ``redis-server`` on a free loopback port (the helpers are
in ``processes.py``, shared with ``test_service_faults.py``), so pausing or
killing it never disturbs the Redis that the rest of the suite uses. The worker
processes read and write this test's database, so they need one that another process
can open: PostgreSQL (CI always runs these; see ``conftest.pytest_configure``). On
SQLite the test database lives in this process's memory and they are skipped with
that reason.
"""

import datetime as dt
import os
import signal
import time
from collections import Counter

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import OfficialAccountFactory, UserFactory
from inquiries import flow
from inquiries.models import Forwarding
from inquiries.notices import KIND_RECEIVED
from katingan_sosmed.celery import app
from notifications.models import EmailStatus, Notification
from notifications.services import notification_email_requeue

from .processes import (
    PROCESS_TEST_MARKS,
    H,
    broker,
    children,
    mails,
    overdue_forwardings,
    queued,
    send_sweep,
    settle,
    wait_for,
    worker_process,
)

pytestmark = PROCESS_TEST_MARKS


@pytest.fixture
def agencies(cast, agency_b):
    UserFactory(username="pejabat_b", agency=agency_b, roles=[Role.PEJABAT])
    return cast["officer_a"], agency_b


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

    # Small batches so the sweep commits many times and takes long enough to be hit;
    # no helper sweeps, so only the redelivered sweep can finish the backlog.
    with worker_process(
        private_redis.url,
        tmp_path,
        name="sweeper",
        DEADLINE_SWEEP_BATCH_SIZE="2",
        DEADLINE_SWEEP_HELPERS="0",
    ) as (process, log):
        send_sweep(private_redis.url)
        wait_for(lambda: Notification.objects.exists(), "the sweep to start writing")
        pool = children(process.pid)
        assert len(pool) == 1, pool
        os.kill(pool[0], signal.SIGKILL)
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
        assert queued(private_redis) == 0

        # Redis is back: the periodic requeue enqueues them to it, a real worker
        # consumes them from it, and each is e-mailed once.
        later = forwarding.forwarded_at + dt.timedelta(minutes=11)
        assert notification_email_requeue(now=later) == 2
        assert queued(private_redis) == 2
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            wait_for(
                lambda: not received.exclude(email_status=EmailStatus.SENT).exists(),
                "the two e-mails",
            )
        assert notification_email_requeue(now=later) == 0

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        received.values_list("recipient__email", flat=True)
    )
