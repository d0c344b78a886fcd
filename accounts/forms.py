"""Forms of the registry. They validate input only; services write.

The agency of every record is fixed by the view from the user's scope, never
taken from the POST body, so a crafted ``agency`` field changes nothing.
"""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import (
    Agency,
    Appointment,
    AppointmentRole,
    Decree,
    OfficialAccount,
    Platform,
    Sop,
    User,
)
from .validators import validate_nip, validate_pdf

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def url_field(model, name: str, **kwargs) -> forms.URLField:
    """The model's URL field as a form field that assumes https for a bare domain.

    Declared on the form rather than generated: Django 5.x warns (an error under the
    test settings) when a generated URLField does not name its scheme.
    """
    return model._meta.get_field(name).formfield(assume_scheme="https", **kwargs)


class AgencyForm(forms.ModelForm):
    """What an agency may change about itself (name and Dinas flag are the admin's)."""

    website = url_field(Agency, "website")

    authority_topics = forms.CharField(
        label=_("Topics of authority"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Separate keywords with commas, for example: KTP, kartu keluarga, akta."),
    )

    class Meta:
        model = Agency
        fields = ["short_name", "kind", "email", "phone", "address", "website", "authority_topics"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["authority_topics"] = ", ".join(self.instance.authority_topics)

    def clean_authority_topics(self) -> list[str]:
        raw = self.cleaned_data["authority_topics"] or ""
        topics: list[str] = []
        for part in re.split(r"[,\n;]", raw):
            topic = " ".join(part.split()).lower()
            if topic and topic not in topics:
                topics.append(topic[:60])
        if len(topics) > 50:
            raise ValidationError(_("At most 50 topics."))
        return topics


class AgencyBoundForm(forms.ModelForm):
    """A registry form whose agency comes from the view, not from the request."""

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.instance.agency = agency


class DecreeForm(AgencyBoundForm):
    class Meta:
        model = Decree
        fields = ["number", "title", "signed_on", "valid_from", "valid_until", "document"]
        widgets = {
            "signed_on": DATE_WIDGET,
            "valid_from": DATE_WIDGET,
            "valid_until": DATE_WIDGET,
        }
        help_texts = {
            "number": _("As written on the decree, for example 800/123/DINKES/2025."),
            "valid_until": _("Leave empty when the decree has no end date."),
        }

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "content_type"):
            validate_pdf(document)
        return document

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        signed = cleaned.get("signed_on")
        if start and end and end < start:
            self.add_error("valid_until", _("A decree cannot end before it starts."))
        if signed and start and signed > start + dt.timedelta(days=366):
            self.add_error("signed_on", _("The signing date is far after the start; check it."))
        number = cleaned.get("number")
        if number:
            clash = Decree.objects.filter(agency=self.agency, number__iexact=number.strip())
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("number", _("This agency already has a decree with this number."))
        return cleaned


class AppointmentForm(AgencyBoundForm):
    class Meta:
        model = Appointment
        fields = ["user", "role", "decree", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, agency=agency, **kwargs)
        self.fields["user"].queryset = User.objects.filter(agency=agency, is_active=True)
        self.fields["user"].help_text = _(
            "People with a portal account in this agency. Accounts are issued by the "
            "portal administrator at Diskominfo."
        )
        self.fields["decree"].queryset = Decree.objects.filter(agency=agency)
        self.fields["role"].choices = AppointmentRole.choices

    def clean_user(self):
        user = self.cleaned_data["user"]
        try:
            validate_nip(user.nip)
        except ValidationError as error:
            raise ValidationError(
                _(
                    "A petugas or pejabat is a civil servant (ASN): %(name)s needs a valid NIP "
                    "in the portal first. %(reason)s"
                ),
                params={"name": user.get_full_name(), "reason": " ".join(error.messages)},
            ) from None
        return user

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        decree = cleaned.get("decree")
        if start and end and end < start:
            self.add_error("ends_on", _("An appointment cannot end before it starts."))
        if decree and start and start < decree.valid_from:
            self.add_error("starts_on", _("The appointment cannot start before its decree."))
        if decree and start and decree.valid_until and start > decree.valid_until:
            self.add_error("starts_on", _("The decree has already expired on this date."))
        return cleaned


class AppointmentEndForm(forms.Form):
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE_WIDGET)


class OfficialAccountForm(AgencyBoundForm):
    url = url_field(OfficialAccount, "url")

    class Meta:
        model = OfficialAccount
        fields = [
            "account_type",
            "platform",
            "handle",
            "url",
            "target_audience",
            "decree",
        ]
        widgets = {"target_audience": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, agency=agency, **kwargs)
        self.fields["decree"].queryset = Decree.objects.filter(agency=agency)

    def clean_handle(self) -> str:
        handle = " ".join(self.cleaned_data["handle"].split())
        if not re.fullmatch(r"@?[\w.\- ]{1,100}", handle):
            raise ValidationError(
                _("A handle holds letters, digits, dots, dashes and underscores only.")
            )
        return handle

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("https://", "http://")):
            raise ValidationError(_("Enter a web address that starts with https://."))
        return url

    def clean(self):
        cleaned = super().clean()
        platform, handle = cleaned.get("platform"), cleaned.get("handle")
        if platform and handle:
            # "@dinkes.katingan" and "dinkes.katingan" name the same account.
            bare = handle.removeprefix("@")
            clash = OfficialAccount.objects.filter(
                Q(handle__iexact=bare) | Q(handle__iexact=f"@{bare}"), platform=platform
            )
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "handle",
                    _("This account is already registered on %(platform)s.")
                    % {"platform": Platform(platform).label},
                )
        return cleaned


class SopForm(AgencyBoundForm):
    class Meta:
        model = Sop
        fields = ["title", "effective_from", "document"]
        widgets = {"effective_from": DATE_WIDGET}

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "content_type"):
            validate_pdf(document)
        return document


class OneTimeCodeForm(forms.Form):
    """The six-digit code of an authenticator app (TOTP), second step of signing in."""

    otp_token = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=12,
        help_text=_("Six digits; a new code appears every 30 seconds."),
    )

    def clean_otp_token(self) -> str:
        token = re.sub(r"\s", "", self.cleaned_data["otp_token"])
        if not re.fullmatch(r"\d{6}", token):
            raise ValidationError(_("Enter the six digits the app shows."))
        return token
