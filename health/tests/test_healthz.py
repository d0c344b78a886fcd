import time
from datetime import timedelta

import pytest
from django.urls import reverse

from health.models import Heartbeat
from health.services import BEAT
from katingan_sosmed import clock

pytestmark = pytest.mark.django_db


def record_beat(age: timedelta) -> None:
    Heartbeat.objects.update_or_create(name=BEAT, defaults={"seen_at": clock.now() - age})


def test_healthy_when_database_broker_and_beat_are_fine(client):
    record_beat(timedelta(seconds=10))
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["broker"]["ok"] and body["beat"]["ok"]


def test_unhealthy_when_beat_never_ticked(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["beat"] == {"ok": False, "detail": "never"}


def test_unhealthy_when_beat_is_stale(client, settings):
    settings.HEALTH_BEAT_MAX_AGE = timedelta(minutes=2)
    record_beat(timedelta(minutes=3))
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["beat"]["ok"] is False


def test_unreachable_broker_gives_503_quickly(client, settings):
    record_beat(timedelta(seconds=1))
    # Nothing listens on port 1: the connection is refused at once.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1}
    started = time.monotonic()
    response = client.get(reverse("healthz"))
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    body = response.json()
    assert body["broker"]["ok"] is False
    assert body["database"]["ok"] is True


def test_healthz_is_get_only_and_never_cached(client):
    record_beat(timedelta(seconds=1))
    assert client.post(reverse("healthz")).status_code == 405
    response = client.get(reverse("healthz"))
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
