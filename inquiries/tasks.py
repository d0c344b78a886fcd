from celery import shared_task

from katingan_sosmed import clock

from .deadlines import deadline_sweep


@shared_task(name="inquiries.sweep_deadlines", acks_late=True)
def sweep_deadlines() -> dict[str, int]:
    """Every minute: forwarding reminders, overdue notices and escalations (idempotent)."""
    return deadline_sweep(now=clock.now())
