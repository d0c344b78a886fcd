import random

from celery import shared_task

from katingan_sosmed import clock

from .services import MAX_EMAIL_ATTEMPTS, notification_email_requeue, notification_email_send


def _backoff(retries: int) -> float:
    """Exponential backoff with jitter, capped well below any broker timeout."""
    return min(300, 30 * 2**retries) + random.uniform(0, 10)  # noqa: S311


@shared_task(
    bind=True,
    name="notifications.send_email",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_EMAIL_ATTEMPTS,
)
def send_notification_email(self, notification_id: int) -> None:
    """Send one notice's e-mail; safe to run twice (the row is claimed first)."""
    try:
        notification_email_send(notification_id=notification_id, now=clock.now())
    except Exception as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(
    name="notifications.send_emails",
    acks_late=True,
    reject_on_worker_lost=True,
)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Send the e-mails of several notices (a sweep's batch); safe to run twice.

    A notice whose send fails is handed to :func:`send_notification_email`, which
    retries it alone with backoff; the others are not held up. Returns how many
    this call sent.
    """
    sent = 0
    for notification_id in notification_ids:
        try:
            sent += notification_email_send(notification_id=notification_id, now=clock.now())
        except Exception:  # noqa: BLE001 - the row is back to pending (or failed)
            send_notification_email.apply_async((notification_id,), countdown=_backoff(0))
    return sent


@shared_task(name="notifications.requeue_pending_emails", acks_late=True)
def requeue_pending_emails() -> int:
    """Every few minutes: enqueue again the e-mails whose task was lost (idempotent)."""
    return notification_email_requeue(now=clock.now())
