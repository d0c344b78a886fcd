"""Notices: written once per (recipient, key), e-mailed by a task enqueued after commit,
sent once however often the task runs, and never silently lost."""

import datetime as dt

import pytest
import time_machine
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from notifications import services
from notifications.models import EmailStatus, Notification
from notifications.services import (
    MAX_EMAIL_ATTEMPTS,
    notification_create,
    notification_email_requeue,
    notification_email_send,
)
from notifications.tasks import requeue_pending_emails, send_notification_email

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)


class FailingBackend(BaseEmailBackend):
    """An SMTP server that refuses every connection."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("smtp down")


@pytest.fixture
def enqueued(monkeypatch):
    """The ids handed to the e-mail task, instead of a broker."""
    calls: list[int] = []
    monkeypatch.setattr(send_notification_email, "delay", calls.append)
    return calls


def create(recipient, key="decree:1:expiry:30", now=NOW, **extra):
    fields = {
        "kind": "decree_expiry",
        "title": "SK 800/045/DINKES/2026 berakhir dalam 30 hari",
        "body": "Siapkan pembaruan SK.",
        "url": "/registri/sk/1/",
    }
    fields.update(extra)
    return notification_create(recipient=recipient, key=key, now=now, **fields)


# --- notification_create -------------------------------------------------------------


def test_the_same_recipient_and_key_is_written_once(pejabat_a):
    first = create(pejabat_a)
    second = create(pejabat_a, title="Another title")

    assert first is not None and second is None
    [notice] = Notification.objects.all()
    assert notice.title == "SK 800/045/DINKES/2026 berakhir dalam 30 hari"
    assert (notice.email_status, notice.created_at) == (EmailStatus.PENDING, NOW)


def test_the_same_key_for_another_recipient_is_another_notice(pejabat_a, officer_a):
    assert create(pejabat_a) is not None
    assert create(officer_a) is not None
    assert Notification.objects.count() == 2


def test_a_duplicate_inside_a_transaction_does_not_break_it(pejabat_a, officer_a):
    with transaction.atomic():
        create(pejabat_a)
        assert create(pejabat_a) is None
        # The transaction is still usable after the refused duplicate.
        create(officer_a)
    assert Notification.objects.count() == 2


def test_a_long_title_is_cut_to_the_column(pejabat_a):
    notice = create(pejabat_a, title="x" * 250)
    notice.refresh_from_db()
    assert len(notice.title) == 200


def test_the_email_task_is_enqueued_once_after_commit(
    pejabat_a, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notice = create(pejabat_a)
        create(pejabat_a)  # the duplicate enqueues nothing
        assert enqueued == []  # not before the commit
    assert len(callbacks) == 1
    assert enqueued == [notice.pk]


def test_a_rolled_back_notice_enqueues_nothing(
    pejabat_a, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            create(pejabat_a)
            raise RuntimeError("the caller's transaction fails")
    assert callbacks == []
    assert enqueued == []
    assert not Notification.objects.exists()


def test_a_user_without_email_is_skipped_and_nothing_is_enqueued(
    enqueued, django_capture_on_commit_callbacks
):
    person = UserFactory(username="tanpa_surel", email="")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notice = create(person)
    assert notice.email_status == EmailStatus.SKIPPED
    assert callbacks == []
    assert enqueued == []
    # The notice is still shown in the portal.
    assert Notification.objects.filter(recipient=person).count() == 1


def test_a_broker_outage_leaves_the_notice_pending(
    pejabat_a, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(notification_id):
        raise ConnectionError("redis down")

    monkeypatch.setattr(send_notification_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        notice = create(pejabat_a)
    notice.refresh_from_db()
    assert notice.email_status == EmailStatus.PENDING


# --- notification_email_send ---------------------------------------------------------


def test_the_email_is_sent_exactly_once(pejabat_a, mailoutbox, settings):
    settings.PORTAL_BASE_URL = "https://medsos.katingankab.go.id"
    notice = create(pejabat_a)
    sent_at = NOW + dt.timedelta(minutes=1)

    assert notification_email_send(notification_id=notice.pk, now=sent_at) is True
    assert notification_email_send(notification_id=notice.pk, now=sent_at) is False

    assert len(mailoutbox) == 1
    [mail] = mailoutbox
    assert mail.to == [pejabat_a.email]
    assert notice.title in mail.subject
    assert "Siapkan pembaruan SK." in mail.body
    assert "https://medsos.katingankab.go.id/registri/sk/1/" in mail.body
    notice.refresh_from_db()
    assert (notice.email_status, notice.email_attempts, notice.emailed_at) == (
        EmailStatus.SENT,
        1,
        sent_at,
    )


def test_the_task_delivered_twice_sends_once(pejabat_a, mailoutbox):
    notice = create(pejabat_a)
    send_notification_email.apply(args=[notice.pk])
    send_notification_email.apply(args=[notice.pk])
    assert len(mailoutbox) == 1


def test_a_skipped_notice_is_never_emailed(mailoutbox):
    notice = create(UserFactory(username="tanpa_surel", email=""))
    assert notification_email_send(notification_id=notice.pk, now=NOW) is False
    assert mailoutbox == []


def test_an_address_removed_after_writing_is_skipped_not_failed(pejabat_a, mailoutbox):
    notice = create(pejabat_a)
    type(pejabat_a).objects.filter(pk=pejabat_a.pk).update(email="")

    assert notification_email_send(notification_id=notice.pk, now=NOW) is False

    notice.refresh_from_db()
    assert notice.email_status == EmailStatus.SKIPPED
    assert mailoutbox == []


def test_a_failing_backend_keeps_the_notice_pending_then_marks_it_failed(pejabat_a, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    notice = create(pejabat_a)

    for attempt in range(1, MAX_EMAIL_ATTEMPTS):
        with pytest.raises(ConnectionRefusedError):
            notification_email_send(notification_id=notice.pk, now=NOW)
        notice.refresh_from_db()
        assert (notice.email_status, notice.email_attempts) == (EmailStatus.PENDING, attempt)
        assert notice.last_error == "ConnectionRefusedError"

    with pytest.raises(ConnectionRefusedError):
        notification_email_send(notification_id=notice.pk, now=NOW)
    notice.refresh_from_db()
    assert (notice.email_status, notice.email_attempts) == (EmailStatus.FAILED, MAX_EMAIL_ATTEMPTS)
    assert notice.emailed_at is None

    # A failed notice is not tried again.
    assert notification_email_send(notification_id=notice.pk, now=NOW) is False
    notice.refresh_from_db()
    assert notice.email_attempts == MAX_EMAIL_ATTEMPTS


@pytest.fixture
def eager_retries():
    """Applied eagerly, Celery runs each retry at once instead of after the backoff,
    as long as errors are not propagated to the caller."""
    conf = send_notification_email.app.conf
    propagates = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = propagates


def test_the_task_retries_a_failing_backend_until_the_notice_is_failed(
    pejabat_a, settings, eager_retries
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    notice = create(pejabat_a)

    result = send_notification_email.apply(args=[notice.pk])

    assert result.successful()  # the last delivery finds the notice failed: nothing to do

    notice.refresh_from_db()
    assert (notice.email_status, notice.email_attempts) == (EmailStatus.FAILED, MAX_EMAIL_ATTEMPTS)


def test_a_backend_that_recovers_sends_on_the_retry(pejabat_a, settings, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    notice = create(pejabat_a)
    with pytest.raises(ConnectionRefusedError):
        notification_email_send(notification_id=notice.pk, now=NOW)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notification_email_send(notification_id=notice.pk, now=NOW) is True

    notice.refresh_from_db()
    assert (notice.email_status, notice.email_attempts, notice.last_error) == (
        EmailStatus.SENT,
        2,
        "",
    )
    assert len(mailoutbox) == 1


# --- notification_email_requeue ------------------------------------------------------


def test_the_requeue_enqueues_only_notices_pending_for_a_while(pejabat_a, officer_a, enqueued):
    stale = create(pejabat_a, key="lama", now=NOW - dt.timedelta(minutes=11))
    create(officer_a, key="baru", now=NOW - dt.timedelta(minutes=9))
    sent = create(officer_a, key="terkirim", now=NOW - dt.timedelta(hours=1))
    Notification.objects.filter(pk=sent.pk).update(email_status=EmailStatus.SENT)
    failed = create(officer_a, key="gagal", now=NOW - dt.timedelta(hours=1))
    Notification.objects.filter(pk=failed.pk).update(email_status=EmailStatus.FAILED)
    create(UserFactory(username="tanpa_surel", email=""), now=NOW - dt.timedelta(hours=1))

    assert notification_email_requeue(now=NOW) == 1
    assert enqueued == [stale.pk]


def test_the_requeue_then_the_task_send_once(pejabat_a, mailoutbox, monkeypatch):
    monkeypatch.setattr(services, "enqueue_email", lambda pk: send_notification_email.apply([pk]))
    create(pejabat_a, now=NOW - dt.timedelta(hours=2))

    assert notification_email_requeue(now=NOW) == 1
    assert notification_email_requeue(now=NOW) == 0
    assert len(mailoutbox) == 1


def claimed(notice, at):
    """The state a worker leaves behind when it dies between the claim and the send."""
    Notification.objects.filter(pk=notice.pk).update(
        email_status=EmailStatus.SENDING, email_attempts=1, claimed_at=at
    )


def test_the_claim_records_when(pejabat_a):
    notice = create(pejabat_a)
    notification_email_send(notification_id=notice.pk, now=NOW)
    notice.refresh_from_db()
    assert notice.claimed_at == NOW


def test_a_stale_claim_is_released_and_then_sent_once(pejabat_a, mailoutbox, monkeypatch, settings):
    settings.NOTIFICATION_STALE_CLAIM_MINUTES = 10
    monkeypatch.setattr(services, "enqueue_email", lambda pk: send_notification_email.apply([pk]))
    notice = create(pejabat_a, now=NOW - dt.timedelta(hours=1))
    claimed(notice, NOW - dt.timedelta(minutes=11))

    with time_machine.travel(NOW, tick=False):  # the task reads the clock
        assert requeue_pending_emails() == 1
        assert requeue_pending_emails() == 0

    assert len(mailoutbox) == 1
    notice.refresh_from_db()
    assert (notice.email_status, notice.email_attempts, notice.claimed_at) == (
        EmailStatus.SENT,
        2,
        NOW,
    )


def test_a_fresh_claim_is_left_alone(pejabat_a, enqueued, mailoutbox):
    notice = create(pejabat_a, now=NOW - dt.timedelta(hours=1))
    claimed(notice, NOW - dt.timedelta(minutes=1))

    assert notification_email_requeue(now=NOW) == 0

    notice.refresh_from_db()
    assert (notice.email_status, notice.claimed_at) == (
        EmailStatus.SENDING,
        NOW - dt.timedelta(minutes=1),
    )
    assert enqueued == []
    assert mailoutbox == []


def test_the_stale_claim_minutes_come_from_the_settings(pejabat_a, enqueued, settings):
    settings.NOTIFICATION_STALE_CLAIM_MINUTES = 30
    notice = create(pejabat_a, now=NOW - dt.timedelta(hours=1))
    claimed(notice, NOW - dt.timedelta(minutes=20))
    assert notification_email_requeue(now=NOW) == 0

    settings.NOTIFICATION_STALE_CLAIM_MINUTES = 15
    assert notification_email_requeue(now=NOW) == 1
    assert enqueued == [notice.pk]


def test_requeueing_a_stale_claim_twice_does_not_double_it(pejabat_a, enqueued, mailoutbox):
    notice = create(pejabat_a, now=NOW - dt.timedelta(hours=1))
    claimed(notice, NOW - dt.timedelta(minutes=11))

    # Two requeues (two beats, or a delivered-twice task) before any worker ran.
    assert notification_email_requeue(now=NOW) == 1
    assert notification_email_requeue(now=NOW) == 1
    assert enqueued == [notice.pk, notice.pk]

    # The two queued tasks: one claims and sends, the other finds nothing to do.
    for pk in enqueued:
        send_notification_email.apply([pk])
    assert len(mailoutbox) == 1
    notice.refresh_from_db()
    assert (notice.email_status, notice.email_attempts) == (EmailStatus.SENT, 2)

    # Once sent, nothing is released or enqueued again.
    assert notification_email_requeue(now=NOW + dt.timedelta(hours=1)) == 0
    assert len(mailoutbox) == 1


def test_the_release_is_conditional_on_the_claim_time(pejabat_a, enqueued):
    notice = create(pejabat_a, now=NOW - dt.timedelta(hours=1))
    claimed(notice, NOW - dt.timedelta(minutes=11))
    notification_email_requeue(now=NOW)
    # Another worker claims it again before the second requeue: a fresh claim stays.
    claimed(notice, NOW)
    notification_email_requeue(now=NOW + dt.timedelta(minutes=1))
    notice.refresh_from_db()
    assert notice.email_status == EmailStatus.SENDING


def test_the_requeue_task_reads_the_clock(pejabat_a, enqueued):
    notice = create(pejabat_a, now=NOW)
    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
        assert requeue_pending_emails() == 0
    with time_machine.travel(NOW + dt.timedelta(minutes=10), tick=False):
        assert requeue_pending_emails() == 1
    assert enqueued == [notice.pk]


def test_the_requeue_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["notification-email-requeue"]
    assert entry["task"] == requeue_pending_emails.name


# --- The in-app list -----------------------------------------------------------------


def test_the_list_shows_only_my_notices(client, pejabat_a, officer_a):
    create(pejabat_a, key="milik-saya", title="Pemberitahuan untuk pejabat")
    create(officer_a, key="milik-orang", title="Pemberitahuan untuk petugas")
    client.force_login(pejabat_a)

    response = client.get(reverse("notifications:list"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Pemberitahuan untuk pejabat" in content
    assert "Pemberitahuan untuk petugas" not in content
    assert [notice.key for notice in response.context["page"]] == ["milik-saya"]


def test_the_list_needs_a_login(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_marking_read_is_post_only(client, pejabat_a):
    notice = create(pejabat_a)
    client.force_login(pejabat_a)

    assert client.get(reverse("notifications:read", args=[notice.pk])).status_code == 405
    notice.refresh_from_db()
    assert notice.read_at is None

    response = client.post(reverse("notifications:read", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_marking_read_needs_the_csrf_token(pejabat_a):
    notice = create(pejabat_a)
    client = Client(enforce_csrf_checks=True)
    client.force_login(pejabat_a)
    assert client.post(reverse("notifications:read", args=[notice.pk])).status_code == 403
    notice.refresh_from_db()
    assert notice.read_at is None


def test_another_users_notice_cannot_be_marked_read(client, pejabat_a, officer_a):
    theirs = create(officer_a)
    client.force_login(pejabat_a)

    client.post(reverse("notifications:read", args=[theirs.pk]))

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_marks_only_my_notices(client, pejabat_a, officer_a):
    mine = [create(pejabat_a, key=f"saya-{n}") for n in range(3)]
    theirs = create(officer_a)
    client.force_login(pejabat_a)

    assert client.get(reverse("notifications:read_all")).status_code == 405
    client.post(reverse("notifications:read_all"))

    assert Notification.objects.filter(pk__in=[n.pk for n in mine], read_at=None).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- notifications_create_many --------------------------------------------------------


def test_many_at_once_skip_the_written_and_enqueue_the_rest_after_commit(
    pejabat_a, officer_a, django_capture_on_commit_callbacks, monkeypatch
):
    from notifications.services import NoticeDraft, notifications_create_many
    from notifications.tasks import send_notification_emails

    batches: list[list[int]] = []
    monkeypatch.setattr(send_notification_emails, "delay", batches.append)
    no_mail = UserFactory(username="tanpa_surel_2", email="")
    create(pejabat_a, key="fwd:1:overdue")  # written earlier

    def draft(user, key):
        return NoticeDraft(user, key, "deadline_overdue", f"Judul {key}", "Isi", "/p/1/")

    drafts = [
        draft(pejabat_a, "fwd:1:overdue"),  # exists: skipped
        draft(officer_a, "fwd:1:overdue"),
        draft(officer_a, "fwd:1:overdue"),  # twice in the same call: once
        draft(no_mail, "fwd:1:overdue"),
        draft(pejabat_a, "fwd:1:escalation:1"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        written = notifications_create_many(drafts=drafts, now=NOW)

    assert sorted((w.recipient_id, w.email_status) for w in written) == sorted(
        [
            (officer_a.pk, EmailStatus.PENDING),
            (no_mail.pk, EmailStatus.SKIPPED),
            (pejabat_a.pk, EmailStatus.PENDING),
        ]
    )
    assert Notification.objects.count() == 4
    pending = {w.pk for w in written if w.email_status == EmailStatus.PENDING}
    assert [set(b) for b in batches] == [pending]
    stored = Notification.objects.get(recipient=officer_a)
    assert (stored.title, stored.created_at, stored.email_attempts) == (
        "Judul fwd:1:overdue",
        NOW,
        0,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_create_many(drafts=drafts, now=NOW) == []
