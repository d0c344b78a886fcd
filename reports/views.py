"""Pages of the annual report (Pasal 15) and its evaluation (Pasal 16).

Reads go through :mod:`accounts.access`: an agency's officers see their agency's
reports, Diskominfo and the Pimpinan every agency's. The agency's own steps (write,
submit) need write access to the agency (403 for a read-only role); the evaluation's
steps need the evaluator role (403 otherwise). Each step calls one service.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import get_for_user, scope_for, scoped
from accounts.roles import APPROVER_ROLES, EVALUATOR_ROLES, REGENCY_ROLES
from accounts.viewkit import (
    agency_for_create,
    choose_agency,
    paginate,
    stored_file_response,
    style_form,
)
from katingan_sosmed import clock

from . import services, tables
from .compile import report_figures
from .files import request_file
from .forms import EvaluationForm, NarrativeForm, NoteForm, ReportCreateForm, default_year
from .models import (
    FACILITIES,
    SECTIONS,
    AnnualReport,
    Evaluation,
    ReportFile,
    ReportFileKind,
    ReportFileStatus,
    ReportStatus,
)
from .regency import compile_regency

S = ReportStatus


def _reports(user):
    return scoped(AnnualReport.objects.select_related("agency", "submitted_by"), user)


def _report_for(request: HttpRequest, pk: int, *, write: bool = False) -> AnnualReport:
    return get_for_user(_reports(request.user), request.user, write=write, pk=pk)


def _is_evaluator(user) -> bool:
    return bool(user.roles & EVALUATOR_ROLES)


def _require_evaluator(request: HttpRequest) -> None:
    if not _is_evaluator(request.user):
        raise PermissionDenied


def figures_of(report: AnnualReport) -> dict:
    """The frozen figures of a submitted report, or the live ones of a draft."""
    return report_figures(report, now=clock.now())


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    reports = _reports(request.user).order_by("-year", "agency__name", "pk")
    year, status = request.GET.get("tahun", ""), request.GET.get("status", "")
    if year.isdigit():
        reports = reports.filter(year=int(year))
    if status in S.values:
        reports = reports.filter(status=status)
    scope = scope_for(request.user)
    today = timezone.localdate(clock.now())
    return render(
        request,
        "reports/report_list.html",
        {
            "page": paginate(request, reports),
            "statuses": S.choices,
            "year": year,
            "status": status,
            "can_create": scope.can_write,
            "regency_reader": bool(request.user.roles & REGENCY_ROLES),
            "create_form": ReportCreateForm(initial={"year": default_year(today)}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    agency = agency_for_create(request)
    if agency is None:
        return choose_agency(request, title=_("New annual report"))
    form = ReportCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                agency=agency, year=form.cleaned_data["year"], by=request.user, now=clock.now()
            )
        except services.ReportError as error:
            messages.error(request, str(error))
            return redirect("reports:report_list")
        messages.success(request, _("The report was started; write its narrative."))
        return redirect("reports:report_edit", report.pk)
    return redirect("reports:report_list")


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    user = request.user
    may_write = scope_for(user).may_write_agency(report.agency_id)
    evaluator = _is_evaluator(user)
    previous = (
        Evaluation.objects.filter(
            report__agency_id=report.agency_id,
            report__year=report.year - 1,
            completed_at__isnull=False,
        )
        .select_related("report")
        .first()
    )
    evaluation = Evaluation.objects.filter(report=report).first()
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "f": figures_of(report),
            "frozen": bool(report.snapshot) and not report.is_editable,
            "sections": SECTIONS,
            "facilities": [
                (label, report.facilities.get(key)) for key, label in FACILITIES.items()
            ],
            "previous": previous,
            "evaluation": evaluation,
            "evaluation_rows": _evaluation_rows(evaluation),
            "events": report.events.select_related("actor"),
            "tables": tables.TABLES,
            "can_edit": may_write and report.is_editable,
            "can_submit": may_write and report.is_editable and bool(user.roles & APPROVER_ROLES),
            "can_start": evaluator and report.status == S.SUBMITTED,
            "can_return": evaluator and report.status in (S.SUBMITTED, S.UNDER_EVALUATION),
            "can_evaluate": evaluator and report.status == S.UNDER_EVALUATION,
            "can_send": evaluator and report.status == S.EVALUATED,
            "note_form": style_form(NoteForm()),
            "file": _latest_file(report),
            "status_url": reverse("reports:file_status", args=[report.pk]),
            "last_return": report.events.filter(action="return").order_by("-at", "-pk").first()
            if report.status == S.RETURNED
            else None,
        },
    )


def _evaluation_rows(evaluation: Evaluation | None) -> list[dict]:
    if evaluation is None:
        return []
    return [
        {"letter": letter, "label": label, **(evaluation.sections.get(letter) or {})}
        for letter, label in SECTIONS.items()
        if (evaluation.sections.get(letter) or {}).get("findings")
        or (evaluation.sections.get(letter) or {}).get("recommendations")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk, write=True)
    initial = {
        "version": report.version,
        "policy_overview": report.policy_overview,
        "constraints_external": report.constraints_external,
        "constraints_internal": report.constraints_internal,
        "recommendations_text": report.recommendations_text,
        **{f"facility_{key}": report.facilities.get(key, False) for key in FACILITIES},
    }
    form = NarrativeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_edit(
                report=report,
                by=request.user,
                now=clock.now(),
                expected_version=data["version"],
                policy_overview=data["policy_overview"],
                constraints_external=data["constraints_external"],
                constraints_internal=data["constraints_internal"],
                recommendations_text=data["recommendations_text"],
                facilities=form.facilities(),
            )
        except services.ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The report was saved."))
            return redirect("reports:report_detail", report.pk)
    return render(
        request,
        "accounts/registry_form.html",
        {
            "form": style_form(form),
            "agency": report.agency,
            "title": _("Annual report %(year)s: narrative") % {"year": report.year},
            "legal_note": _("Legal basis: Pasal 14, Pasal 15 ayat (3) huruf a, g, h"),
            "intro": _(
                "The figures of sections b–f are computed by the portal; write here what only "
                "the agency can say."
            ),
            "cancel_url": reverse("reports:report_detail", args=[report.pk]),
        },
    )


def _step(request: HttpRequest, report: AnnualReport, run, success: str) -> HttpResponse:
    try:
        run()
    except services.ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("reports:report_detail", report.pk)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk, write=True)
    return _step(
        request,
        report,
        lambda: services.report_submit(report=report, by=request.user, now=clock.now()),
        _("The report was submitted to the Bupati through Diskominfo; its figures are frozen."),
    )


@login_required
@require_POST
def evaluation_start(request: HttpRequest, pk: int) -> HttpResponse:
    _require_evaluator(request)
    report = _report_for(request, pk)
    return _step(
        request,
        report,
        lambda: services.evaluation_start(report=report, by=request.user, now=clock.now()),
        _("The evaluation has started."),
    )


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    _require_evaluator(request)
    report = _report_for(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _step(
        request,
        report,
        lambda: services.report_return(report=report, by=request.user, note=note, now=clock.now()),
        _("The report was returned to the agency for revision."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_evaluator(request)
    report = _report_for(request, pk)
    if report.status != S.UNDER_EVALUATION:
        raise Http404
    evaluation = Evaluation.objects.get(report=report)
    initial = {"conclusion": evaluation.conclusion}
    for letter, values in evaluation.sections.items():
        for key in ("findings", "recommendations", "score"):
            initial[f"{letter}_{key}"] = values.get(key)
    form = EvaluationForm(request.POST or None, initial=initial, scoring=settings.REPORT_SCORING)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_save(
                report=report,
                by=request.user,
                now=clock.now(),
                sections=form.sections(),
                conclusion=form.cleaned_data["conclusion"],
            )
            if request.POST.get("finish") == "yes":
                services.report_evaluated(report=report, by=request.user, now=clock.now())
        except services.ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The evaluation was saved."))
            return redirect("reports:report_detail", report.pk)
    return render(
        request,
        "reports/evaluation_form.html",
        {"form": style_form(form), "report": report, "f": figures_of(report)},
    )


@login_required
@require_POST
def report_send(request: HttpRequest, pk: int) -> HttpResponse:
    _require_evaluator(request)
    report = _report_for(request, pk)
    return _step(
        request,
        report,
        lambda: services.report_send(report=report, by=request.user, now=clock.now()),
        _("The report was sent to the Bupati."),
    )


@login_required
@require_GET
def table_export(request: HttpRequest, pk: int, name: str, fmt: str) -> HttpResponse:
    report = _report_for(request, pk)
    if name not in tables.TABLES or fmt not in ("csv", "xlsx"):
        raise Http404
    header, rows = tables.table(name, figures_of(report))
    return tables.response(f"laporan-{report.agency.slug}-{report.year}-{name}", fmt, header, rows)


# --- PDF files --------------------------------------------------------------------------


def _latest_file(report: AnnualReport) -> ReportFile | None:
    return (
        ReportFile.objects.filter(
            kind=ReportFileKind.ANNUAL, report=report, report_version=report.version
        )
        .order_by("-requested_at", "-pk")
        .first()
    )


def _regency_file(year: int) -> ReportFile | None:
    return (
        ReportFile.objects.filter(kind=ReportFileKind.REGENCY, year=year)
        .order_by("-requested_at", "-pk")
        .first()
    )


def _require_regency_reader(request: HttpRequest) -> None:
    if not request.user.roles & REGENCY_ROLES:
        raise PermissionDenied


@login_required
@require_POST
def file_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the report's PDF; a Celery task builds it and the page shows its progress."""
    report = _report_for(request, pk)
    request_file(report=report, kind=ReportFileKind.ANNUAL, by=request.user, now=clock.now())
    return redirect(reverse("reports:report_detail", args=[report.pk]) + "#berkas")


