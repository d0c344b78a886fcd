"""Stored daily counters of inquiries and forwardings (:class:`~inquiries.models.DailyCount`,
:class:`~inquiries.models.ForwardingDailyCount`).

Each counted figure has one definition, as a condition on the rows (for lists and
recounts) and as the same test on one row in memory (for keeping the counters up to
date): the ``figures`` of :data:`INQUIRIES` and :data:`FORWARDINGS`. The flow
(:mod:`inquiries.flow`) calls :func:`change` inside the transaction of every write,
with the figures the row counted in before; the counters move by the difference in
one upsert, so concurrent writers never lose an increment and the counters always
equal a recount (:func:`differences`, :func:`rebuild`).
"""

import datetime as dt
import functools
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from .models import (
    DailyCount,
    Forwarding,
    ForwardingDailyCount,
    ForwardingStatus,
    Inquiry,
    InquiryKind,
)


@dataclass(frozen=True)
class Figure:
    where: Q  # the condition on the rows
    holds: Callable[[Any], bool]  # the same condition on one row


@dataclass(frozen=True, eq=False)  # compared and hashed by identity (one per table)
class Counter:
    """How rows of ``source`` are counted into ``table``: per agency (the
    ``agency`` attribute) and local day of ``moment``, one column per figure."""

    source: type[models.Model]
    table: type[models.Model]
    agency: str
    moment: str
    figures: dict[str, Figure]
    # Columns written once, when a counter row is made: name → f(day).
    fixed: dict[str, Callable[[dt.date], object]] = field(default_factory=dict)

    def counted(self, row) -> frozenset[str]:
        """The figures ``row`` counts in, as it is in memory."""
        return frozenset(name for name, f in self.figures.items() if f.holds(row))


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# Each kind of Lampiran B → its column of DailyCount.
KIND_COLUMNS = {
    InquiryKind.QUESTION: "questions",
    InquiryKind.COMMENT: "comments",
    InquiryKind.CRITICISM: "criticisms",
    InquiryKind.SUGGESTION: "suggestions",
}

INQUIRIES = Counter(
    source=Inquiry,
    table=DailyCount,
    agency="agency_id",
    moment="received_at",
    figures={
        **{
            column: Figure(Q(kind=kind), lambda i, kind=kind: i.kind == kind)
            for kind, column in KIND_COLUMNS.items()
        },
        "answered_directly": Figure(
            Q(answered_at__isnull=False, forwarded_at__isnull=True),
            lambda i: i.answered_at is not None and i.forwarded_at is None,
        ),
        "forwarded": Figure(Q(forwarded_at__isnull=False), lambda i: i.forwarded_at is not None),
    },
    fixed={"week": _monday},
)

_CANCELLED = ForwardingStatus.CANCELLED
FORWARDINGS = Counter(
    source=Forwarding,
    table=ForwardingDailyCount,
    agency="to_agency_id",
    moment="forwarded_at",
    # The board's figures (inquiries.board.figure_filters) of the forwardings it
    # counts: every one not cancelled.
    figures={
        "total": Figure(~Q(status=_CANCELLED), lambda f: f.status != _CANCELLED),
        "replied": Figure(
            ~Q(status=_CANCELLED) & Q(replied_at__isnull=False),
            lambda f: f.status != _CANCELLED and f.replied_at is not None,
        ),
        "replied_on_time": Figure(
            ~Q(status=_CANCELLED) & Q(replied_at__lte=F("due_at")),
            lambda f: (
                f.status != _CANCELLED and f.replied_at is not None and f.replied_at <= f.due_at
            ),
        ),
        "replied_late": Figure(
            ~Q(status=_CANCELLED) & Q(replied_at__gt=F("due_at")),
            lambda f: (
                f.status != _CANCELLED and f.replied_at is not None and f.replied_at > f.due_at
            ),
        ),
    },
)

COUNTERS = (INQUIRIES, FORWARDINGS)
_BY_SOURCE = {counter.source: counter for counter in COUNTERS}


