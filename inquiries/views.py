"""Pages of the Lampiran B flow: the inbox, recording, one inquiry with its actions,
the answer library and the CSV import.

Every read goes through :mod:`inquiries.selectors` (404 outside the user's scope,
403 when a read-only role writes). Every action is its own POST-only view that
parses a small form carrying the version the user saw, calls exactly one
transition of :mod:`inquiries.flow`, turns a refusal into a message and redirects
back to the inquiry. The clock is read once per request.
"""

import csv
import datetime as dt
import uuid
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import get_for_user, scope_for, scoped
from accounts.models import User
from accounts.viewkit import (
    agency_for_create,
    choose_agency,
    filter_data,
    paginate,
    style_form,
)
from katingan_sosmed import clock
from privacy.services import is_evaluator, may_reveal, scrub

from . import flow, imports, services
from .display import INBOX_VALUES, countdown, inbox_rows, inbox_rows_html
from .filterbar import filter_bar
from .filters import BOX_FORWARDED, BOX_RECEIVED, AnswerFilter, inbox_filterset
from .forms import (
    AnswerForm,
    AnswerLibraryForm,
    CloseForm,
    DismissForm,
    ForwardForm,
    ImportForm,
    InquiryForm,
    ReplyForm,
    active_channels,
)
from .models import Answer, Inquiry, InquiryStatus
from .privacy import handles_inquiry, mask_contact, mask_name
from .selectors import (
    get_inquiry_for_user,
    similar_answers,
    suggest_agencies,
)

# Shown at most on the import page; the count of the rest is given.
MAX_REPORTED_ERRORS = 500

# The history speaks of what happened (the flow's labels name what to do).
EVENT_LABELS = {
    "record": gettext_lazy("Recorded"),
    "answer_directly": gettext_lazy("Answered directly"),
    "forward": gettext_lazy("Forwarded"),
    "reply": gettext_lazy("Replied to the forwarding agency"),
    "reroute": gettext_lazy("Re-routed"),
    "answer_public": gettext_lazy("Answered the public"),
    "close": gettext_lazy("Closed"),
    "dismiss": gettext_lazy("Closed as spam or duplicate"),
    "anonymise": gettext_lazy("Citizen's details anonymised"),
}


# --- Helpers ------------------------------------------------------------------------------


def _form_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    """A refused action form becomes one message naming each problem."""
    problems = []
    for name, errors in form.errors.items():
        if name == "expected_version":
            problems.append(_("The page was out of date; check the inquiry and try again."))
            continue
        field = form.fields.get(name)
        for error in errors:
            problems.append(f"{field.label}: {error}" if field and field.label else error)
    messages.error(
        request, _("Nothing was changed. %(problems)s") % {"problems": " ".join(problems)}
    )


def _to_detail(inquiry: Inquiry) -> HttpResponse:
    return redirect("inquiries:detail", inquiry.pk)


def _writable(request: HttpRequest, pk: int) -> Inquiry:
    return get_inquiry_for_user(request.user, pk, write=True)


# --- Inbox ----------------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    scope = scope_for(request.user)
    filterset, box = inbox_filterset(request, now=now)
    page = paginate(request, filterset.qs, values=INBOX_VALUES)
    rows = inbox_rows(page, scope=scope, now=now)
    show_agency = scope.all_agencies or box == BOX_FORWARDED
    return render(
        request,
        "inquiries/inbox.html",
        {
            "filterset": filterset,
            "filter_bar": filter_bar(request, filterset),
            "page": page,
            "rows": rows,
            "rows_html": inbox_rows_html(rows, show_agency=show_agency),
            "show_agency": show_agency,
            "box": box,
            "box_received": BOX_RECEIVED,
            "box_forwarded": BOX_FORWARDED,
            "scope": scope,
            "can_record": scope.can_write,
            "read_only": not scope.can_write,
            "can_export_personal": is_evaluator(request.user),
        },
    )


