"""The regency's summary of a year: one row per active agency, and the regency totals.

A fixed number of queries whatever the number of agencies: the agencies, their
reports, and one aggregate each from :mod:`publications.figures`,
:mod:`inquiries.figures` and :mod:`inquiries.board`, all called for every agency
(``agency_ids=None``) and then matched to the rows.
"""

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from accounts.models import Agency
from inquiries.board import on_time_rates
from inquiries.figures import received_in
from publications import figures as post_figures

from .compile import year_bounds
from .models import AnnualReport


def audience_day(year: int, *, now: dt.datetime) -> dt.date:
    """31 December of ``year``, or today while the year is still running."""
    today = timezone.localdate(now)
    return today if today.year == year else dt.date(year, 12, 31)


def compile_regency(year: int, *, now: dt.datetime) -> dict:
    start, end = year_bounds(year)
    on = audience_day(year, now=now)
    agencies = list(Agency.objects.filter(is_active=True).order_by("name", "pk"))
    reports = dict(
        AnnualReport.objects.filter(year=year, agency__is_active=True).values_list(
            "agency_id", "status"
        )
    )
    engagement = post_figures.engagement(start=start, end=end, agency_ids=None)
    inquiries = dict(
        received_in(dt.date(year, 1, 1), dt.date(year + 1, 1, 1), None)
        .order_by()
        .values("agency_id")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )
    rates = on_time_rates(start=start, end=end, now=now, agency_ids=None)
    audience = post_figures.audience_by_agency(on=on, agency_ids=None)
    rows = []
    for agency in agencies:
        rate = rates.get(agency.pk)
        rows.append(
            {
                "id": agency.pk,
                "name": agency.name,
                "short_name": agency.short_name,
                "slug": agency.slug,
                "status": reports.get(agency.pk, ""),
                "posts": engagement[agency.pk].posts if agency.pk in engagement else 0,
                "inquiries": inquiries.get(agency.pk, 0),
                "forwardings_received": rate.total if rate else 0,
                "replied_on_time": rate.replied_on_time if rate else 0,
                "on_time_rate": rate.rate if rate else None,
                "audience": audience.get(agency.pk, 0),
            }
        )
    received = sum(row["forwardings_received"] for row in rows)
    on_time = sum(row["replied_on_time"] for row in rows)
    return {
        "year": year,
        "audience_on": on,
        "rows": rows,
        "totals": {
            "agencies": len(rows),
            "reports_started": sum(1 for row in rows if row["status"]),
            "posts": sum(row["posts"] for row in rows),
            "inquiries": sum(row["inquiries"] for row in rows),
            "forwardings_received": received,
            "replied_on_time": on_time,
            "on_time_rate": on_time / received if received else None,
            "audience": sum(row["audience"] for row in rows),
        },
    }
