"""The deadline board (Lampiran B angka 4): forwardings received, due soon or
overdue, and the share replied within 24 hours in a period.

Agency roles see their own agency; regency roles see every agency. The numbers
come from :mod:`inquiries.board`; the clock is read once per request.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.access import scope_for, visible_agencies
from accounts.models import Agency
from katingan_sosmed import clock

from .board import Rate, due_soon_and_overdue, on_time_rates
from .filters import BOX_FORWARDED
from .views import countdown

PERIODS = {"bulan": _("This month"), "kuartal": _("This quarter"), "tahun": _("This year")}
DEFAULT_PERIOD = "bulan"
LIST_LIMIT = 100

# ?urutan= → a sort key of a board row; anything else is the default (by name).
ORDERINGS = {
    "nama": (lambda row: row.agency.short_name.lower(), False),
    "total": (lambda row: row.rate.total, True),
    "tepat": (lambda row: row.rate.replied_on_time, True),
    "persentase": (lambda row: -1 if row.rate.rate is None else row.rate.rate, False),
    "terlambat": (lambda row: row.rate.overdue_open, True),
}
DEFAULT_ORDERING = "nama"


def period_bounds(period: str, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end)`` of this month, quarter or year in local time (WIB)."""
    local = timezone.localtime(now)
    if period == "tahun":
        start, end = dt.date(local.year, 1, 1), dt.date(local.year + 1, 1, 1)
    else:
        first_month = local.month if period == "bulan" else (local.month - 1) // 3 * 3 + 1
        months = 1 if period == "bulan" else 3
        start = dt.date(local.year, first_month, 1)
        year, month = divmod(first_month - 1 + months, 12)
        end = dt.date(local.year + year, month + 1, 1)
    return (
        timezone.make_aware(dt.datetime.combine(start, dt.time.min)),
        timezone.make_aware(dt.datetime.combine(end, dt.time.min)),
    )


@dataclass
class BoardRow:
    agency: Agency
    rate: Rate
    inbox_url: str
    overdue_url: str


def _inbox_url(**params: str) -> str:
    return f"{reverse('inquiries:inbox')}?{urlencode({'kotak': BOX_FORWARDED, **params})}"


@login_required
@require_GET
def deadline_board(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    scope = scope_for(request.user)
    period = request.GET.get("periode")
    if period not in PERIODS:
        period = DEFAULT_PERIOD
    ordering = request.GET.get("urutan", "")
    descending = ordering.startswith("-")
    if ordering.lstrip("-") not in ORDERINGS:
        ordering, descending = DEFAULT_ORDERING, False
    start, end = period_bounds(period, now)

    rows: list[BoardRow] = []
    own_rate: Rate | None = None
    forwardings = []
    if scope.all_agencies:
        rates = on_time_rates(start=start, end=end, now=now)
        for agency in visible_agencies(request.user).order_by("short_name", "pk"):
            rate = rates.get(agency.pk) or Rate(agency.pk, 0, 0, 0, 0)
            rows.append(
                BoardRow(
                    agency=agency,
                    rate=rate,
                    inbox_url=_inbox_url(instansi=agency.slug),
                    overdue_url=_inbox_url(instansi=agency.slug, terlambat="ya"),
                )
            )
        key, reverse_default = ORDERINGS[ordering.lstrip("-")]
        rows.sort(key=lambda row: row.agency.short_name.lower())
        rows.sort(key=key, reverse=reverse_default != descending)
        forwardings = list(due_soon_and_overdue(now=now)[:LIST_LIMIT])
    elif not scope.sees_nothing:
        own_rate = on_time_rates(start=start, end=end, now=now, agency_ids=[scope.agency_id]).get(
            scope.agency_id
        ) or Rate(scope.agency_id, 0, 0, 0, 0)
        forwardings = list(due_soon_and_overdue(agency_id=scope.agency_id, now=now)[:LIST_LIMIT])
    for forwarding in forwardings:
        forwarding.countdown = countdown(forwarding.due_at, now)
    return render(
        request,
        "inquiries/deadline_board.html",
        {
            "scope": scope,
            "periods": PERIODS,
            "period": period,
            "period_label": PERIODS[period],
            "start": start,
            "end": end - dt.timedelta(days=1),
            "rows": rows,
            "own_rate": own_rate,
            "own_inbox_url": _inbox_url(),
            "own_overdue_url": _inbox_url(terlambat="ya"),
            "forwardings": forwardings,
            "list_limit": LIST_LIMIT,
            "can_record": scope.can_write,
            "ordering": ("-" if descending else "") + ordering.lstrip("-"),
        },
    )
