"""The deadline board (Lampiran B angka 4): forwardings received, due soon or
overdue, and the share replied within 24 hours in a period; and the list of the
forwardings behind each of its figures.

Agency roles see their own agency; regency roles see every agency. The numbers and
the lists come from :mod:`inquiries.board`; the clock is read once per request.
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
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from accounts.access import get_for_user, scope_for, visible_agencies
from accounts.models import Agency
from accounts.viewkit import paginate
from katingan_sosmed import clock
from notifications.models import EmailStatus, Notification

from .board import (
    FIGURES,
    DeadlineState,
    Rate,
    due_soon_and_overdue,
    figure_forwardings,
    on_time_rates,
)
from .display import countdown
from .services import may_change_deadline_calendar

PERIODS = {"bulan": _("This month"), "kuartal": _("This quarter"), "tahun": _("This year")}
DEFAULT_PERIOD = "bulan"
LIST_LIMIT = 100
PAGE_SIZE = 25

# ?angka= → the figure of the board a list shows; anything else is the total.
FIGURE_LABELS = {
    "total": _("Forwardings received"),
    # "Replied" alone is "Ditanggapi" elsewhere; beside "Dibalas tepat waktu" it needs its own.
    "replied": pgettext_lazy("deadline board figure", "Replied"),
    "replied_on_time": _("Replied on time"),
    "replied_late": _("Replied late"),
    "overdue_open": _("Overdue now"),
}
DEFAULT_FIGURE = "total"

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


def _period(request: HttpRequest) -> str:
    period = request.GET.get("periode")
    return period if period in PERIODS else DEFAULT_PERIOD


def figure_urls(period: str, agency: Agency | None = None) -> dict[str, str]:
    """The list behind each figure of the board, for ``agency`` (None: the user's
    own agency for agency roles, every agency for regency roles)."""
    base = {"periode": period, **({"instansi": agency.slug} if agency else {})}
    return {
        figure: f"{reverse('inquiries:deadline_list')}?{urlencode({**base, 'angka': figure})}"
        for figure in FIGURES
    }


@dataclass
class BoardRow:
    agency: Agency
    rate: Rate
    urls: dict[str, str]


@login_required
@require_GET
def deadline_board(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    scope = scope_for(request.user)
    period = _period(request)
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
            rate = rates.get(agency.pk) or Rate.empty(agency.pk)
            rows.append(BoardRow(agency=agency, rate=rate, urls=figure_urls(period, agency)))
        key, reverse_default = ORDERINGS[ordering.lstrip("-")]
        rows.sort(key=lambda row: row.agency.short_name.lower())
        rows.sort(key=key, reverse=reverse_default != descending)
        forwardings = list(due_soon_and_overdue(now=now)[:LIST_LIMIT])
    elif not scope.sees_nothing:
        own_rate = on_time_rates(start=start, end=end, now=now, agency_ids=[scope.agency_id]).get(
            scope.agency_id
        ) or Rate.empty(scope.agency_id)
        forwardings = list(due_soon_and_overdue(agency_id=scope.agency_id, now=now)[:LIST_LIMIT])
    for forwarding in forwardings:
        forwarding.countdown = countdown(forwarding.due_at, now)
    failed_emails = None
    failed_emails_url = ""
    if scope.all_agencies:
        failed_emails = Notification.objects.filter(email_status=EmailStatus.FAILED).count()
        if request.user.is_staff and request.user.has_perm("notifications.view_notification"):
            failed_emails_url = (
                f"{reverse('admin:notifications_notification_changelist')}"
                f"?{urlencode({'email_status__exact': EmailStatus.FAILED})}"
            )
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
            "own_urls": figure_urls(period),
            "forwardings": forwardings,
            "list_limit": LIST_LIMIT,
            "can_record": scope.can_write,
            "ordering": ("-" if descending else "") + ordering.lstrip("-"),
            "may_change_calendar": may_change_deadline_calendar(request.user),
            "failed_emails": failed_emails,
            "failed_emails_url": failed_emails_url,
        },
    )


@login_required
@require_GET
def deadline_list(request: HttpRequest) -> HttpResponse:
    """The forwardings behind one figure of the board: ``?angka=`` (the figure),
    ``?periode=`` and, for regency roles, ``?instansi=`` (an agency's slug). An
    agency outside the user's scope does not exist (404); agency roles always see
    their own agency."""
    now = clock.now()
    scope = scope_for(request.user)
    period = _period(request)
    figure = request.GET.get("angka")
    if figure not in FIGURE_LABELS:
        figure = DEFAULT_FIGURE
    start, end = period_bounds(period, now)

    agency: Agency | None = None
    slug = request.GET.get("instansi")
    if slug:
        agency = get_for_user(Agency.objects.all(), request.user, agency_lookup="pk", slug=slug)
    elif not scope.all_agencies and scope.agency_id is not None:
        agency = visible_agencies(request.user).filter(pk=scope.agency_id).first()

    if agency is not None:
        agency_ids: list[int] | None = [agency.pk]
    else:
        agency_ids = None if scope.all_agencies else []
    forwardings = figure_forwardings(
        figure=figure, start=start, end=end, now=now, agency_ids=agency_ids
    )
    page = paginate(request, forwardings, PAGE_SIZE)
    for forwarding in page:
        forwarding.state = DeadlineState(forwarding.deadline_state)
        if forwarding.state in (DeadlineState.OPEN, DeadlineState.OVERDUE):
            forwarding.countdown = countdown(forwarding.due_at, now)
    return render(
        request,
        "inquiries/deadline_list.html",
        {
            "scope": scope,
            "figures": FIGURE_LABELS,
            "figure": figure,
            "figure_label": FIGURE_LABELS[figure],
            "agency": agency,
            "period": period,
            "period_label": PERIODS[period],
            "start": start,
            "end": end - dt.timedelta(days=1),
            "page": page,
            "board_url": f"{reverse('inquiries:deadline_board')}?{urlencode({'periode': period})}",
            "can_record": scope.can_write,
        },
    )
