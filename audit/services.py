"""The one helper that writes audit events."""

from datetime import datetime

from django.db import models

from katingan_sosmed import clock

from .models import AuditEvent


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    agency_id: int | None = None,
    changes: dict | None = None,
    note: str = "",
    now: datetime | None = None,
) -> AuditEvent:
    """Append one audit event for ``obj``; call inside the writing transaction."""
    if agency_id is None:
        agency_id = getattr(obj, "agency_id", None)
    return AuditEvent.objects.create(
        at=now or clock.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        agency_id=agency_id,
        changes=changes or {},
        note=note,
    )


def changed_fields(before: models.Model | None, after: models.Model, fields: list[str]) -> dict:
    """Field-by-field differences, as strings, for the ``changes`` of an event."""
    diff = {}
    for name in fields:
        old = getattr(before, name, None) if before is not None else None
        new = getattr(after, name)
        if old != new:
            diff[name] = [None if old is None else str(old), None if new is None else str(new)]
    return diff
