"""The daily retention run (Celery). No arguments: it reads what is due from the
database."""

from celery import shared_task

from .services import retention_apply


@shared_task(name="privacy.apply_retention", acks_late=True)
def apply_retention() -> int:
    """Anonymise what the retention period has run out on; returns the run's id."""
    return retention_apply().pk
