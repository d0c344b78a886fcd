import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections

from katingan_sosmed import clock

from .deadlines import deadline_sweep

logger = logging.getLogger(__name__)

# A lost database connection (PostgreSQL restarted, failed over, a network cut): the
# sweep's uncommitted batch was rolled back, the committed ones stand, so running it
# again is safe. Backoff 1, 2, 4, 8, 16 s (with jitter) rides out a restart; a longer
# outage is caught up by the next minute's sweep anyway.
DATABASE_ERRORS = (OperationalError, InterfaceError)
SWEEP_RETRIES = 5


@shared_task(
    bind=True,
    name="inquiries.sweep_deadlines",
    acks_late=True,
    autoretry_for=DATABASE_ERRORS,
    retry_backoff=1,
    retry_backoff_max=30,
    retry_jitter=True,
    max_retries=SWEEP_RETRIES,
)
def sweep_deadlines(self, helper: bool = False) -> dict[str, int]:
    """Every minute: forwarding reminders, overdue notices and escalations (idempotent).

    When more is due than one batch, the minute's sweep enqueues
    ``DEADLINE_SWEEP_HELPERS`` helper sweeps, so that other worker processes share the
    backlog (each claims its own batches with SKIP LOCKED); helpers start none.
    A database error retries the sweep with backoff, on a fresh connection.
    """

    def start_helpers() -> None:
        for _ in range(settings.DEADLINE_SWEEP_HELPERS):
            try:
                sweep_deadlines.apply_async(kwargs={"helper": True}, expires=55)
            except Exception:  # noqa: BLE001 - the minute's sweep does the work alone
                logger.warning("broker unavailable: no helper sweep started")
                return

    try:
        return deadline_sweep(now=clock.now(), on_backlog=None if helper else start_helpers)
    except DATABASE_ERRORS:
        # Drop the broken connection now, so the retry (and any task this worker runs
        # meanwhile) opens a new one instead of failing on the dead socket.
        close_old_connections()
        raise
