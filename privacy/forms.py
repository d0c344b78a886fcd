"""Forms of the subject requests; the rules themselves live in :mod:`privacy.services`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from inquiries.models import Inquiry

from .models import SubjectRequest, SubjectRequestStatus

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SubjectRequestForm(forms.ModelForm):
    class Meta:
        model = SubjectRequest
        fields = ["kind", "requester_name", "identifier", "received_at", "received_via", "details"]
        widgets = {"received_at": DATETIME_WIDGET, "details": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "requester_name": {"required": _("Write the citizen's name.")},
            "identifier": {"required": _("Write the handle or contact the citizen used.")},
            "received_at": {"required": _("When did the request arrive?")},
        }


class _ChosenInquiries(forms.Form):
    """Which of the found inquiries the step applies to (a handle can have namesakes)."""

    inquiries = forms.ModelMultipleChoiceField(
        label=_("Inquiries"),
        queryset=Inquiry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one inquiry.")},
    )

    def __init__(self, *args, found, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inquiries"].queryset = found


class CorrectionForm(_ChosenInquiries):
    author_name = forms.CharField(
        label=_("Corrected name or handle"),
        max_length=150,
        error_messages={"required": _("The corrected name cannot be empty.")},
    )
    author_contact = forms.CharField(label=_("Corrected contact"), max_length=150, required=False)


class ErasureForm(_ChosenInquiries):
    confirm = forms.BooleanField(
        label=_(
            "I understand that the citizen's name, contact and link are removed for good; "
            "the inquiries stay in the figures."
        ),
        error_messages={"required": _("Confirm the anonymisation first.")},
    )


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (SubjectRequestStatus.DONE, SubjectRequestStatus.DONE.label),
            (SubjectRequestStatus.REFUSED, SubjectRequestStatus.REFUSED.label),
        ],
    )
    resolution = forms.CharField(
        label=_("Answer to the citizen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Write the answer given to the citizen.")},
    )