@login_required
@require_GET
def file_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The file panel alone, polled by htmx every 2 s until the file is ready."""
    report = _report_for(request, pk)
    return render(
        request,
        "reports/_partials.html#file_panel",
        {"report": report, "file": _latest_file(report), "status_url": request.path},
    )


@login_required
@require_GET
def file_download(request: HttpRequest, file_pk: int) -> HttpResponse:
    report_file = (
        ReportFile.objects.filter(pk=file_pk, status=ReportFileStatus.DONE)
        .select_related("report__agency")
        .first()
    )
    if report_file is None:
        raise Http404
    if report_file.kind == ReportFileKind.ANNUAL:
        _report_for(request, report_file.report_id)  # 404 outside the user's scope
    elif not request.user.roles & REGENCY_ROLES:
        raise Http404
    return stored_file_response(report_file.document, report_file.document.name.rsplit("/", 1)[-1])


# --- The regency report for the Bupati ----------------------------------------------------


def _regency_year(request: HttpRequest) -> int:
    today = timezone.localdate(clock.now())
    value = request.GET.get("tahun") or request.POST.get("tahun") or ""
    return int(value) if value.isdigit() and 2022 <= int(value) <= today.year else today.year


@login_required
@require_GET
def regency(request: HttpRequest) -> HttpResponse:
    """Every agency's report status, on-time rate, audience and activity for one year."""
    _require_regency_reader(request)
    year = _regency_year(request)
    figures = compile_regency(year, now=clock.now())
    return render(
        request,
        "reports/regency.html",
        {
            "year": year,
            "f": figures,
            "statuses": dict(S.choices),
            "file": _regency_file(year),
            "status_url": reverse("reports:regency_file_status") + f"?tahun={year}",
        },
    )


@login_required
@require_POST
def regency_file_request(request: HttpRequest) -> HttpResponse:
    _require_regency_reader(request)
    year = _regency_year(request)
    request_file(year=year, kind=ReportFileKind.REGENCY, by=request.user, now=clock.now())
    return redirect(reverse("reports:regency") + f"?tahun={year}#berkas")


@login_required
@require_GET
def regency_file_status(request: HttpRequest) -> HttpResponse:
    _require_regency_reader(request)
    year = _regency_year(request)
    return render(
        request,
        "reports/_partials.html#file_panel",
        {"year": year, "file": _regency_file(year), "status_url": request.get_full_path()},
    )


@login_required
@require_GET
def regency_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _require_regency_reader(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    year = _regency_year(request)
    header, rows = tables.regency_table(compile_regency(year, now=clock.now()), dict(S.choices))
    return tables.response(f"laporan-kabupaten-{year}", fmt, header, rows)
