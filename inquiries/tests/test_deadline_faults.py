"""The deadline sweep under faults (RELIABILITY 25-27): a task delivered twice, two
sweeps at the same moment, and a broker that is down while notices are written.

Whatever happens, each notice is written once per (recipient, key) and e-mailed once.
"""

import datetime as dt
import threading
from collections import Counter

import pytest
import time_machine
from django.db import connection, connections
from kombu.exceptions import OperationalError

from accounts.roles import Role
from accounts.tests.factories import OfficialAccountFactory, UserFactory
from inquiries import flow
from inquiries.deadlines import deadline_sweep
from inquiries.models import Forwarding, ForwardingStatus
from inquiries.notices import KIND_RECEIVED
from inquiries.tasks import sweep_deadlines
from notifications.models import EmailStatus, Notification
from notifications.services import notification_email_requeue
from notifications.tasks import send_notification_email, send_notification_emails

T = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # 08:00 WIB
H = dt.timedelta(hours=1)
S = dt.timedelta(seconds=1)
LATE = T + 25 * H  # past the 24-hour deadline, before the second escalation
PARALLEL = connection.vendor == "postgresql"
TIMEOUT = 20  # seconds; a hang is a failure

# Overdue notice to agency B's handlers, escalation 1 to its pejabat and the evaluator.
EXPECTED = [
    ("escalation:1", "evaluator"),
    ("escalation:1", "pejabat_b"),
    ("overdue", "pejabat_b"),
    ("overdue", "petugas_b"),
]


@pytest.fixture(autouse=True)
def _deadline_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEADLINE_REMINDER_HOURS = (6, 1)
    settings.DEADLINE_SECOND_ESCALATION_HOURS = 24


@pytest.fixture
def people(cast, agency_b):
    pejabat_b = UserFactory(username="pejabat_b", agency=agency_b, roles=[Role.PEJABAT])
    return {**cast, "pejabat_b": pejabat_b}


def forward(people, agency_b):
    officer = people["officer_a"]
    inquiry, _ = flow.inquiry_record(
        agency=officer.agency,
        channel=OfficialAccountFactory(agency=officer.agency),
        kind="pertanyaan",
        author_name="Budi Santoso",
        text="Bagaimana cara mengurus KTP elektronik yang hilang?",
        received_at=T - H,
        by=officer,
        now=T - H + S,
    )
    return flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer, now=T)


@pytest.fixture
def forwarding(people, agency_b):
    return forward(people, agency_b)


@pytest.fixture
def send_at_once(monkeypatch):
    """A worker that runs each enqueued e-mail task at once."""
    monkeypatch.setattr(
        send_notification_email, "delay", lambda pk: send_notification_email.apply([pk])
    )
    monkeypatch.setattr(
        send_notification_emails, "delay", lambda ids: send_notification_emails.apply([ids])
    )


def keys(forwarding):
    rows = Notification.objects.filter(key__startswith=f"fwd:{forwarding.pk}:").exclude(
        kind=KIND_RECEIVED
    )
    return sorted((n.key.split(":", 2)[2], n.recipient.username) for n in rows)


def assert_one_mail_per_notice(mailoutbox, *, received_too=False):
    """Every notice of the sweep (and, when the forwarding's own transaction ran its
    after-commit callbacks, its "received" notices) was e-mailed exactly once."""
    notices = Notification.objects.all()
    if not received_too:
        notices = notices.exclude(kind=KIND_RECEIVED)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(n.recipient.email for n in notices)
    assert all(n.email_status == EmailStatus.SENT for n in notices)


