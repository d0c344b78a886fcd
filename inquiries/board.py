"""Selectors of the deadline board (Lampiran B angka 4: a reply within 24 hours).

Pure reads: no request, no clock. The caller passes the period and ``now``, so the
same numbers can be reused by the reports.

The figures of the board and the lists behind them share one definition: the
forwardings of :func:`board_forwardings`, narrowed by one ``Q`` of
:func:`figure_filters`. :func:`on_time_rates` sums the stored daily counters kept
with those same conditions (:mod:`inquiries.counts`) and :func:`figure_forwardings`
filters with them, so a list always holds exactly the forwardings its figure counts.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Q, QuerySet, TextChoices, Value, When
from django.utils.translation import gettext_lazy as _

from . import counts
from .models import Forwarding, ForwardingStatus

# The figures of the board, in the order they are shown; each is a field of Rate.
FIGURES = ("total", "replied", "replied_on_time", "replied_late", "overdue_open")


@dataclass(frozen=True)
class Rate:
    """How one receiving agency kept the 24-hour deadline in a period."""

    agency_id: int
    total: int
    replied: int
    replied_on_time: int
    overdue_open: int
    # Last and defaulted so that positional construction elsewhere keeps working.
    replied_late: int = 0

    @classmethod
    def empty(cls, agency_id: int) -> "Rate":
        """The rate of an agency that received nothing in the period."""
        return cls(agency_id=agency_id, **dict.fromkeys(FIGURES, 0))

    @property
    def rate(self) -> float | None:
        """``replied_on_time / total``; None when nothing was forwarded."""
        return self.replied_on_time / self.total if self.total else None

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else self.rate * 100


class DeadlineState(TextChoices):
    """Where one forwarding of the board stands against its deadline (derived, not stored)."""

    ON_TIME = "on_time", _("Replied on time")
    LATE = "late", _("Replied late")
    OVERDUE = "overdue", _("Open, overdue")
    OPEN = "open", _("Open, not yet due")
    REROUTED = "rerouted", _("Re-routed")


def board_forwardings(
    *, start: dt.datetime, end: dt.datetime, agency_ids: Iterable[int] | None = None
) -> QuerySet[Forwarding]:
    """The forwardings the board counts: ``forwarded_at`` in ``[start, end)``, not
    cancelled (the inquiry was closed by the sender, so nothing was asked of the
    receiver any more). ``agency_ids`` narrows to those receiving agencies (None:
    every agency)."""
    queryset = Forwarding.objects.filter(forwarded_at__gte=start, forwarded_at__lt=end).exclude(
        status=ForwardingStatus.CANCELLED
    )
    if agency_ids is not None:
        queryset = queryset.filter(to_agency_id__in=list(agency_ids))
    return queryset


def figure_filters(now: dt.datetime) -> dict[str, Q]:
    """Each figure of the board as a condition on :func:`board_forwardings`.

    * ``total``: every one of them;
    * ``replied``: those with a reply (``replied_at`` set);
    * ``replied_on_time``: replied with ``replied_at <= due_at``;
    * ``replied_late``: replied with ``replied_at > due_at``;
    * ``overdue_open``: still open with ``due_at < now``.

    The first four are those of the stored daily counters (``inquiries.counts.FORWARDINGS``).
    """
    stored = {name: counts.FORWARDINGS.figures[name].where for name in counts.FORWARDINGS.figures}
    return {**stored, "overdue_open": Q(status=ForwardingStatus.OPEN, due_at__lt=now)}


def on_time_rates(
    *,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    agency_ids: Iterable[int] | None = None,
) -> dict[int, Rate]:
    """On-time reply rates per receiving agency, for a period of whole local days.

    The figures that a reply settles (total, replied, on time, late) are summed from
    the stored daily counters (:mod:`inquiries.counts`), which count the forwardings
    of :func:`board_forwardings` with the conditions of :func:`figure_filters`;
    "overdue now" depends on ``now`` and is counted from the open forwardings
    themselves. Agencies that received nothing in the period are absent.
    """
    stored = counts.forwardings_per_agency(start=start, end=end, agency_ids=agency_ids)
    overdue = dict(
        board_forwardings(start=start, end=end, agency_ids=agency_ids)
        .filter(figure_filters(now)["overdue_open"])
        .order_by()
        .values("to_agency_id")
        .annotate(n=Count("pk"))
        .values_list("to_agency_id", "n")
    )
    return {
        agency_id: Rate(agency_id=agency_id, **figures, overdue_open=overdue.get(agency_id, 0))
        for agency_id, figures in stored.items()
        if figures["total"]
    }


def figure_forwardings(
    *,
    figure: str,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    agency_ids: Iterable[int] | None = None,
) -> QuerySet[Forwarding]:
    """The forwardings counted by ``figure`` (a key of :func:`figure_filters`), in
    the order they were forwarded, each annotated with its ``deadline_state`` (a
    :class:`DeadlineState` value, derived from the same conditions)."""
    filters = figure_filters(now)
    state = Case(
        When(filters["replied_on_time"], then=Value(DeadlineState.ON_TIME.value)),
        When(filters["replied_late"], then=Value(DeadlineState.LATE.value)),
        When(filters["overdue_open"], then=Value(DeadlineState.OVERDUE.value)),
        When(status=ForwardingStatus.OPEN, then=Value(DeadlineState.OPEN.value)),
        default=Value(DeadlineState.REROUTED.value),
        output_field=CharField(),
    )
    return (
        board_forwardings(start=start, end=end, agency_ids=agency_ids)
        .filter(filters[figure])
        .annotate(deadline_state=state)
        .select_related("inquiry", "from_agency", "to_agency")
        .order_by("forwarded_at", "pk")
    )


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
