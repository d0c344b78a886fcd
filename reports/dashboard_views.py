"""The regency dashboard (Diskominfo) and the Pimpinan view (the Bupati's office).

Both read the same rows (:mod:`reports.dashboard`) for the month, quarter or year, for
the regency roles only (403 for agency roles: they have their own board). Every figure
links to the list of the records behind it, with the same definition.
"""

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import get_for_user, visible_agencies
from accounts.models import Agency, AgencyKind
from accounts.roles import REGENCY_ROLES
from accounts.viewkit import paginate
from inquiries.board_views import PERIODS, period_bounds
from inquiries.models import InquiryKind
from katingan_sosmed import clock

from . import charts, tables, trends
from .dashboard import (
    FIGURE_PARAMS,
    INQUIRY_FIGURES,
    ORDERINGS,
    dashboard_data,
    inquiries_received,
    totals,
)
from .models import ReportFile, ReportFileKind, ReportFileStatus, ReportStatus

DEFAULT_PERIOD = "bulan"


def _require_regency(request: HttpRequest) -> None:
    if not request.user.roles & REGENCY_ROLES:
        raise PermissionDenied


def _period(request: HttpRequest) -> str:
    period = request.GET.get("periode")
    return period if period in PERIODS else DEFAULT_PERIOD


def _filtered_rows(request: HttpRequest, now: dt.datetime):
    period = _period(request)
    start, end = period_bounds(period, now)
    agencies = visible_agencies(request.user).filter(is_active=True)
    kind = request.GET.get("jenis")
    if kind in AgencyKind.values:
        agencies = agencies.filter(kind=kind)
    data = dashboard_data(start=start, end=end, now=now, agencies=agencies)
    rows = data.rows
    compliance = request.GET.get("kepatuhan")
    if compliance in ("patuh", "belum"):
        rows = [row for row in rows if row.compliance.ok == (compliance == "patuh")]
    ordering = request.GET.get("urutan")
    if ordering in ORDERINGS:
        rows.sort(key=ORDERINGS[ordering])
    return period, start, end, rows, data.weekly


def _links(period: str, row) -> dict[str, str]:
    slug = row.agency.slug
    inquiry = reverse("reports:dashboard_inquiries")
    board = reverse("inquiries:deadline_list")
    return {
        **{
            name: f"{inquiry}?{urlencode({'periode': period, 'instansi': slug, 'angka': key})}"
            for key, name in FIGURE_PARAMS.items()
        },
        **{
            key: f"{board}?{urlencode({'periode': period, 'instansi': slug, 'angka': key})}"
            for key in ("total", "replied_on_time", "overdue_open")
        },
        "agency": reverse("accounts:agency_detail", args=[slug]),
    }


