import random

from celery import shared_task

from katingan_sosmed import clock

from .services import MAX_EMAIL_ATTEMPTS, notification_email_requeue, notification_email_send


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
        # Exponential backoff with jitter, capped well below any broker timeout.
        delay = min(300, 30 * 2**self.request.retries) + random.uniform(0, 10)  # noqa: S311
        raise self.retry(exc=exc, countdown=delay) from exc


@shared_task(name="notifications.requeue_pending_emails", acks_late=True)
def requeue_pending_emails() -> int:
    """Every few minutes: enqueue again the e-mails whose task was lost (idempotent)."""
    return notification_email_requeue(now=clock.now())
