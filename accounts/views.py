"""Pages of the accounts app: the home page and the registry of Pasal 8-9 and 11.

Every view reads through :mod:`accounts.access`: an object outside the user's scope
is a 404, a write by a read-only role a 403. A view that writes parses a form, calls
one service, turns a refusal into a message and redirects; state changes are
POST-only. The agency of a new record comes from the user's scope (or, for an
administrator, from ``?instansi=<slug>``), never from the request body.
"""

import csv
import datetime as dt
import re
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import Count, Model, OuterRef, Prefetch, Subquery
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from katingan_sosmed import clock

from . import services
from .access import get_for_user, scope_for, scoped, visible_agencies
from .filters import (
    EXPIRING_SOON_DAYS,
    AgencyFilter,
    AppointmentFilter,
    DecreeFilter,
    OfficialAccountFilter,
    SopFilter,
)
from .forms import (
    AgencyForm,
    AppointmentEndForm,
    AppointmentForm,
    DecreeForm,
    OfficialAccountForm,
    SopForm,
)
from .middleware import ethics_pending, remember_ethics_clear
from .models import (
    AccountStatus,
    Agency,
    Appointment,
    Decree,
    OfficialAccount,
    Sop,
)
from .selectors import compliance_for
from .viewkit import (
    agency_for_create,
    choose_agency,
    csv_cell,
    filtered,
    safe_next,
    stored_file_response,
    style_form,
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    return render(
        request,
        "accounts/home.html",
        {
            "scope": scope,
            "agency": request.user.agency,
            "agency_count": visible_agencies(request.user).filter(is_active=True).count(),
        },
    )


# --- Helpers ------------------------------------------------------------------------


def _form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    template: str,
    context: dict[str, object],
    save: Callable[[forms.BaseForm], Model],
    message: Callable[[Model], str],
    success_url: Callable[[Model], str],
) -> HttpResponse:
    """Show ``form``; on a valid POST call the one service, then redirect."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except services.RegistryError as error:
            form.add_error(None, str(error))
        except IntegrityError:
            # Another request saved a clashing record between validation and save.
            form.add_error(
                None, _("This record clashes with one saved just now; check it and try again.")
            )
        else:
            messages.success(request, message(saved))
            return redirect(success_url(saved))
    return render(request, template, {"form": style_form(form), **context})


def _posted(request: HttpRequest) -> tuple[object, object]:
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _record_saver(request: HttpRequest, now: dt.datetime) -> Callable[[forms.BaseForm], Model]:
    return lambda form: services.registry_record_save(form=form, by=request.user, now=now)


def _file_token(text: str) -> str:
    """A name part safe in any file system and header: ASCII letters, digits, dashes."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:80] or "dokumen"


def _decree_state(decree: Decree, today: dt.date) -> str:
    if decree.valid_from > today:
        return "upcoming"
    if decree.valid_until is not None and decree.valid_until < today:
        return "expired"
    if decree.valid_until is not None and (decree.valid_until - today).days <= EXPIRING_SOON_DAYS:
        return "expiring"
    return "valid"


def _mark_appointments(appointments, *, today: dt.date, can_write: Callable[[int], bool]):
    for appointment in appointments:
        appointment.active = appointment.is_active_on(today)
        appointment.can_end = can_write(appointment.agency_id) and (
            appointment.ends_on is None or appointment.ends_on >= today
        )
    return appointments


# --- Agencies -------------------------------------------------------------------------


@login_required
@require_GET
def agency_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate(clock.now())
    filterset, page = filtered(request, AgencyFilter, visible_agencies(request.user), today=today)
    compliance = compliance_for([agency.pk for agency in page], day=today)
    for agency in page:
        agency.compliance = compliance[agency.pk]
    return render(
        request,
        "accounts/agency_list.html",
        {"filterset": filterset, "page": page, "today": today},
    )


