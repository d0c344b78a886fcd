"""Citizens' personal data on the inquiry pages (UU 27/2022): revealing a contact, and
the inquiry exports.

A contact is masked on every page, for everyone; the handling agencies' officers and
Diskominfo's evaluators may reveal it, one inquiry at a time, and each reveal is an
audit event (evaluators give the reason). Exports: every signed-in role with inquiries
in scope exports them with the citizens masked; only an evaluator, stating a reason,
exports them with names and contacts.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import scope_for
from accounts.models import User
from accounts.viewkit import local_text, stream_csv, style_form
from katingan_sosmed import clock
from privacy import services as privacy

from .filters import inbox_filterset
from .models import Inquiry
from .privacy import mask_name
from .selectors import get_inquiry_for_user


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Why you need the citizen's full contact (kept in the audit log)."),
    )


class PersonalExportForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the export"),
        max_length=300,
        help_text=gettext_lazy(
            "For example: a citizen's request, a court order, an inspection. Kept in the "
            "audit log with your name."
        ),
        error_messages={"required": gettext_lazy("State the reason for exporting personal data.")},
    )


# --- Reveal ---------------------------------------------------------------------------


@login_required
@require_POST
def reveal_contact(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = get_inquiry_for_user(request.user, pk)
    if not privacy.may_reveal(request.user, inquiry):
        raise PermissionDenied
    form = RevealForm(request.POST)
    form.is_valid()
    try:
        contact = privacy.contact_reveal(
            inquiry=inquiry,
            by=request.user,
            reason=form.cleaned_data.get("reason", ""),
            now=clock.now(),
        )
    except privacy.PrivacyError as error:
        messages.error(request, str(error))
        return redirect("inquiries:detail", inquiry.pk)
    response = render(
        request,
        "inquiries/contact_revealed.html",
        {"inquiry": inquiry, "author": inquiry.author_name, "contact": contact},
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Exports --------------------------------------------------------------------------


def _export_rows(request: HttpRequest):
    """The inquiries of the inbox as the user filtered it (same parameters)."""
    filterset, _box = inbox_filterset(request, now=clock.now())
    return filterset.qs.select_related("agency", "channel", "current_forwarding__to_agency")


HEADER = [
    gettext_lazy("Tracking code"),
    gettext_lazy("Receiving agency"),
    gettext_lazy("Channel"),
    gettext_lazy("Kind"),
    gettext_lazy("Received"),
    gettext_lazy("Status"),
    gettext_lazy("Author"),
    gettext_lazy("Topics"),
    gettext_lazy("Forwarded to"),
    gettext_lazy("Reply due"),
    gettext_lazy("Answered"),
    gettext_lazy("Text"),
]


def _row(inquiry: Inquiry, *, personal: bool) -> list[object]:
    forwarding = inquiry.current_forwarding
    row = [
        inquiry.tracking_code,
        inquiry.agency.short_name,
        f"{inquiry.channel.get_platform_display()} {inquiry.channel.handle}",
        inquiry.get_kind_display(),
        local_text(inquiry.received_at),
        inquiry.get_status_display(),
        inquiry.author_name if personal else mask_name(inquiry.author_name),
        ", ".join(inquiry.topics),
        forwarding.to_agency.short_name if forwarding else "",
        local_text(inquiry.due_at),
        local_text(inquiry.answered_at),
        inquiry.text if personal else privacy.scrub(inquiry.text, inquiry.author_name),
    ]
    if personal:
        row.insert(7, inquiry.author_contact)
    return row


def _stamp() -> str:
    return timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The inbox as filtered, citizens masked; every role with inquiries in scope. An
    agency's officer exports only their agency's inbox (received or forwarded to it)."""
    if scope_for(request.user).sees_nothing:
        raise PermissionDenied
    queryset = _export_rows(request)
    count = queryset.count()
    privacy.export_record(by=request.user, personal=False, count=count, reason="", now=clock.now())
    rows = (_row(inquiry, personal=False) for inquiry in queryset.iterator(chunk_size=2000))
    return stream_csv(f"pertanyaan-{_stamp()}.csv", HEADER, rows)


@login_required
@require_http_methods(["GET", "POST"])
def export_personal(request: HttpRequest) -> HttpResponse:
    """Evaluators only: the same export with names and contacts, for a stated reason."""
    user: User = request.user
    if not privacy.is_evaluator(user):
        raise PermissionDenied
    form = PersonalExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        queryset = _export_rows(request)
        count = queryset.count()
        privacy.export_record(
            by=user, personal=True, count=count, reason=form.cleaned_data["reason"], now=clock.now()
        )
        header = [*HEADER[:7], gettext_lazy("Contact"), *HEADER[7:]]
        rows = (_row(inquiry, personal=True) for inquiry in queryset.iterator(chunk_size=2000))
        return stream_csv(f"pertanyaan-data-pribadi-{_stamp()}.csv", header, rows)
    return render(
        request,
        "inquiries/export_personal.html",
        {"form": style_form(form), "query": request.GET.urlencode()},
    )