def _charts(start, end, now, rows, weekly) -> dict:
    ids = [row.agency.pk for row in rows]
    weeks = trends.week_starts(start, end)
    # The weekly counts of the agencies shown (after every filter of the rows).
    shown = set(ids)
    per_week: dict[tuple[dt.date, str], int] = {}
    for (agency_id, week, kind), received in weekly.items():
        if agency_id in shown:
            per_week[(week, kind)] = per_week.get((week, kind), 0) + received
    per_kind = {
        kind: [per_week.get((week, kind), 0) for week in weeks] for kind in InquiryKind.values
    }
    week_labels = [date_format(week, "j M") for week in weeks]
    # A year has 53 weeks: label every few so the labels stay readable.
    step = max(1, len(weeks) // 13)
    axis_labels = [label if i % step == 0 else "" for i, label in enumerate(week_labels)]
    _weeks, overdue = trends.overdue_per_week(start, end, now, ids)
    platforms = trends.audience_per_platform(start, end, ids)
    rated = [row for row in rows if row.rate.total]
    return {
        "week_labels": week_labels,
        "inquiries": charts.stacked_bars(
            title=_("Inquiries received per week, by kind"),
            categories=axis_labels,
            series=[(str(label), per_kind[value]) for value, label in InquiryKind.choices],
        ),
        "inquiries_table": [
            (label, [per_kind[kind][i] for kind in InquiryKind.values])
            for i, label in enumerate(week_labels)
        ],
        "kinds": [str(label) for label in InquiryKind.labels],
        "overdue": charts.stacked_bars(
            title=_("Forwardings overdue at the end of each week"),
            categories=axis_labels,
            series=[(str(_("Overdue")), overdue)],
        ),
        "overdue_table": list(zip(week_labels, overdue, strict=True)),
        "on_time": charts.horizontal_bars(
            title=_("Replied within 24 hours, per agency"),
            rows=[(row.agency.short_name, row.rate.rate) for row in rated],
            value_format=charts.percent,
            axis_max=1,
        ),
        "on_time_table": [(row.agency.short_name, row.rate.rate) for row in rated],
        "audience": charts.horizontal_bars(
            title=_("Audience per platform at the end of the period"),
            rows=[(label, after) for label, _before, after in platforms],
        ),
        "audience_table": platforms,
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_regency(request)
    now = clock.now()
    period, start, end, rows, weekly = _filtered_rows(request, now)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return _export(rows, period, fmt)
    for row in rows:
        row.links = _links(period, row)
    return render(
        request,
        "reports/dashboard.html",
        {
            "rows": rows,
            "totals": totals(rows),
            "period": period,
            "periods": PERIODS,
            "period_label": _period_label(start, end),
            "kinds": AgencyKind.choices,
            "statuses": dict(ReportStatus.choices),
            "orderings": ORDERINGS,
            "charts": _charts(start, end, now, rows, weekly),
            "report_year": timezone.localtime(start).year,
        },
    )


def _period_label(start, end) -> str:
    last = timezone.localdate(end) - dt.timedelta(days=1)
    return f"{date_format(timezone.localdate(start), 'j F Y')} – {date_format(last, 'j F Y')}"


def _export(rows, period: str, fmt: str) -> HttpResponse:
    header, body = dashboard_table(rows)
    return tables.response(f"dasbor-{period}", fmt, header, body)


def dashboard_table(rows) -> tables.Table:
    """Exactly the columns and rows the dashboard shows."""
    statuses = dict(ReportStatus.choices)
    header = [
        _("Agency"),
        _("Compliant"),
        _("Inquiries received"),
        _("Answered directly"),
        _("Forwarded"),
        _("Forwardings received"),
        _("Replied within 24 hours"),
        _("Rate replied within 24 hours (%)"),
        _("Overdue now"),
        _("Audience"),
        _("Posts this year"),
        _("Annual report"),
    ]
    body = [
        [
            row.agency.name,
            _("yes") if row.compliance.ok else _("no"),
            row.received,
            row.answered_directly,
            row.forwarded,
            row.rate.total,
            row.rate.replied_on_time,
            "" if row.rate.rate is None else round(row.rate.rate * 100, 1),
            row.rate.overdue_open,
            row.audience,
            row.posts_this_year,
            str(statuses.get(row.report_status, _("Not started"))),
        ]
        for row in rows
    ]
    return header, body


@login_required
@require_GET
def dashboard_inquiries(request: HttpRequest) -> HttpResponse:
    """The inquiries behind one inquiry figure of the dashboard (``?angka=``)."""
    _require_regency(request)
    now = clock.now()
    period = _period(request)
    figure = request.GET.get("angka")
    if figure not in FIGURE_PARAMS:
        raise Http404
    start, end = period_bounds(period, now)
    agency = None
    slug = request.GET.get("instansi")
    agencies = visible_agencies(request.user)
    if slug:
        agency = get_for_user(Agency.objects.all(), request.user, agency_lookup="pk", slug=slug)
    ids = [agency.pk] if agency else list(agencies.values_list("pk", flat=True))
    inquiries = (
        inquiries_received(start=start, end=end, agency_ids=ids)
        .filter(INQUIRY_FIGURES[FIGURE_PARAMS[figure]])
        .select_related("agency", "channel")
        .order_by("-received_at", "-pk")
    )
    labels = {
        "diterima": _("Inquiries received"),
        "dijawab-langsung": _("Answered directly"),
        "diteruskan": _("Forwarded"),
    }
    return render(
        request,
        "reports/dashboard_inquiries.html",
        {
            "page": paginate(request, inquiries),
            "figure_label": labels[figure],
            "agency": agency,
            "period_label": _period_label(start, end),
            "back": f"{reverse('reports:dashboard')}?{urlencode({'periode': period})}",
        },
    )


@login_required
@require_GET
def pimpinan(request: HttpRequest) -> HttpResponse:
    """The Bupati's office: the same figures, read-only; who is overdue or not compliant;
    the regency report PDFs."""
    _require_regency(request)
    now = clock.now()
    period, start, end, rows, weekly = _filtered_rows(request, now)
    for row in rows:
        row.links = _links(period, row)
    attention = [row for row in rows if not row.compliance.ok or row.rate.overdue_open]
    for row in attention:
        row.unmet = [item.label for item in row.compliance.items if not item.ok]
    files = ReportFile.objects.filter(
        kind=ReportFileKind.REGENCY, status=ReportFileStatus.DONE
    ).order_by("-year", "-finished_at")[:5]
    return render(
        request,
        "reports/pimpinan.html",
        {
            "rows": rows,
            "totals": totals(rows),
            "attention": attention,
            "period": period,
            "periods": PERIODS,
            "period_label": _period_label(start, end),
            "files": files,
            "statuses": dict(ReportStatus.choices),
            "charts": _charts(start, end, now, rows, weekly),
            "report_year": timezone.localtime(start).year,
        },
    )
