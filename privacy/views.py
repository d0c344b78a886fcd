"""Subject requests of citizens (UU 27/2022 Pasal 5-9): Diskominfo's evaluators only.

A citizen asks to see, correct or delete what the portal holds on them; the evaluator
records the request (its 3×24-hour deadline starts when it was received), finds the
citizen's inquiries by handle or contact, exports them with their history for the
citizen, corrects or anonymises them, and closes the request with the answer given.
Every step writes its audit event in :mod:`privacy.services`.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.viewkit import as_download, csv_lines, local_text, paginate, style_form
from inquiries.models import InquiryEvent
from inquiries.selectors import inquiries_for
from inquiries.views import EVENT_LABELS
from katingan_sosmed import clock

from . import services
from .forms import CloseForm, CorrectionForm, ErasureForm, SubjectRequestForm
from .models import SubjectRequest, SubjectRequestStatus

# An open request due within this many hours is shown as "due soon" on the board.
DUE_SOON_HOURS = 24

STATUS_FILTERS = {
    "terbuka": Q(status=SubjectRequestStatus.OPEN),
    "selesai": Q(status=SubjectRequestStatus.DONE),
    "ditolak": Q(status=SubjectRequestStatus.REFUSED),
    "semua": Q(),
}


def _evaluator(request: HttpRequest) -> None:
    if not services.is_evaluator(request.user):
        raise PermissionDenied


def _found(request: HttpRequest, subject_request: SubjectRequest):
    """The citizen's inquiries, among those the user may read (the one scoping helper)."""
    return (
        services.inquiries_of(subject_request.identifier, among=inquiries_for(request.user))
        .select_related("agency", "channel")
        .order_by("-received_at", "-pk")
    )


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    _evaluator(request)
    now = clock.now()
    status = request.GET.get("status", "terbuka")
    if status not in STATUS_FILTERS:
        status = "terbuka"
    query = request.GET.get("q", "").strip()
    requests = SubjectRequest.objects.filter(STATUS_FILTERS[status]).select_related("recorded_by")
    if query:
        requests = requests.filter(
            Q(requester_name__icontains=query) | Q(identifier__icontains=query)
        )
    if status != "terbuka":
        requests = requests.order_by("-received_at", "-pk")
    page = paginate(request, requests)
    soon = now + dt.timedelta(hours=DUE_SOON_HOURS)
    for item in page:
        item.overdue = item.is_open and item.due_at <= now
        item.due_soon = item.is_open and now < item.due_at <= soon
    open_requests = SubjectRequest.objects.filter(status=SubjectRequestStatus.OPEN)
    counts = {
        "overdue": open_requests.filter(due_at__lte=now).count(),
        "due_soon": open_requests.filter(due_at__gt=now, due_at__lte=soon).count(),
        "open": open_requests.count(),
    }
    return render(
        request,
        "privacy/request_list.html",
        {
            "page": page,
            "status": status,
            "query": query,
            "counts": counts,
            "status_choices": [
                ("terbuka", _("Open")),
                ("selesai", _("Completed")),
                ("ditolak", _("Refused")),
                ("semua", _("All")),
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    _evaluator(request)
    now = clock.now()
    initial = {"received_at": timezone.localtime(now).replace(second=0, microsecond=0)}
    form = SubjectRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.subject_request_create(by=request.user, now=now, **form.cleaned_data)
        except services.PrivacyError as error:
            form.add_error("received_at", str(error))
        else:
            messages.success(
                request,
                _("Request #%(number)s recorded; answer it by %(due)s WIB.")
                % {
                    "number": created.pk,
                    "due": timezone.localtime(created.due_at).strftime("%d-%m-%Y %H:%M"),
                },
            )
            return redirect("privacy:request_detail", created.pk)
    return render(request, "privacy/request_form.html", {"form": style_form(form)})


def _detail(request: HttpRequest, subject_request: SubjectRequest, **bound) -> HttpResponse:
    now = clock.now()
    found = _found(request, subject_request)
    inquiries = list(found)
    subject_request.overdue = subject_request.is_open and subject_request.due_at <= now
    context = {
        "subject_request": subject_request,
        "inquiries": inquiries,
        "history_count": InquiryEvent.objects.filter(inquiry__in=inquiries).count(),
    }
    if subject_request.is_open:
        everything = {"initial": {"inquiries": [inquiry.pk for inquiry in inquiries]}}
        context["correction_form"] = style_form(
            bound.get("correction_form") or CorrectionForm(found=found, **everything)
        )
        context["erasure_form"] = style_form(
            bound.get("erasure_form") or ErasureForm(found=found, **everything)
        )
        context["close_form"] = style_form(bound.get("close_form") or CloseForm())
    response = render(request, "privacy/request_detail.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


def _get(pk: int) -> SubjectRequest:
    return get_object_or_404(
        SubjectRequest.objects.select_related("recorded_by", "resolved_by"), pk=pk
    )


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _evaluator(request)
    return _detail(request, _get(pk))


EXPORT_HEADER = [
    gettext_lazy("Tracking code"),
    gettext_lazy("Received"),
    gettext_lazy("Receiving agency"),
    gettext_lazy("Channel"),
    gettext_lazy("Kind"),
    gettext_lazy("Author"),
    gettext_lazy("Contact"),
    gettext_lazy("Link"),
    gettext_lazy("Text"),
    gettext_lazy("Status"),
    gettext_lazy("Answer"),
    gettext_lazy("History: at"),
    gettext_lazy("History: step"),
    gettext_lazy("History: agency"),
    gettext_lazy("History: by"),
    gettext_lazy("History: note"),
]


@login_required
@require_GET
def request_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything the portal holds on the citizen, one row per step of each inquiry's
    history, for handing to the citizen (an access request)."""
    _evaluator(request)
    subject_request = _get(pk)
    inquiries = list(
        _found(request, subject_request).prefetch_related("events__agency", "events__actor")
    )
    services.subject_request_export_record(
        request=subject_request, count=len(inquiries), by=request.user, now=clock.now()
    )

    def rows():
        for inquiry in inquiries:
            head = [
                inquiry.tracking_code,
                local_text(inquiry.received_at),
                inquiry.agency.name,
                f"{inquiry.channel.get_platform_display()} {inquiry.channel.handle}",
                inquiry.get_kind_display(),
                inquiry.author_name,
                inquiry.author_contact,
                inquiry.source_url,
                inquiry.text,
                inquiry.get_status_display(),
                inquiry.answer_text,
            ]
            for event in inquiry.events.all():
                yield [
                    *head,
                    local_text(event.at),
                    EVENT_LABELS.get(event.action, event.action),
                    event.agency.short_name if event.agency else "",
                    str(event.actor) if event.actor else "",
                    event.note,
                ]

    # Whole, not streamed: a citizen's rows are few, and the file is handed over at once.
    response = HttpResponse(
        "".join(csv_lines(EXPORT_HEADER, rows())), content_type="text/csv; charset=utf-8"
    )
    return as_download(response, f"permintaan-{subject_request.pk}-data-pribadi.csv")


@login_required
@require_POST
def request_correct(request: HttpRequest, pk: int) -> HttpResponse:
    _evaluator(request)
    subject_request = _get(pk)
    form = CorrectionForm(request.POST, found=_found(request, subject_request))
    if not form.is_valid():
        return _detail(request, subject_request, correction_form=form)
    try:
        count = services.subject_request_correct(
            request=subject_request,
            inquiries=list(form.cleaned_data["inquiries"]),
            by=request.user,
            now=clock.now(),
            author_name=form.cleaned_data["author_name"],
            author_contact=form.cleaned_data["author_contact"],
        )
    except services.PrivacyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)s inquiries corrected.") % {"count": count})
        if form.cleaned_data["author_name"] != subject_request.identifier:
            messages.info(
                request,
                _("The inquiries now carry the corrected name; search by it to find them again."),
            )
    return redirect("privacy:request_detail", subject_request.pk)


@login_required
@require_POST
def request_erase(request: HttpRequest, pk: int) -> HttpResponse:
    _evaluator(request)
    subject_request = _get(pk)
    form = ErasureForm(request.POST, found=_found(request, subject_request))
    if not form.is_valid():
        return _detail(request, subject_request, erasure_form=form)
    try:
        count = services.subject_request_erase(
            request=subject_request,
            inquiries=list(form.cleaned_data["inquiries"]),
            by=request.user,
            now=clock.now(),
        )
    except services.PrivacyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)s inquiries anonymised.") % {"count": count})
    return redirect("privacy:request_detail", subject_request.pk)


@login_required
@require_POST
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    _evaluator(request)
    subject_request = _get(pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _detail(request, subject_request, close_form=form)
    try:
        services.subject_request_close(
            request=subject_request, by=request.user, now=clock.now(), **form.cleaned_data
        )
    except services.PrivacyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Request #%(number)s closed.") % {"number": subject_request.pk})
    return redirect("privacy:request_detail", subject_request.pk)
