"""Forms of the inquiry pages. They validate input only; :mod:`inquiries.flow` and
:mod:`inquiries.services` write.

The agency of an inquiry comes from the view (the user's scope), never from the
request body; the fields a transition sets (status, deadline, version) are not
form fields at all, so a crafted ``agency``, ``status`` or ``due_at`` changes
nothing.
"""

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountStatus, Agency, OfficialAccount, Platform

from .models import TRACKING_LENGTH, Answer, DismissReason, Inquiry, InquiryKind

TEXT_MAX_LENGTH = 10_000
NOTE_MAX_LENGTH = 2_000
MAX_TOPICS = 10
TOPIC_MAX_LENGTH = 60
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
# The formats a person types or a spreadsheet writes, always read as WIB.
RECEIVED_AT_FORMATS = [DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


def parse_topics(raw: str) -> list[str]:
    """``"KTP, Kartu Keluarga;ktp"`` → ``["ktp", "kartu keluarga"]``."""
    topics: list[str] = []
    for part in re.split(r"[,;\n]", raw or ""):
        topic = " ".join(part.split()).lower()[:TOPIC_MAX_LENGTH]
        if topic and topic not in topics:
            topics.append(topic)
    return topics


def account_label(account: OfficialAccount) -> str:
    return f"{account.get_platform_display()} · {account.handle}"


def active_channels(agency: Agency):
    return OfficialAccount.objects.filter(agency=agency, status=AccountStatus.ACTIVE).order_by(
        "platform", "handle", "pk"
    )


class InquiryFieldsForm(forms.Form):
    """What an officer records about an inquiry, whatever the channel field looks like.

    ``now`` (read once by the view) is the limit for the received time.
    """

    kind = forms.ChoiceField(label=_("Kind"), choices=InquiryKind.choices)
    author_name = forms.CharField(
        label=_("Author's name or handle"),
        max_length=150,
        help_text=_("As shown on social media, for example @budi_ktg or Budi Santoso."),
    )
    author_contact = forms.CharField(
        label=_("Author's contact (optional)"),
        max_length=150,
        required=False,
        help_text=_("Telephone or e-mail, only if the author gave one. Personal data."),
    )
    text = forms.CharField(
        label=_("Text of the inquiry"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    source_url = forms.URLField(
        label=_("Link to the original post or comment (optional)"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    received_at = forms.DateTimeField(
        label=_("Received on social media at (WIB)"),
        input_formats=RECEIVED_AT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    topics = forms.CharField(
        label=_("Topics (optional)"),
        required=False,
        max_length=500,
        help_text=_("Separate with commas, for example: KTP, kartu keluarga."),
    )

    def __init__(self, *args, agency: Agency, now: dt.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.now = now

    def clean_source_url(self) -> str:
        url = self.cleaned_data["source_url"]
        if url and not url.lower().startswith(("https://", "http://")):
            raise ValidationError(_("Enter a web address that starts with https://."))
        return url

    def clean_received_at(self) -> dt.datetime:
        received_at = self.cleaned_data["received_at"]
        if received_at > self.now:
            raise ValidationError(_("The time received cannot be in the future."))
        return received_at

    def clean_topics(self) -> list[str]:
        topics = parse_topics(self.cleaned_data["topics"])
        if len(topics) > MAX_TOPICS:
            raise ValidationError(
                _("At most %(count)d topics.") % {"count": MAX_TOPICS}, code="too_many"
            )
        return topics


class InquiryForm(InquiryFieldsForm):
    """The record form. ``idempotency_key`` is drawn when the form is shown, so the
    same form sent twice records one inquiry."""

    channel = forms.ModelChoiceField(
        label=_("Channel (official account)"),
        queryset=OfficialAccount.objects.none(),
        empty_label=_("Choose the account"),
        error_messages={
            "invalid_choice": _("Choose one of your agency's active official accounts.")
        },
    )
    idempotency_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("The form has expired. Reload the page and send it again."),
            "invalid": _("The form has expired. Reload the page and send it again."),
        },
    )

    field_order = ["channel", "kind", "author_name", "author_contact", "text", "source_url"]

    def __init__(self, *args, agency: Agency, now: dt.datetime, **kwargs):
        super().__init__(*args, agency=agency, now=now, **kwargs)
        field = self.fields["channel"]
        field.queryset = active_channels(agency)
        field.label_from_instance = account_label


class InquiryRowForm(InquiryFieldsForm):
    """One row of a CSV import: the channel named by its handle (and platform).

    ``channels`` are the agency's active accounts, loaded once for the whole file.
    """

    channel = forms.CharField(label=_("Channel"), max_length=100)
    platform = forms.CharField(label=_("Platform"), max_length=40, required=False)

    def __init__(self, *args, channels: Sequence[OfficialAccount], **kwargs):
        super().__init__(*args, **kwargs)
        self.channels = channels

    def clean_platform(self) -> str:
        value = self.cleaned_data["platform"].strip().lower()
        if not value:
            return ""
        for code, label in Platform.choices:
            if value in (code, str(label).lower()):
                return code
        raise ValidationError(_("Unknown platform “%(value)s”.") % {"value": value})

    def clean(self):
        cleaned = super().clean()
        handle = cleaned.get("channel")
        if handle and "platform" in cleaned:
            bare = handle.strip().removeprefix("@").lower()
            platform = cleaned["platform"]
            matches = [
                account
                for account in self.channels
                if account.handle.removeprefix("@").lower() == bare
                and (not platform or account.platform == platform)
            ]
            if not matches:
                self.add_error(
                    "channel",
                    _("“%(handle)s” is not an active official account of your agency.")
                    % {"handle": handle},
                )
            elif len(matches) > 1:
                self.add_error(
                    "platform",
                    _("Several accounts are called “%(handle)s”: name the platform.")
                    % {"handle": handle},
                )
            else:
                cleaned["channel"] = matches[0]
        return cleaned


# --- Actions on one inquiry ------------------------------------------------------------


class ActionForm(forms.Form):
    """Every action form carries the version of the inquiry the user saw."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AnswerForm(ActionForm):
    answer_text = forms.CharField(
        label=_("Answer to the public"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    save_to_library = forms.BooleanField(
        label=_("Save this answer to the answer library"), required=False
    )
    library_answer = forms.ModelChoiceField(
        queryset=Answer.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library_answer"].queryset = Answer.objects.filter(
            agency_id=agency_id, is_approved=True
        )


class ForwardForm(ActionForm):
    """Forward or re-route: the target agency, with suggestions offered first."""

    to_agency = forms.ModelChoiceField(
        label=_("Agency with authority"),
        queryset=Agency.objects.none(),
        empty_label=_("Choose the agency"),
        error_messages={"invalid_choice": _("Choose an active agency from the list.")},
    )
    note = forms.CharField(
        label=_("Note to the agency (optional)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args,
        exclude: Iterable[int],
        suggested: Sequence[Agency] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        excluded = set(exclude)
        queryset = Agency.objects.filter(is_active=True).exclude(pk__in=excluded)
        field = self.fields["to_agency"]
        field.queryset = queryset
        if not self.is_bound:
            # Only the page needs the grouped list; a POST validates against the queryset.
            suggested_ids = [agency.pk for agency in suggested if agency.pk not in excluded]
            others = [
                (agency.pk, agency.name)
                for agency in queryset.order_by("name")
                if agency.pk not in suggested_ids
            ]
            choices: list = [("", field.empty_label)]
            if suggested_ids:
                choices.append(
                    (
                        _("Suggested"),
                        [(a.pk, a.name) for a in suggested if a.pk in suggested_ids],
                    )
                )
                choices.append((_("Other agencies"), others))
            else:
                choices.extend(others)
            field.choices = choices


class ReplyForm(ActionForm):
    reply_text = forms.CharField(
        label=_("Reply to the forwarding agency"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class CloseForm(ActionForm):
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DismissForm(ActionForm):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=DismissReason.choices, widget=forms.RadioSelect
    )
    duplicate_code = forms.CharField(
        label=_("Tracking code of the original inquiry"),
        max_length=TRACKING_LENGTH + 2,
        required=False,
        help_text=_("Required for a duplicate: the inquiry of your agency it repeats."),
    )
    note = forms.CharField(
        label=_("Explanation"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, inquiry: Inquiry, **kwargs):
        super().__init__(*args, **kwargs)
        self.inquiry = inquiry

    def clean(self):
        cleaned = super().clean()
        cleaned["duplicate_of"] = None
        if cleaned.get("reason") != DismissReason.DUPLICATE:
            return cleaned
        code = (cleaned.get("duplicate_code") or "").strip().upper().lstrip("#")
        if not code:
            self.add_error("duplicate_code", _("Enter the tracking code of the original."))
            return cleaned
        original = (
            Inquiry.objects.filter(agency_id=self.inquiry.agency_id, tracking_code=code)
            .exclude(pk=self.inquiry.pk)
            .first()
        )
        if original is None:
            self.add_error(
                "duplicate_code",
                _("No other inquiry of this agency has the tracking code “%(code)s”.")
                % {"code": code},
            )
        cleaned["duplicate_of"] = original
        return cleaned


# --- Answer library and import ------------------------------------------------------------


class AnswerLibraryForm(forms.ModelForm):
    class Meta:
        model = Answer
        fields = ["topic", "question", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "topic": _("One keyword, for example: ktp."),
            "question": _("The question as citizens usually ask it."),
        }

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if len(text) > TEXT_MAX_LENGTH:
            raise ValidationError(
                _("At most %(count)d characters.") % {"count": TEXT_MAX_LENGTH}, code="max_length"
            )
        return text


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma or semicolon separated, with the header of the template."),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )


# --- The working calendar of the reply deadline --------------------------------------------


class DeadlineCalendarForm(forms.Form):
    """Diskominfo's setting of the working calendar (saved by
    :func:`inquiries.services.deadline_calendar_update`)."""

    enabled = forms.BooleanField(
        label=_("Pause the 24-hour clock outside working hours"),
        required=False,
        help_text=_(
            "Off: the 24 hours run on the wall clock, nights, weekends and holidays included."
        ),
    )
    day_start = forms.TimeField(
        label=_("Working day starts at (WIB)"),
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Enter the time the working day starts."),
            "invalid": _("Enter a time such as 07:30."),
        },
    )
    day_end = forms.TimeField(
        label=_("Working day ends at (WIB)"),
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Enter the time the working day ends."),
            "invalid": _("Enter a time such as 16:00."),
        },
    )
    include_cuti_bersama = forms.BooleanField(
        label=_("Cuti bersama days are days off too"),
        required=False,
        help_text=_(
            "The joint leave days set each year by the government, besides the public holidays."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("day_start"), cleaned.get("day_end")
        if start is not None and end is not None and end <= start:
            self.add_error(
                "day_end",
                ValidationError(
                    _("The working day must end after it starts (%(start)s).")
                    % {"start": start.strftime("%H:%M")},
                    code="day_order",
                ),
            )
        return cleaned