def local_zone() -> zoneinfo.ZoneInfo:
    """The regency's time zone (WIB), whose days the counters count."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def day_of(moment: dt.datetime) -> dt.date:
    return moment.astimezone(local_zone()).date()


def counted(row: Inquiry | Forwarding) -> frozenset[str]:
    """The figures ``row`` (an inquiry or a forwarding) counts in, as it is in memory."""
    return _BY_SOURCE[type(row)].counted(row)


def change(row: Inquiry | Forwarding, *, before: Iterable[str]) -> None:
    """Move the counters of ``row``'s agency and day from the figures it counted in
    ``before`` (empty for a new row) to those it counts in now. Must run in the
    transaction that writes the row."""
    counter = _BY_SOURCE[type(row)]
    before = frozenset(before)
    after = counter.counted(row)
    deltas = [(name in after) - (name in before) for name in counter.figures]
    if not any(deltas):
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Counters change only inside the transaction that writes the row.")
    day = day_of(getattr(row, counter.moment))
    fixed = [make(day) for make in counter.fixed.values()]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(counter), [getattr(row, counter.agency), day, *fixed, *deltas])


@functools.cache
def _upsert_sql(counter: Counter) -> str:
    quote = connection.ops.quote_name
    table = quote(counter.table._meta.db_table)
    fixed = [quote(name) for name in counter.fixed]
    columns = [quote(name) for name in counter.figures]
    inserted = ["agency_id", "day", *fixed, *columns]
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
    # INSERT ... ON CONFLICT DO UPDATE: PostgreSQL and SQLite (3.24+) alike. Only
    # constant names are formatted in; the values are parameters.
    return (
        f"INSERT INTO {table} ({', '.join(inserted)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(inserted))}) "
        f"ON CONFLICT (agency_id, day) DO UPDATE SET {updates}"
    )


def local_days(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date]:
    """``[start, end)`` as local days; both must be local midnights, since the
    counters count whole days."""
    first, last = (moment.astimezone(local_zone()) for moment in (start, end))
    if first.time() != dt.time.min or last.time() != dt.time.min:
        raise ValueError("Daily counters are read for whole local days only.")
    return first.date(), last.date()


def _in_period(counter: Counter, start, end, agency_ids) -> QuerySet:
    first, last = local_days(start, end)
    rows = counter.table.objects.filter(day__gte=first, day__lt=last)
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=list(agency_ids))
    return rows.order_by()


def inquiries_per_week(
    *, start: dt.datetime, end: dt.datetime, agency_ids: Iterable[int] | None
) -> QuerySet:
    """The inquiry counters of ``[start, end)`` (local midnights), summed per agency
    and week (its Monday): one row each with every figure of :data:`INQUIRIES`."""
    return (
        _in_period(INQUIRIES, start, end, agency_ids)
        .values("agency_id", "week")
        .annotate(**{name: Sum(name) for name in INQUIRIES.figures})
    )


def forwardings_per_agency(
    *, start: dt.datetime, end: dt.datetime, agency_ids: Iterable[int] | None
) -> dict[int, dict[str, int]]:
    """The forwarding counters of ``[start, end)`` (local midnights) per receiving agency."""
    rows = (
        _in_period(FORWARDINGS, start, end, agency_ids)
        .values("agency_id")
        .annotate(**{name: Sum(name) for name in FORWARDINGS.figures})
    )
    return {row.pop("agency_id"): row for row in rows}


def recount(counter: Counter) -> list[dict]:
    """What ``counter``'s table must hold: its source rows grouped by agency and
    local day, every figure counted (days with nothing counted left out)."""
    rows = (
        counter.source.objects.annotate(counter_day=TruncDate(counter.moment, tzinfo=local_zone()))
        .order_by()
        .values(counter.agency, "counter_day")
        .annotate(**{name: Count("pk", filter=f.where) for name, f in counter.figures.items()})
    )
    result = []
    for row in rows:
        day = row.pop("counter_day")
        agency_id = row.pop(counter.agency)
        if any(row.values()):
            fixed = {name: make(day) for name, make in counter.fixed.items()}
            result.append({"agency_id": agency_id, "day": day, **fixed, **row})
    return result


def differences() -> list[tuple[str, tuple[int, dt.date], dict, dict]]:
    """Every counter row that differs from a recount, as ``(table, (agency, day),
    stored, recounted)``; empty when the counters agree with their rows."""
    found = []
    for counter in COUNTERS:
        names = list(counter.figures)
        empty = dict.fromkeys(names, 0)
        have = {
            (r["agency_id"], r["day"]): {n: r[n] for n in names}
            for r in counter.table.objects.values("agency_id", "day", *names)
        }
        want = {(r["agency_id"], r["day"]): {n: r[n] for n in names} for r in recount(counter)}
        for key in sorted(set(have) | set(want)):
            if have.get(key, empty) != want.get(key, empty):
                found.append(
                    (counter.table._meta.db_table, key, have.get(key, empty), want.get(key, empty))
                )
    return found


@transaction.atomic
def rebuild(*, batch_size: int = 5000) -> int:
    """Recount every counter from its rows (after a bulk load, or to repair); returns
    the number of counter rows. On PostgreSQL the counter tables are locked first, in
    the order the flow writes them (forwardings, then inquiries), so rows written
    meanwhile wait and are then counted on top."""
    if connection.vendor == "postgresql":
        tables = ", ".join(
            connection.ops.quote_name(c.table._meta.db_table) for c in (FORWARDINGS, INQUIRIES)
        )
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
    written = 0
    for counter in COUNTERS:
        counter.table.objects.all().delete()
        rows = [counter.table(**row) for row in recount(counter)]
        counter.table.objects.bulk_create(rows, batch_size=batch_size)
        written += len(rows)
    return written