# --- Record -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    agency = agency_for_create(request)
    if agency is None:
        return choose_agency(request, title=_("Record an inquiry"))
    now = clock.now()
    if request.method == "POST":
        form = InquiryForm(request.POST, agency=agency, now=now)
        if form.is_valid():
            data = form.cleaned_data
            try:
                inquiry, created = flow.inquiry_record(
                    agency=agency,
                    channel=data["channel"],
                    kind=data["kind"],
                    author_name=data["author_name"],
                    author_contact=data["author_contact"],
                    text=data["text"],
                    source_url=data["source_url"],
                    received_at=data["received_at"],
                    topics=data["topics"],
                    by=request.user,
                    now=now,
                    idempotency_key=str(data["idempotency_key"]),
                )
            except flow.FlowError as error:
                form.add_error(None, str(error))
            else:
                if created:
                    messages.success(
                        request,
                        _("The inquiry was recorded with tracking code %(code)s.")
                        % {"code": inquiry.tracking_code},
                    )
                else:
                    messages.info(
                        request,
                        _("This form was already sent: the inquiry %(code)s was recorded once.")
                        % {"code": inquiry.tracking_code},
                    )
                return _to_detail(inquiry)
    else:
        local = timezone.localtime(now).replace(second=0, microsecond=0)
        form = InquiryForm(
            agency=agency,
            now=now,
            initial={"idempotency_key": uuid.uuid4(), "received_at": local, "kind": "pertanyaan"},
        )
    has_channels = form.fields["channel"].queryset.exists()
    return render(
        request,
        "accounts/registry_form.html",
        {
            "form": style_form(form),
            "title": _("Record an inquiry"),
            "agency": agency,
            "legal_note": _("Legal basis: Lampiran B angka 1"),
            "intro": None
            if has_channels
            else _(
                "Your agency has no active official account yet: register one before "
                "recording inquiries received on it."
            ),
            "cancel_url": reverse("inquiries:inbox"),
        },
    )


# --- Detail ---------------------------------------------------------------------------------


def _forward_form(inquiry: Inquiry, *, exclude: list[int], data=None, initial=None) -> ForwardForm:
    suggested = []
    if data is None:
        suggested = [
            suggestion.agency
            for suggestion in suggest_agencies(inquiry.text, inquiry.topics, exclude=exclude)
        ]
    return ForwardForm(data, initial=initial, exclude=exclude, suggested=suggested)


def _reroute_exclusions(inquiry: Inquiry) -> list[int]:
    holder = flow.holder_agency_id(inquiry)
    return [pk for pk in (inquiry.agency_id, holder) if pk is not None]


