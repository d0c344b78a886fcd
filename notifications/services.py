"""Writing notices and delivering them by e-mail.

The notice row is written first, under its unique key, inside the caller's
transaction; the e-mail is sent by a task enqueued after commit. A duplicate
(same recipient and key) is silently not written, so a job that runs twice, or
two jobs that run at once, notify once.
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from .models import EmailStatus, Notification

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5
# E-mails per broker message when many notices are written at once (a sweep): one
# publish per notice would cost more than writing the notices themselves.
EMAIL_BATCH = 250
# A notice still pending this long after it was written has most likely lost its task
# (broker down, queue emptied). Requeueing one whose retry is merely waiting is
# harmless: the claim lets only one of the two tasks send.
REQUEUE_AFTER = timedelta(minutes=10)


def notification_create(
    *, recipient, key: str, kind: str, title: str, body: str, url: str, now: datetime
) -> Notification | None:
    """Write one notice unless the same (recipient, key) exists; None when it does.

    Side effect: after commit, the e-mail task is enqueued (a broker outage only
    delays it: ``notification_email_requeue`` finds pending rows again).
    """
    try:
        with transaction.atomic():
            notice = Notification.objects.create(
                recipient=recipient,
                key=key,
                kind=kind,
                title=title[:200],
                body=body,
                url=url,
                created_at=now,
                email_status=_email_status(recipient),
            )
    except IntegrityError:
        return None
    if notice.email_status == EmailStatus.PENDING:
        transaction.on_commit(lambda: enqueue_email(notice.pk))
    return notice


@dataclass(frozen=True)
class NoticeDraft:
    """A notice not yet written: who gets it, its unique key and its text."""

    recipient: object  # a User; notifications imports no domain app
    key: str
    kind: str
    title: str
    body: str
    url: str = ""


class Written(NamedTuple):
    """A notice that :func:`notifications_create_many` wrote."""

    pk: int
    recipient_id: int
    kind: str
    email_status: str


_INSERT_COLUMNS = (
    "recipient_id",
    "key",
    "kind",
    "title",
    "body",
    "url",
    "created_at",
    "email_status",
    "email_attempts",
    "last_error",
)


def notifications_create_many(*, drafts: Sequence[NoticeDraft], now: datetime) -> list[Written]:
    """Write every draft whose (recipient, key) is not written yet; return those written.

    Inside the caller's transaction. On PostgreSQL one ``INSERT … ON CONFLICT
    (recipient_id, key) DO NOTHING RETURNING`` writes them all and skips any that a
    concurrent writer inserted meanwhile; it is the hot path of the deadline sweep,
    where the ORM's per-value preparation cost more than everything else together
    (``docs/benchmarks.md``). Elsewhere (SQLite in development) one query finds the
    existing ones, one ``bulk_create`` writes the rest, and on a unique violation it
    falls back to one savepoint per notice. Side effect: after commit, the e-mails
    are enqueued ``EMAIL_BATCH`` to a message.
    """
    fresh: dict[tuple[int, str], NoticeDraft] = {}
    for draft in drafts:
        fresh.setdefault((draft.recipient.pk, draft.key), draft)
    if not fresh:
        return []
    if connection.vendor == "postgresql":
        written = _insert_skipping_conflicts(fresh.values(), now)
    else:
        written = _insert_new(fresh, now)
    pending = [n.pk for n in written if n.email_status == EmailStatus.PENDING]
    if pending:
        transaction.on_commit(lambda: enqueue_emails(pending))
    return written


def _email_status(recipient) -> str:
    return EmailStatus.PENDING if recipient.email else EmailStatus.SKIPPED


def _insert_skipping_conflicts(drafts: Iterable[NoticeDraft], now: datetime) -> list[Written]:
    from psycopg2.extras import execute_values

    rows = [
        (d.recipient.pk, d.key, d.kind, d.title[:200], d.body, d.url, now)
        + (_email_status(d.recipient), 0, "")
        for d in drafts
    ]
    table = connection.ops.quote_name(Notification._meta.db_table)
    columns = ", ".join(_INSERT_COLUMNS)
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES %s "  # noqa: S608 - names from our model
        "ON CONFLICT (recipient_id, key) DO NOTHING "
        "RETURNING id, recipient_id, kind, email_status"
    )
    with connection.cursor() as cursor:
        returned = execute_values(cursor, sql, rows, page_size=1000, fetch=True)
    return [Written(*row) for row in returned]


def _insert_new(fresh: dict[tuple[int, str], NoticeDraft], now: datetime) -> list[Written]:
    # Both columns of the unique index, so the lookup stays an index scan.
    existing = set(
        Notification.objects.filter(
            recipient_id__in={pair[0] for pair in fresh}, key__in={pair[1] for pair in fresh}
        ).values_list("recipient_id", "key")
    )
    rows = [
        Notification(
            recipient=d.recipient,
            key=d.key,
            kind=d.kind,
            title=d.title[:200],
            body=d.body,
            url=d.url,
            created_at=now,
            email_status=_email_status(d.recipient),
        )
        for pair, d in fresh.items()
        if pair not in existing
    ]
    try:
        with transaction.atomic():
            saved = Notification.objects.bulk_create(rows)
    except IntegrityError:
        saved = []
        for row in rows:
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
            except IntegrityError:
                continue
            saved.append(row)
    return [Written(n.pk, n.recipient_id, n.kind, n.email_status) for n in saved]


def enqueue_emails(notification_ids: Iterable[int]) -> None:
    """Enqueue the e-mails of many notices, ``EMAIL_BATCH`` ids to a task."""
    from .tasks import send_notification_emails

    ids = list(notification_ids)
    for start in range(0, len(ids), EMAIL_BATCH):
        chunk = ids[start : start + EMAIL_BATCH]
        try:
            send_notification_emails.delay(chunk)
        except Exception:  # noqa: BLE001 - the rows stay pending; the requeue finds them
            logger.warning(
                "broker unavailable: %s notification e-mail(s) left pending", len(ids) - start
            )
            return


def enqueue_email(notification_id: int) -> None:
    from .tasks import send_notification_email

    try:
        send_notification_email.delay(notification_id)
    except Exception:  # noqa: BLE001 - the row stays pending; the requeue finds it
        logger.warning("notification %s: broker unavailable, e-mail left pending", notification_id)


def notification_email_send(*, notification_id: int, now: datetime) -> bool:
    """Claim a pending notice and send its e-mail. True when this call sent it.

    The claim is a conditional UPDATE: only one caller can move a row from
    pending to sending, so a task delivered twice sends once. ``claimed_at`` records
    when, so that a claim whose worker died is released by
    :func:`notification_email_requeue`.
    """
    claimed = Notification.objects.filter(
        pk=notification_id, email_status=EmailStatus.PENDING
    ).update(
        email_status=EmailStatus.SENDING,
        email_attempts=F("email_attempts") + 1,
        claimed_at=now,
    )
    if not claimed:
        return False
    notice = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not notice.recipient.email or not notice.recipient.is_active:
        # The address was removed or the account closed after the notice was written.
        Notification.objects.filter(pk=notice.pk).update(email_status=EmailStatus.SKIPPED)
        return False
    link = f"{settings.PORTAL_BASE_URL}{notice.url}" if notice.url else ""
    try:
        send_mail(
            subject=f"[Portal Medsos Katingan] {notice.title}",
            message=f"{notice.body}\n\n{link}".strip(),
            from_email=None,
            recipient_list=[notice.recipient.email],
        )
    except Exception as exc:
        final = notice.email_attempts >= MAX_EMAIL_ATTEMPTS
        Notification.objects.filter(pk=notice.pk).update(
            email_status=EmailStatus.FAILED if final else EmailStatus.PENDING,
            last_error=type(exc).__name__,
        )
        raise
    Notification.objects.filter(pk=notice.pk).update(
        email_status=EmailStatus.SENT, emailed_at=now, last_error=""
    )
    return True


def notification_email_requeue(
    *,
    now: datetime,
    older_than: timedelta = REQUEUE_AFTER,
    stale_claim: timedelta | None = None,
    limit: int = 500,
) -> int:
    """Release dead claims, then enqueue the e-mail task again for notices still
    pending after ``older_than``.

    First, rows stuck in ``sending`` whose ``claimed_at`` is older than ``stale_claim``
    (default ``settings.NOTIFICATION_STALE_CLAIM_MINUTES``) go back to ``pending``: the
    worker that claimed them died before it recorded the outcome. That UPDATE is
    conditional on the status and on ``claimed_at``, so two requeues running at once
    release a row once, and a row claimed again meanwhile is left alone.

    This makes delivery at-least-once: if a worker dies after the SMTP server
    accepted the message but before the SENT update, the released row is sent again.
    A duplicate e-mail is possible in that rare case, a lost one is not, which is the
    side the regulation prefers.

    Then the catch-up for a broker that was down when a notice was written (the
    after-commit enqueue only logged a warning) or that lost its queue. A retry
    that is already queued does no harm: whichever task claims the row first
    sends it, the other finds nothing to do. Returns how many were enqueued.
    """
    if stale_claim is None:
        stale_claim = timedelta(minutes=settings.NOTIFICATION_STALE_CLAIM_MINUTES)
    released = Notification.objects.filter(
        email_status=EmailStatus.SENDING, claimed_at__lte=now - stale_claim
    ).update(email_status=EmailStatus.PENDING)
    if released:
        logger.warning("%s notification e-mail claim(s) released after a worker loss", released)
    stale = (
        Notification.objects.filter(
            email_status=EmailStatus.PENDING, created_at__lte=now - older_than
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    ids = list(stale)
    for notification_id in ids:
        enqueue_email(notification_id)
    return len(ids)


def notification_mark_read(*, user, notification_id: int | None, now: datetime) -> int:
    """Mark one of ``user``'s notices (or all when id is None) as read."""
    notices = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        notices = notices.filter(pk=notification_id)
    return notices.update(read_at=now)