# --- (a) Delivered twice -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_task_delivered_twice_notifies_and_mails_once(
    forwarding, send_at_once, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(LATE, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first = sweep_deadlines()
        with django_capture_on_commit_callbacks(execute=True):
            second = sweep_deadlines()

    assert first == {"reminder": 0, "overdue": 2, "escalation": 2}
    assert second == {"reminder": 0, "overdue": 0, "escalation": 0}
    assert keys(forwarding) == EXPECTED
    assert len(mailoutbox) == len(EXPECTED)
    assert_one_mail_per_notice(mailoutbox)


@pytest.mark.django_db
def test_the_sweep_twice_at_the_same_moment_notifies_and_mails_once(
    forwarding, send_at_once, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        deadline_sweep(now=LATE)
        deadline_sweep(now=LATE)

    assert len(callbacks) == 1  # one batch of e-mails; the second sweep enqueued nothing
    assert keys(forwarding) == EXPECTED
    assert len(mailoutbox) == len(EXPECTED)
    assert_one_mail_per_notice(mailoutbox)


# --- (b) Two sweeps at once ------------------------------------------------------------


# serialized_rollback: the flush after a transactional test empties the role groups
# that a data migration made; this puts them back for the next test.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_write_one_notice_per_recipient_and_key(people, agency_b, monkeypatch):
    forwarding = forward(people, agency_b)
    enqueued: list[int] = []
    lock = threading.Lock()

    def record_enqueue(ids):
        with lock:
            enqueued.extend(ids)

    monkeypatch.setattr(send_notification_emails, "delay", record_enqueue)

    results: list[dict[str, int]] = []
    errors: list[BaseException] = []

    if PARALLEL:
        barrier = threading.Barrier(2, timeout=TIMEOUT)

        def run():
            try:
                barrier.wait()
                results.append(deadline_sweep(now=LATE))
            except BaseException as error:  # reported by the test below
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT)
        assert not any(thread.is_alive() for thread in threads), "a sweep hung"
    else:
        # SQLite cannot run two writers side by side: the same two sweeps in turn.
        results = [deadline_sweep(now=LATE), deadline_sweep(now=LATE)]

    assert errors == []
    assert keys(forwarding) == EXPECTED
    pairs = Counter(Notification.objects.values_list("recipient_id", "key"))
    assert set(pairs.values()) == {1}
    # Between them the two sweeps wrote (and enqueued) each notice once.
    assert sum(sum(r.values()) for r in results) == len(EXPECTED)
    swept = Notification.objects.exclude(kind=KIND_RECEIVED)
    assert sorted(enqueued) == sorted(swept.values_list("pk", flat=True))


# --- (c) Broker down -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_broker_outage_loses_no_notice_and_the_requeue_sends_each_once(
    people, agency_b, settings, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    broker_url = settings.CELERY_BROKER_URL

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis: Connection refused.")

    monkeypatch.setattr("notifications.tasks.send_notification_email.delay", broker_down)
    monkeypatch.setattr("notifications.tasks.send_notification_emails.delay", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        forwarding = forward(people, agency_b)
    with django_capture_on_commit_callbacks(execute=True):
        counts = deadline_sweep(now=LATE)

    assert settings.CELERY_BROKER_URL == broker_url
    forwarding.refresh_from_db()
    assert forwarding.status == ForwardingStatus.OPEN
    assert Forwarding.objects.filter(pk=forwarding.pk, due_at=T + 24 * H).exists()
    assert counts == {"reminder": 0, "overdue": 2, "escalation": 2}
    assert keys(forwarding) == EXPECTED
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.PENDING}
    assert mailoutbox == []

    # Recovery: the broker is back and the periodic requeue finds the pending notices.
    monkeypatch.setattr(
        "notifications.tasks.send_notification_email.delay",
        lambda pk: send_notification_email.apply([pk]),
    )
    recovered = LATE + 11 * dt.timedelta(minutes=1)
    # The sweep's four and the two "received" notices to agency B's handlers.
    assert notification_email_requeue(now=recovered) == len(EXPECTED) + 2
    assert notification_email_requeue(now=recovered) == 0
    assert len(mailoutbox) == len(EXPECTED) + 2
    assert_one_mail_per_notice(mailoutbox, received_too=True)