def _prefilled_answer(request: HttpRequest, inquiry: Inquiry) -> Answer | None:
    """``?jawaban=<id>``: an approved answer of the inquiry's agency to start from."""
    raw = request.GET.get("jawaban", "")
    if not raw.isdigit():
        return None
    return Answer.objects.filter(agency_id=inquiry.agency_id, is_approved=True, pk=int(raw)).first()


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    inquiry = get_inquiry_for_user(request.user, pk)
    user: User = request.user
    full = handles_inquiry(user, inquiry)
    allowed = {action.code: action for action in flow.allowed_actions(inquiry, user)}
    version = {"expected_version": inquiry.version}

    def styled(form: forms.BaseForm, code: str) -> forms.BaseForm:
        form.auto_id = f"{code}_%s"
        return style_form(form)

    action_forms: dict[str, forms.BaseForm] = {}
    similar: list[Answer] = []
    chosen: Answer | None = None
    if "answer_directly" in allowed:
        similar = similar_answers(inquiry.agency_id, inquiry.text)
        chosen = _prefilled_answer(request, inquiry)
        initial = dict(version)
        if chosen is not None:
            initial |= {"answer_text": chosen.text, "library_answer": chosen.pk}
        action_forms["answer_directly"] = styled(
            AnswerForm(initial=initial, agency_id=inquiry.agency_id), "answer_directly"
        )
    if "forward" in allowed:
        action_forms["forward"] = styled(
            _forward_form(inquiry, exclude=[inquiry.agency_id], initial=version), "forward"
        )
    if "reply" in allowed:
        action_forms["reply"] = styled(ReplyForm(initial=version), "reply")
    if "reroute" in allowed:
        action_forms["reroute"] = styled(
            _forward_form(inquiry, exclude=_reroute_exclusions(inquiry), initial=version),
            "reroute",
        )
    if "answer_public" in allowed:
        reply = inquiry.current_forwarding.reply_text if inquiry.current_forwarding else ""
        action_forms["answer_public"] = styled(
            AnswerForm(initial=version | {"answer_text": reply}, agency_id=inquiry.agency_id),
            "answer_public",
        )
    if "close" in allowed:
        action_forms["close"] = styled(CloseForm(initial=version), "close")
    if "dismiss" in allowed:
        action_forms["dismiss"] = styled(DismissForm(initial=version, inquiry=inquiry), "dismiss")

    events = list(
        inquiry.events.select_related("actor", "agency", "forwarding__to_agency").order_by(
            "at", "pk"
        )
    )
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
        event.from_label = InquiryStatus(event.from_status).label if event.from_status else ""
        event.to_label = InquiryStatus(event.to_status).label
    forwardings = list(
        inquiry.forwardings.select_related(
            "from_agency", "to_agency", "forwarded_by", "replied_by"
        ).order_by("forwarded_at", "pk")
    )
    current = inquiry.current_forwarding
    if not full:
        # Outside the handling agencies, contact details the citizen or an officer
        # wrote into the texts are masked too. Display copies only: nothing is saved.
        for item in (*events, *forwardings, *([current] if current else [])):
            for field in ("note", "reply_text"):
                if hasattr(item, field):
                    setattr(item, field, scrub(getattr(item, field), inquiry.author_name))
    return render(
        request,
        "inquiries/detail.html",
        {
            "inquiry": inquiry,
            "author_shown": inquiry.author_name if full else mask_name(inquiry.author_name),
            # Masked for everyone; the handling agencies and evaluators reveal it.
            "contact_shown": mask_contact(inquiry.author_contact),
            "can_reveal": bool(inquiry.author_contact)
            and inquiry.anonymised_at is None
            and may_reveal(user, inquiry),
            "reveal_needs_reason": not full,
            "text_shown": inquiry.text if full else scrub(inquiry.text, inquiry.author_name),
            "answer_shown": (
                inquiry.answer_text if full else scrub(inquiry.answer_text, inquiry.author_name)
            ),
            "full_personal_data": full,
            "current_forwarding": current,
            "countdown": countdown(inquiry.due_at, now),
            "allowed": allowed,
            "action_forms": action_forms,
            "similar": similar,
            "chosen": chosen,
            "events": events,
            "forwardings": forwardings,
            "read_only": not scope_for(user).can_write,
            "can_record": scope_for(user).can_write,
        },
    )


# --- Actions: one view per transition, POST only --------------------------------------------


def _library_save(request: HttpRequest, inquiry: Inquiry, form: AnswerForm, now) -> None:
    if form.cleaned_data["save_to_library"]:
        answer = services.answer_save_from_inquiry(
            inquiry=inquiry, text=form.cleaned_data["answer_text"], by=request.user, now=now
        )
        if not answer.is_approved:
            messages.info(request, _("The answer was saved to the library for approval."))
        else:
            messages.info(request, _("The answer was saved to the library."))


def _act(
    request: HttpRequest,
    inquiry: Inquiry,
    form: forms.Form,
    step: Callable[[dict, dt.datetime], str],
) -> HttpResponse:
    """Run one action form: a refused form or a refused step becomes a message; the
    step (one flow call, plus what belongs with it in the same transaction) returns
    the success message. Always back to the detail page."""
    if not form.is_valid():
        _form_errors(request, form)
        return _to_detail(inquiry)
    try:
        with transaction.atomic():
            success = step(form.cleaned_data, clock.now())
    except flow.FlowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return _to_detail(inquiry)


