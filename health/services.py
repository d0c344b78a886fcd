"""Recording and reading the health of the portal's moving parts."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from kombu import Connection

from .models import Heartbeat

BEAT = "beat"


@dataclass(frozen=True)
class ComponentState:
    ok: bool
    detail: str

    def as_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "detail": self.detail}


def heartbeat_record(*, name: str, now: datetime) -> None:
    """Store ``now`` as the last time ``name`` was seen (idempotent)."""
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": now})


def check_database() -> ComponentState:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return ComponentState(False, type(exc).__name__)
    return ComponentState(True, connection.vendor)


def check_broker(*, url: str | None = None, timeout: float = 2.0) -> ComponentState:
    """Open a fresh connection to the broker, so a dead pool cannot hide an outage."""
    url = url or settings.CELERY_BROKER_URL
    transport_options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    try:
        with Connection(url, connect_timeout=timeout, transport_options=transport_options) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)
            transport = conn.transport_cls
    except Exception as exc:  # noqa: BLE001 - any failure means "unhealthy"
        return ComponentState(False, type(exc).__name__)
    return ComponentState(True, str(transport))


def check_beat(*, now: datetime, max_age: timedelta | None = None) -> ComponentState:
    max_age = max_age or settings.HEALTH_BEAT_MAX_AGE
    try:
        seen_at = Heartbeat.objects.filter(name=BEAT).values_list("seen_at", flat=True).first()
    except DatabaseError as exc:
        return ComponentState(False, type(exc).__name__)
    if seen_at is None:
        return ComponentState(False, "never")
    age = now - seen_at
    return ComponentState(age <= max_age, seen_at.isoformat())
