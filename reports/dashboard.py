"""The regency dashboard of Diskominfo and the Pimpinan (issue 8): one row per agency.

Pure reads with the period and ``now`` given by the caller; a fixed number of
aggregate queries whatever the number of agencies. Every figure has one definition
used both to count it and to list the records behind it: the inquiry figures are the
conditions of :data:`INQUIRY_FIGURES` on :func:`inquiries_received`, the forwarding
figures those of :mod:`inquiries.board` — so a drill-down list always holds exactly
the number the dashboard shows.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import Agency
from accounts.selectors import Compliance, compliance_for
from inquiries import counts
from inquiries.board import Rate, on_time_rates
from inquiries.models import Inquiry
from publications.figures import audience_by_agency
from publications.models import Post, PostStatus

from .models import AnnualReport

# Each inquiry figure of a row (its Row field) → its condition on the inquiries received:
# the definitions of the stored daily counters the rows are summed from.
INQUIRY_FIGURES: dict[str, Q] = {
    "received": Q(),
    "answered_directly": counts.INQUIRIES.figures["answered_directly"].where,
    "forwarded": counts.INQUIRIES.figures["forwarded"].where,
}
# ?angka= of the inquiry drill-down (Indonesian, like every query parameter) → its figure.
FIGURE_PARAMS = {
    "diterima": "received",
    "dijawab-langsung": "answered_directly",
    "diteruskan": "forwarded",
}


def inquiries_received(
    *, start: dt.datetime, end: dt.datetime, agency_ids: list[int] | None = None
) -> QuerySet[Inquiry]:
    """Inquiries received on social media in ``[start, end)`` by the given agencies."""
    inquiries = Inquiry.objects.filter(received_at__gte=start, received_at__lt=end)
    if agency_ids is not None:
        inquiries = inquiries.filter(agency_id__in=agency_ids)
    return inquiries


@dataclass
class Row:
    agency: Agency
    compliance: Compliance
    received: int
    answered_directly: int
    forwarded: int
    rate: Rate
    audience: int
    posts_this_year: int
    report_status: str  # "" when the year's report is not started

    @property
    def on_time_percent(self) -> float | None:
        return self.rate.percent


@dataclass
class Dashboard:
    rows: list[Row]
    # (agency id, Monday of the week, kind) → inquiries received.
    weekly: dict[tuple[int, dt.date, str], int]


def dashboard_rows(
    *, start: dt.datetime, end: dt.datetime, now: dt.datetime, agencies: QuerySet[Agency]
) -> list[Row]:
    """The dashboard's rows for ``agencies`` (already scoped by the caller)."""
    return dashboard_data(start=start, end=end, now=now, agencies=agencies).rows


def dashboard_data(
    *,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    agencies: QuerySet[Agency],
) -> Dashboard:
    """The rows, and the weekly inquiries by kind of the chart, from one query of the
    stored daily counters (summed by agency, week and kind)."""
    agencies = list(agencies.order_by("name", "pk"))
    ids = [agency.pk for agency in agencies]
    today = timezone.localdate(now)
    compliance = compliance_for(ids, day=today)
    totals: dict[int, dict[str, int]] = {}
    weekly: dict[tuple[int, dt.date, str], int] = {}
    for row in counts.inquiries_per_week(start=start, end=end, agency_ids=ids):
        total = totals.setdefault(row["agency_id"], dict.fromkeys(INQUIRY_FIGURES, 0))
        for kind, column in counts.KIND_COLUMNS.items():
            total["received"] += row[column]
            weekly[(row["agency_id"], row["week"], kind)] = row[column]
        total["answered_directly"] += row["answered_directly"]
        total["forwarded"] += row["forwarded"]
    rates = on_time_rates(start=start, end=end, now=now, agency_ids=ids)
    audience = audience_by_agency(on=today, agency_ids=ids)
    year_start = dt.datetime(today.year, 1, 1, tzinfo=timezone.get_current_timezone())
    posts = dict(
        Post.objects.filter(
            agency_id__in=ids, status=PostStatus.PUBLISHED, published_at__gte=year_start
        )
        .order_by()
        .values("agency_id")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )
    report_year = timezone.localtime(start).year
    reports = dict(
        AnnualReport.objects.filter(agency_id__in=ids, year=report_year).values_list(
            "agency_id", "status"
        )
    )
    rows = []
    for agency in agencies:
        count = totals.get(agency.pk, {})
        rows.append(
            Row(
                agency=agency,
                compliance=compliance[agency.pk],
                received=count.get("received", 0),
                answered_directly=count.get("answered_directly", 0),
                forwarded=count.get("forwarded", 0),
                rate=rates.get(agency.pk) or Rate.empty(agency.pk),
                audience=audience.get(agency.pk, 0),
                posts_this_year=posts.get(agency.pk, 0),
                report_status=reports.get(agency.pk, ""),
            )
        )
    return Dashboard(rows=rows, weekly=weekly)


# ?urutan= → the sort key of a row (allow-listed); the default is by name.
ORDERINGS = {
    "nama": lambda row: row.agency.name.lower(),
    "patuh": lambda row: (row.compliance.ok, row.agency.name.lower()),
    "diterima": lambda row: -row.received,
    "langsung": lambda row: -row.answered_directly,
    "diteruskan": lambda row: -row.forwarded,
    "tepat-waktu": lambda row: -1 if row.rate.rate is None else row.rate.rate,
    "terlambat": lambda row: -row.rate.overdue_open,
    "khalayak": lambda row: -row.audience,
    "unggahan": lambda row: -row.posts_this_year,
    "laporan": lambda row: row.report_status or "~",
}


def totals(rows: list[Row]) -> dict[str, object]:
    received = sum(r.rate.total for r in rows)
    on_time = sum(r.rate.replied_on_time for r in rows)
    return {
        "agencies": len(rows),
        "compliant": sum(1 for r in rows if r.compliance.ok),
        "received": sum(r.received for r in rows),
        "answered_directly": sum(r.answered_directly for r in rows),
        "forwarded": sum(r.forwarded for r in rows),
        "forwardings_received": received,
        "replied_on_time": on_time,
        "on_time_percent": on_time / received * 100 if received else None,
        "overdue_open": sum(r.rate.overdue_open for r in rows),
        "audience": sum(r.audience for r in rows),
        "posts_this_year": sum(r.posts_this_year for r in rows),
    }
