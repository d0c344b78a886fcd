"""Selectors of the deadline board (Lampiran B angka 4: a reply within 24 hours).

Pure reads: no request, no clock. The caller passes the period and ``now``, so the
same numbers can be reused by the reports.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from .models import Forwarding, ForwardingStatus


@dataclass(frozen=True)
class Rate:
    """How one receiving agency kept the 24-hour deadline in a period."""

    agency_id: int
    total: int
    replied: int
    replied_on_time: int
    overdue_open: int

    @property
    def rate(self) -> float | None:
        """``replied_on_time / total``; None when nothing was forwarded."""
        return self.replied_on_time / self.total if self.total else None

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else self.rate * 100


def on_time_rates(
    *,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    agency_ids: Iterable[int] | None = None,
) -> dict[int, Rate]:
    """On-time reply rates per receiving agency, in one aggregate query.

    Counts the forwardings with ``forwarded_at`` in ``[start, end)``, grouped by
    ``to_agency``:

    * ``total``: every forwarding received, except cancelled ones (the inquiry was
      closed by the sender, so nothing was asked of the receiver any more);
    * ``replied``: those with a reply (``replied_at`` set);
    * ``replied_on_time``: replied with ``replied_at <= due_at``;
    * ``overdue_open``: still open with ``due_at < now``.

    ``agency_ids`` narrows to those receiving agencies (None: every agency). Agencies
    that received nothing in the period are absent from the result.
    """
    queryset = Forwarding.objects.filter(forwarded_at__gte=start, forwarded_at__lt=end).exclude(
        status=ForwardingStatus.CANCELLED
    )
    if agency_ids is not None:
        queryset = queryset.filter(to_agency_id__in=list(agency_ids))
    rows = (
        queryset.order_by()
        .values("to_agency_id")
        .annotate(
            total=Count("pk"),
            replied=Count("pk", filter=Q(replied_at__isnull=False)),
            replied_on_time=Count("pk", filter=Q(replied_at__lte=F("due_at"))),
            overdue_open=Count("pk", filter=Q(status=ForwardingStatus.OPEN, due_at__lt=now)),
        )
    )
    return {
        row["to_agency_id"]: Rate(
            agency_id=row["to_agency_id"],
            total=row["total"],
            replied=row["replied"],
            replied_on_time=row["replied_on_time"],
            overdue_open=row["overdue_open"],
        )
        for row in rows
    }


def due_soon_and_overdue(
    *, agency_id: int | None = None, now: dt.datetime, horizon_hours: int = 6
) -> QuerySet[Forwarding]:
    """Open forwardings due within ``horizon_hours`` of ``now`` or already overdue,
    the earliest deadline first; ``agency_id`` narrows to one receiving agency."""
    queryset = Forwarding.objects.filter(
        status=ForwardingStatus.OPEN, due_at__lt=now + dt.timedelta(hours=horizon_hours)
    )
    if agency_id is not None:
        queryset = queryset.filter(to_agency_id=agency_id)
    return queryset.select_related("inquiry", "from_agency", "to_agency").order_by("due_at", "pk")