@login_required
@require_POST
def answer_directly(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _writable(request, pk)

    def step(data: dict, now: dt.datetime) -> str:
        flow.inquiry_answer_directly(
            inquiry=inquiry,
            by=request.user,
            answer_text=data["answer_text"],
            library_answer=data["library_answer"],
            now=now,
            expected_version=data["expected_version"],
        )
        _library_save(request, inquiry, form, now)
        return _("The answer was recorded.")

    form = AnswerForm(request.POST, agency_id=inquiry.agency_id)
    return _act(request, inquiry, form, step)


def _forward(request: HttpRequest, pk: int, *, reroute: bool) -> HttpResponse:
    inquiry = _writable(request, pk)
    exclude = _reroute_exclusions(inquiry) if reroute else [inquiry.agency_id]
    transition = flow.forwarding_reroute if reroute else flow.inquiry_forward

    def step(data: dict, now: dt.datetime) -> str:
        forwarding = transition(
            inquiry=inquiry,
            to_agency=data["to_agency"],
            by=request.user,
            now=now,
            note=data["note"],
            expected_version=data["expected_version"],
        )
        return _("The inquiry was forwarded to %(agency)s; the reply is due %(due)s WIB.") % {
            "agency": forwarding.to_agency.name,
            "due": timezone.localtime(forwarding.due_at).strftime("%d-%m-%Y %H:%M"),
        }

    form = _forward_form(inquiry, exclude=exclude, data=request.POST)
    return _act(request, inquiry, form, step)


@login_required
@require_POST
def forward(request: HttpRequest, pk: int) -> HttpResponse:
    return _forward(request, pk, reroute=False)


@login_required
@require_POST
def reroute(request: HttpRequest, pk: int) -> HttpResponse:
    return _forward(request, pk, reroute=True)


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _writable(request, pk)

    def step(data: dict, now: dt.datetime) -> str:
        flow.forwarding_reply(
            inquiry=inquiry,
            by=request.user,
            reply_text=data["reply_text"],
            now=now,
            expected_version=data["expected_version"],
        )
        return _("Your reply was sent to the forwarding agency.")

    return _act(request, inquiry, ReplyForm(request.POST), step)


@login_required
@require_POST
def answer_public(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _writable(request, pk)

    def step(data: dict, now: dt.datetime) -> str:
        flow.inquiry_answer_public(
            inquiry=inquiry,
            by=request.user,
            answer_text=data["answer_text"],
            now=now,
            expected_version=data["expected_version"],
        )
        _library_save(request, inquiry, form, now)
        return _("The answer to the public was recorded.")

    form = AnswerForm(request.POST, agency_id=inquiry.agency_id)
    return _act(request, inquiry, form, step)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _writable(request, pk)

    def step(data: dict, now: dt.datetime) -> str:
        flow.inquiry_close(
            inquiry=inquiry,
            by=request.user,
            note=data["note"],
            now=now,
            expected_version=data["expected_version"],
        )
        return _("The inquiry was closed.")

    return _act(request, inquiry, CloseForm(request.POST), step)


@login_required
@require_POST
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _writable(request, pk)

    def step(data: dict, now: dt.datetime) -> str:
        flow.inquiry_dismiss(
            inquiry=inquiry,
            by=request.user,
            reason=data["reason"],
            note=data["note"],
            duplicate_of=data["duplicate_of"],
            now=now,
            expected_version=data["expected_version"],
        )
        return _("The inquiry was closed as spam or duplicate.")

    return _act(request, inquiry, DismissForm(request.POST, inquiry=inquiry), step)


# --- Answer library -------------------------------------------------------------------------


@login_required
@require_GET
def answer_list(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    user: User = request.user
    scope = scope_for(user)
    queryset = scoped(
        Answer.objects.select_related("agency", "created_by", "approved_by"), user
    ).order_by("topic", "question", "pk")
    filterset = AnswerFilter(
        filter_data(request), queryset, request=request, today=timezone.localdate(now)
    )
    page = paginate(request, filterset.qs)
    rows = list(page)
    for answer in rows:
        answer.can_edit = scope.may_write_agency(answer.agency_id)
        answer.can_approve = not answer.is_approved and services.may_approve(user, answer.agency_id)
    return render(
        request,
        "inquiries/answer_list.html",
        {
            "filterset": filterset,
            "page": page,
            "rows": rows,
            "can_create": scope.can_write,
            "can_record": scope.can_write,
            "show_agency": scope.all_agencies,
        },
    )


def _answer_form_page(
    request: HttpRequest, *, agency, answer: Answer | None, title: str
) -> HttpResponse:
    form = AnswerLibraryForm(request.POST or None, instance=answer)
    if request.method == "POST" and form.is_valid():
        saved = services.answer_save(
            agency=agency,
            answer=answer,
            by=request.user,
            now=clock.now(),
            topic=form.cleaned_data["topic"],
            question=form.cleaned_data["question"],
            text=form.cleaned_data["text"],
        )
        if saved.is_approved:
            messages.success(request, _("The answer was saved and is approved for use."))
        else:
            messages.success(
                request, _("The answer was saved; a pejabat of the agency approves it for use.")
            )
        return redirect("inquiries:answer_list")
    return render(
        request,
        "accounts/registry_form.html",
        {
            "form": style_form(form),
            "title": title,
            "agency": agency,
            "subject": answer.question if answer else "",
            "legal_note": _("Legal basis: Lampiran B angka 2"),
            "intro": _(
                "Answers written by a petugas are offered to officers once a pejabat of the "
                "agency approves them."
            ),
            "cancel_url": reverse("inquiries:answer_list"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer_create(request: HttpRequest) -> HttpResponse:
    agency = agency_for_create(request)
    if agency is None:
        return choose_agency(request, title=_("New library answer"))
    return _answer_form_page(request, agency=agency, answer=None, title=_("New library answer"))


@login_required
@require_http_methods(["GET", "POST"])
def answer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_for_user(Answer.objects.select_related("agency"), request.user, write=True, pk=pk)
    return _answer_form_page(
        request, agency=answer.agency, answer=answer, title=_("Edit library answer")
    )


@login_required
@require_POST
def answer_approve(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_for_user(Answer.objects.select_related("agency"), request.user, write=True, pk=pk)
    if not services.may_approve(request.user, answer.agency_id):
        raise PermissionDenied
    try:
        services.answer_approve(answer=answer, by=request.user, now=clock.now())
    except services.AnswerError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The answer is approved and offered to officers."))
    return redirect("inquiries:answer_list")


# --- CSV import -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_inquiries(request: HttpRequest) -> HttpResponse:
    agency = agency_for_create(request)
    if agency is None:
        return choose_agency(request, title=_("Import inquiries from a CSV file"))
    now = clock.now()
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[imports.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > imports.MAX_BYTES:
                raise imports.ImportFileError(
                    _("The file is larger than %(size)d MB; split it into smaller files.")
                    % {"size": imports.MAX_BYTES // (1024 * 1024)}
                )
            parsed = imports.parse_csv(upload.read(imports.MAX_BYTES + 1))
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            validated = imports.validate_rows(parsed, agency=agency, now=now)
            errors = validated.errors
            if not errors:
                try:
                    result = imports.import_rows(
                        validated, parsed=parsed, agency=agency, by=request.user, now=now
                    )
                except flow.FlowError as error:
                    form.add_error(None, str(error))
                else:
                    text = ngettext(
                        "%(count)d inquiry was imported.",
                        "%(count)d inquiries were imported.",
                        result.created,
                    ) % {"count": result.created}
                    if result.existing:
                        text += " " + ngettext(
                            "%(count)d row had been imported before and was skipped.",
                            "%(count)d rows had been imported before and were skipped.",
                            result.existing,
                        ) % {"count": result.existing}
                    messages.success(request, text)
                    return redirect("inquiries:inbox")
    return render(
        request,
        "inquiries/import.html",
        {
            "form": style_form(form),
            "agency": agency,
            "errors": errors[:MAX_REPORTED_ERRORS],
            "error_count": len(errors),
            "hidden_error_count": max(0, len(errors) - MAX_REPORTED_ERRORS),
            "max_rows": imports.MAX_ROWS,
            "max_megabytes": imports.MAX_BYTES // (1024 * 1024),
        },
    )


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    example = active_channels(user.agency).first() if user.agency_id else None
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="templat-impor-pertanyaan.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # A byte-order mark: spreadsheet programs then read the file as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in imports.template_rows(
        example.handle if example else "@akun.resmi",
        example.platform if example else "instagram",
    ):
        writer.writerow(row)
    return response
