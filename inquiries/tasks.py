import logging

from celery import shared_task
from django.conf import settings

from katingan_sosmed import clock

from .deadlines import deadline_sweep

logger = logging.getLogger(__name__)


@shared_task(name="inquiries.sweep_deadlines", acks_late=True)
def sweep_deadlines(helper: bool = False) -> dict[str, int]:
    """Every minute: forwarding reminders, overdue notices and escalations (idempotent).

    When more is due than one batch, the minute's sweep enqueues
    ``DEADLINE_SWEEP_HELPERS`` helper sweeps, so that other worker processes share the
    backlog (each claims its own batches with SKIP LOCKED); helpers start none.
    """

    def start_helpers() -> None:
        for _ in range(settings.DEADLINE_SWEEP_HELPERS):
            try:
                sweep_deadlines.apply_async(kwargs={"helper": True}, expires=55)
            except Exception:  # noqa: BLE001 - the minute's sweep does the work alone
                logger.warning("broker unavailable: no helper sweep started")
                return

    return deadline_sweep(now=clock.now(), on_backlog=None if helper else start_helpers)
