"""Time series of the dashboard's charts (issue 8), each one aggregate query.

* inquiries received per week, by kind (from :func:`reports.dashboard.dashboard_data`,
  which counts the rows in the same scan);
* forwardings still overdue at the end of each week (open, or replied only later);
* the on-time rate of the replies per month, per agency;
* audience per platform at the start and the end of the period.
"""

import datetime as dt

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import Platform
from inquiries.board import board_forwardings
from inquiries.models import ForwardingStatus
from katingan_sosmed.clock import local_midnight
from publications.figures import latest_snapshots

MAX_WEEKS = 53


def week_starts(start: dt.datetime, end: dt.datetime) -> list[dt.date]:
    """The Mondays of the weeks that overlap ``[start, end)``."""
    first = timezone.localdate(start)
    first -= dt.timedelta(days=first.weekday())
    last = timezone.localdate(end - dt.timedelta(microseconds=1))
    weeks = []
    while first <= last and len(weeks) < MAX_WEEKS:
        weeks.append(first)
        first += dt.timedelta(days=7)
    return weeks


def overdue_per_week(start, end, now, agency_ids) -> tuple[list[dt.date], list[int]]:
    """At the end of each week (or now, for the current one), how many forwardings of
    the period were past their deadline without a reply."""
    weeks = week_starts(start, end)
    moments = [min(local_midnight(week + dt.timedelta(days=7)), now) for week in weeks]
    # Only a forwarding replied late or not at all can be overdue at some moment: the
    # rest is left out before counting (same result, far fewer rows).
    forwardings = (
        board_forwardings(start=start, end=end, agency_ids=agency_ids)
        .exclude(status=ForwardingStatus.REROUTED)
        .filter(Q(replied_at__isnull=True) | Q(replied_at__gt=F("due_at")))
    )
    # A forwarding is overdue at moment k when due before it and not replied by it:
    # due_bucket <= k < reply_bucket, with due_bucket the first k with due_at < moment
    # k and reply_bucket the first k with replied_at <= moment k (len(moments) when
    # none, or never replied). Each bucket is a binary search in SQL (about six
    # comparisons a row), grouped; the per-week counts are summed here.
    grouped = (
        forwardings.annotate(
            due_bucket=_first_index("due_at", "lt", moments),
            reply_bucket=Case(
                When(replied_at__isnull=True, then=Value(len(moments))),
                default=_first_index("replied_at", "lte", moments),
            ),
        )
        .order_by()
        .values("due_bucket", "reply_bucket")
        .annotate(n=Count("pk"))
    )
    overdue = [0] * len(moments)
    for row in grouped:
        for k in range(row["due_bucket"], min(row["reply_bucket"], len(moments))):
            overdue[k] += row["n"]
    return weeks, overdue


def _first_index(field: str, lookup: str, moments: list[dt.datetime], lo: int = 0, hi=None):
    """An SQL expression for the first index k of the (non-decreasing) ``moments``
    with ``field <lookup> moments[k]``, or ``len(moments)``: a nested CASE that
    halves the range at each step."""
    if hi is None:
        hi = len(moments)
    if lo == hi:
        return Value(lo)
    mid = (lo + hi) // 2
    return Case(
        When(
            **{f"{field}__{lookup}": moments[mid]},
            then=_first_index(field, lookup, moments, lo, mid),
        ),
        default=_first_index(field, lookup, moments, mid + 1, hi),
        output_field=IntegerField(),
    )


def on_time_per_month(start, end, now, agency_ids) -> dict[int, dict[dt.date, float | None]]:
    """Per receiving agency and month: replied on time / received."""
    rows = (
        board_forwardings(start=start, end=end, agency_ids=agency_ids)
        .annotate(month=TruncMonth("forwarded_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("to_agency_id", "month")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=Q(replied_at__lte=F("due_at"))))
    )
    result: dict[int, dict[dt.date, float | None]] = {}
    for row in rows:
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        result.setdefault(row["to_agency_id"], {})[month] = (
            row["on_time"] / row["total"] if row["total"] else None
        )
    return result


def audience_per_platform(start, end, agency_ids) -> list[tuple[str, int, int]]:
    """(platform, audience at the start, audience at the end) of the period."""
    labels = dict(Platform.choices)
    first = timezone.localdate(start) - dt.timedelta(days=1)
    last = timezone.localdate(end - dt.timedelta(microseconds=1))

    def per_platform(day):
        return dict(
            latest_snapshots(day, agency_ids)
            .order_by()
            .values("account__platform")
            .annotate(total=Sum("followers"))
            .values_list("account__platform", "total")
        )

    before, after = per_platform(first), per_platform(last)
    return [
        (str(labels.get(key, key)), before.get(key, 0), after.get(key, 0))
        for key in sorted(set(before) | set(after), key=lambda k: -after.get(k, 0))
    ]