@login_required
@require_GET
def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    today = timezone.localdate(clock.now())
    agency = get_for_user(Agency.objects.all(), request.user, agency_lookup="pk", slug=slug)
    scope = scope_for(request.user)
    can_write = scope.may_write_agency(agency.pk)

    accounts = list(agency.accounts.select_related("decree").order_by("platform", "handle", "pk"))
    appointments = _mark_appointments(
        list(
            agency.appointments.select_related("user", "decree").order_by(
                "role", "user__full_name", "-starts_on", "pk"
            )
        ),
        today=today,
        can_write=scope.may_write_agency,
    )
    decrees = list(
        agency.decrees.annotate(
            account_count=Count("accounts", distinct=True),
            appointment_count=Count("appointments", distinct=True),
        ).order_by("-valid_from", "-pk")
    )
    for decree in decrees:
        decree.state = _decree_state(decree, today)
    for account in accounts:
        account.decree_valid = account.decree is not None and account.decree.is_valid_on(today)
    sops = list(agency.sops.select_related("uploaded_by").order_by("-effective_from", "-pk"))
    sop_in_force = next((sop for sop in sops if sop.effective_from <= today), None)

    return render(
        request,
        "accounts/agency_detail.html",
        {
            "agency": agency,
            "can_write": can_write,
            "accounts": accounts,
            "active_appointments": [a for a in appointments if a.active],
            "past_appointments": [a for a in appointments if not a.active],
            "decrees": decrees,
            "sops": sops,
            "sop_in_force": sop_in_force,
            "compliance": compliance_for([agency.pk], day=today)[agency.pk],
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, slug: str) -> HttpResponse:
    agency = get_for_user(
        Agency.objects.all(), request.user, write=True, agency_lookup="pk", slug=slug
    )
    name = agency.name
    data, _files = _posted(request)
    return _form_page(
        request,
        AgencyForm(data, instance=agency),
        template="accounts/registry_form.html",
        context={
            "title": _("Edit agency profile"),
            "agency": agency,
            "subject": name,
            "legal_note": _("Legal basis: Pasal 1 angka 4"),
            "cancel_url": reverse("accounts:agency_detail", args=[agency.slug]),
        },
        save=_record_saver(request, clock.now()),
        message=lambda saved: _("The profile of %(agency)s was saved.") % {"agency": saved},
        success_url=lambda saved: reverse("accounts:agency_detail", args=[saved.slug]),
    )


# --- Official accounts ----------------------------------------------------------------


@login_required
@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate(clock.now())
    queryset = scoped(OfficialAccount.objects.select_related("agency", "decree"), request.user)
    filterset, page = filtered(request, OfficialAccountFilter, queryset, today=today)
    for account in page:
        account.decree_valid = account.decree is not None and account.decree.is_valid_on(today)
    return render(
        request,
        "accounts/account_list.html",
        {
            "filterset": filterset,
            "page": page,
            "can_create": scope_for(request.user).can_write,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    agency = agency_for_create(request)
    if agency is None:
        return choose_agency(request, title=_("New official account"))
    data, _files = _posted(request)
    return _form_page(
        request,
        OfficialAccountForm(data, agency=agency),
        template="accounts/registry_form.html",
        context={
            "title": _("New official account"),
            "agency": agency,
            "legal_note": _("Legal basis: Pasal 8 huruf b–c, Pasal 9, Lampiran A"),
            "cancel_url": reverse("accounts:account_list"),
        },
        save=_record_saver(request, clock.now()),
        message=lambda saved: (
            _("The official account %(account)s was registered.") % {"account": saved}
        ),
        success_url=lambda saved: reverse("accounts:account_edit", args=[saved.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_for_user(
        OfficialAccount.objects.select_related("agency", "decree"),
        request.user,
        write=True,
        pk=pk,
    )
    subject, status = str(account), account.status
    data, _files = _posted(request)
    return _form_page(
        request,
        OfficialAccountForm(data, instance=account, agency=account.agency),
        template="accounts/account_form.html",
        context={
            "title": _("Edit official account"),
            "agency": account.agency,
            "account": account,
            "subject": subject,
            "current_status": status,
            "statuses": AccountStatus,
            "legal_note": _("Legal basis: Pasal 8 huruf b–c, Pasal 9, Lampiran A"),
            "cancel_url": reverse("accounts:agency_detail", args=[account.agency.slug]),
        },
        save=_record_saver(request, clock.now()),
        message=lambda saved: _("The official account %(account)s was saved.") % {"account": saved},
        success_url=lambda saved: reverse("accounts:account_edit", args=[saved.pk]),
    )


@login_required
@require_POST
def account_status(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_for_user(
        OfficialAccount.objects.select_related("agency"), request.user, write=True, pk=pk
    )
    status = request.POST.get("status", "")
    if status == AccountStatus.ARCHIVED and request.POST.get("confirmed") != "yes":
        # Archiving takes an account out of the registry's active set: ask first.
        return render(request, "accounts/account_archive_confirm.html", {"account": account})
    try:
        services.account_set_status(
            account=account, by=request.user, status=status, now=clock.now()
        )
    except services.RegistryError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The account %(account)s is now %(status)s.")
            % {"account": account, "status": AccountStatus(status).label.lower()},
        )
    return redirect("accounts:account_edit", account.pk)


# --- Decrees --------------------------------------------------------------------------


@login_required
@require_GET
def decree_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate(clock.now())
    queryset = scoped(
        Decree.objects.select_related("agency")
        .annotate(
            account_count=Count("accounts", distinct=True),
            appointment_count=Count("appointments", distinct=True),
        )
        # A grouped query drops Meta.ordering: restate it.
        .order_by("-valid_from", "-pk"),
        request.user,
    )
    filterset, page = filtered(request, DecreeFilter, queryset, today=today)
    for decree in page:
        decree.state = _decree_state(decree, today)
    return render(
        request,
        "accounts/decree_list.html",
        {
            "filterset": filterset,
            "page": page,
            "can_create": scope_for(request.user).can_write,
        },
    )


@login_required
@require_GET
def decree_detail(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate(clock.now())
    decree = get_for_user(
        Decree.objects.select_related("agency", "created_by"), request.user, pk=pk
    )
    scope = scope_for(request.user)
    accounts = list(decree.accounts.order_by("platform", "handle", "pk"))
    appointments = _mark_appointments(
        list(decree.appointments.select_related("user").order_by("role", "user__full_name", "pk")),
        today=today,
        can_write=scope.may_write_agency,
    )
    return render(
        request,
        "accounts/decree_detail.html",
        {
            "decree": decree,
            "state": _decree_state(decree, today),
            "can_write": scope.may_write_agency(decree.agency_id),
            "accounts": accounts,
            "appointments": appointments,
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decree_create(request: HttpRequest) -> HttpResponse:
    agency = agency_for_create(request)
    if agency is None:
        return choose_agency(request, title=_("New decree"))
    data, files = _posted(request)
    return _form_page(
        request,
        DecreeForm(data, files, agency=agency),
        template="accounts/registry_form.html",
        context={
            "title": _("New decree of the agency head"),
            "agency": agency,
            "multipart": True,
            "legal_note": _("Legal basis: Pasal 9 ayat (1)"),
            "cancel_url": reverse("accounts:decree_list"),
        },
        save=_record_saver(request, clock.now()),
        message=lambda saved: _("Decree %(number)s was recorded.") % {"number": saved.number},
        success_url=lambda saved: reverse("accounts:decree_detail", args=[saved.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def decree_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decree = get_for_user(Decree.objects.select_related("agency"), request.user, write=True, pk=pk)
    subject = decree.number
    data, files = _posted(request)
    return _form_page(
        request,
        DecreeForm(data, files, instance=decree, agency=decree.agency),
        template="accounts/registry_form.html",
        context={
            "title": _("Edit decree"),
            "agency": decree.agency,
            "subject": subject,
            "multipart": True,
            "file_hint": _("Leave the file empty to keep the current scan."),
            "legal_note": _("Legal basis: Pasal 9 ayat (1)"),
            "cancel_url": reverse("accounts:decree_detail", args=[decree.pk]),
        },
        save=_record_saver(request, clock.now()),
        message=lambda saved: _("Decree %(number)s was saved.") % {"number": saved.number},
        success_url=lambda saved: reverse("accounts:decree_detail", args=[saved.pk]),
    )


@login_required
@require_GET
def decree_file(request: HttpRequest, pk: int) -> FileResponse:
    decree = get_for_user(Decree.objects.all(), request.user, pk=pk)
    return stored_file_response(decree.document, f"SK-{_file_token(decree.number)}.pdf")


# --- Appointments ---------------------------------------------------------------------


@login_required
@require_GET
def appointment_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate(clock.now())
    scope = scope_for(request.user)
    queryset = scoped(Appointment.objects.select_related("user", "agency", "decree"), request.user)
    filterset, page = filtered(request, AppointmentFilter, queryset, today=today)
    _mark_appointments(page, today=today, can_write=scope.may_write_agency)
    return render(
        request,
        "accounts/appointment_list.html",
        {
            "filterset": filterset,
            "page": page,
            "can_create": scope.can_write,
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def appointment_create(request: HttpRequest) -> HttpResponse:
    agency = agency_for_create(request)
    if agency is None:
        return choose_agency(request, title=_("New appointment"))
    now = clock.now()
    data, _files = _posted(request)
    return _form_page(
        request,
        AppointmentForm(data, agency=agency),
        template="accounts/registry_form.html",
        context={
            "title": _("New appointment of a petugas or pejabat"),
            "agency": agency,
            "legal_note": _("Legal basis: Pasal 1 angka 8–9, Pasal 8 huruf d, Pasal 9 ayat (1)"),
            "cancel_url": reverse("accounts:appointment_list"),
        },
        save=lambda form: services.appointment_create(form=form, by=request.user, now=now),
        message=lambda saved: (
            _("%(person)s was appointed as %(role)s.")
            % {"person": saved.user, "role": saved.get_role_display()}
        ),
        success_url=lambda saved: reverse("accounts:agency_detail", args=[agency.slug]),
    )


@login_required
@require_POST
def appointment_end(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_for_user(
        Appointment.objects.select_related("user", "agency"), request.user, write=True, pk=pk
    )
    form = AppointmentEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date on which the appointment ends."))
    else:
        try:
            services.appointment_end(
                appointment=appointment,
                by=request.user,
                ends_on=form.cleaned_data["ends_on"],
                now=clock.now(),
            )
        except services.RegistryError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The appointment of %(person)s ends on %(date)s.")
                % {
                    "person": appointment.user,
                    "date": form.cleaned_data["ends_on"].strftime("%d-%m-%Y"),
                },
            )
    return redirect(safe_next(request) or reverse("accounts:appointment_list"))


# --- SOPs -----------------------------------------------------------------------------


@login_required
@require_GET
def sop_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate(clock.now())
    in_force = (
        Sop.objects.filter(agency=OuterRef("agency"), effective_from__lte=today)
        .order_by("-effective_from", "-pk")
        .values("pk")[:1]
    )
    queryset = scoped(
        Sop.objects.select_related("agency", "uploaded_by").annotate(
            in_force_pk=Subquery(in_force)
        ),
        request.user,
    )
    filterset, page = filtered(request, SopFilter, queryset, today=today)
    return render(
        request,
        "accounts/sop_list.html",
        {
            "filterset": filterset,
            "page": page,
            "can_create": scope_for(request.user).can_write,
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sop_create(request: HttpRequest) -> HttpResponse:
    agency = agency_for_create(request)
    if agency is None:
        return choose_agency(request, title=_("New SOP version"))
    data, files = _posted(request)
    return _form_page(
        request,
        SopForm(data, files, agency=agency),
        template="accounts/registry_form.html",
        context={
            "title": _("New SOP version for information service"),
            "agency": agency,
            "multipart": True,
            "intro": _(
                "Earlier versions are kept. The version in force is the latest whose "
                "effective date has come."
            ),
            "legal_note": _("Legal basis: Pasal 11"),
            "cancel_url": reverse("accounts:sop_list"),
        },
        save=_record_saver(request, clock.now()),
        message=lambda saved: _("The SOP “%(title)s” was uploaded.") % {"title": saved.title},
        success_url=lambda saved: reverse("accounts:agency_detail", args=[agency.slug]),
    )


@login_required
@require_GET
def sop_file(request: HttpRequest, pk: int) -> FileResponse:
    sop = get_for_user(Sop.objects.select_related("agency"), request.user, pk=pk)
    name = f"SOP-{_file_token(sop.agency.slug)}-{sop.effective_from:%Y-%m-%d}.pdf"
    return stored_file_response(sop.document, name)


# --- Export ---------------------------------------------------------------------------


@login_required
@require_GET
def registry_export(request: HttpRequest) -> HttpResponse:
    """Every visible agency with its official accounts, one row per account.

    An agency without accounts still gets a row, so the export shows who has none.
    """
    accounts = OfficialAccount.objects.select_related("decree").order_by("platform", "handle", "pk")
    agencies = visible_agencies(request.user).prefetch_related(
        Prefetch("accounts", queryset=accounts)
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registri-akun-resmi.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # A byte-order mark: spreadsheet programs then read the file as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Agency"),
            _("Type (Lampiran A)"),
            _("Platform"),
            _("Handle"),
            _("Address (URL)"),
            _("Status"),
            _("Decree number"),
            _("Decree valid until"),
        ]
    )
    for agency in agencies:
        rows = [
            [
                agency.name,
                account.get_account_type_display(),
                account.get_platform_display(),
                account.handle,
                account.url,
                account.get_status_display(),
                account.decree.number if account.decree else "",
                account.decree.valid_until.isoformat()
                if account.decree and account.decree.valid_until
                else "",
            ]
            for account in agency.accounts.all()
        ] or [[agency.name, "", "", "", "", "", "", ""]]
        for row in rows:
            writer.writerow([csv_cell(cell) for cell in row])
    return response


# --- Ethics (Pasal 12-13) ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def ethics(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    today = timezone.localdate(now)
    if request.method == "POST":
        if request.POST.get("accept") != "yes":
            messages.error(request, _("Tick the statement to acknowledge the ethics."))
            return redirect(request.get_full_path())
        count = services.ethics_acknowledge(user=request.user, now=now)
        remember_ethics_clear(request, day=today)
        if count:
            messages.success(request, _("Thank you. Your acknowledgement has been recorded."))
        else:
            messages.info(request, _("You have no appointment waiting for acknowledgement."))
        return redirect(safe_next(request) or reverse("home"))
    appointments = list(
        Appointment.objects.filter(user=request.user)
        .select_related("agency", "decree")
        .order_by("-starts_on", "-pk")
    )
    return render(
        request,
        "accounts/ethics.html",
        {
            "pending": [a for a in appointments if a.ethics_acknowledged_at is None],
            "acknowledged": [a for a in appointments if a.ethics_acknowledged_at is not None],
            "must_acknowledge": ethics_pending(request.user, day=today),
            "next": safe_next(request) or "",
        },
    )
