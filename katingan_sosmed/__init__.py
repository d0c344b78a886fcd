"""Wiring of the portal: settings, URLs, the Celery app and the clock."""

from .celery import app as celery_app

__all__ = ("celery_app",)
