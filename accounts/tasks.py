from celery import shared_task
from django.utils import timezone

from katingan_sosmed import clock

from .services import decree_expiry_remind


@shared_task(name="accounts.decree_expiry_reminders", acks_late=True)
def decree_expiry_reminders() -> int:
    """Daily: remind pejabat of decrees that expire in 30 or 7 days (idempotent)."""
    now = clock.now()
    return decree_expiry_remind(today=timezone.localdate(now), now=now)
