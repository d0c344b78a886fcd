"""The Celery application. Its configuration lives in settings (``CELERY_*``)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "katingan_sosmed.settings")

app = Celery("katingan_sosmed")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
