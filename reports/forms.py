"""Forms of the report pages; the workflow's rules are in :mod:`reports.services`."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FACILITIES, SECTIONS


class ReportCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2022)


class NarrativeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    policy_overview = forms.CharField(
        label=_("a. General overview of the policy"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "How the agency runs its information service on social media: aims, who does "
            "what, how messages are prepared and approved. The accounts, decrees and SOP are "
            "listed from the registry."
        ),
    )
    constraints_external = forms.CharField(
        label=_("g. External constraints"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    constraints_internal = forms.CharField(
        label=_("g. Internal constraints"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    recommendations_text = forms.CharField(
        label=_("h. Recommendations and follow-up plan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The recommendations recorded in the portal this year are listed with it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in FACILITIES.items():
            self.fields[f"facility_{key}"] = forms.BooleanField(
                label=label, required=False, help_text=_("Available (Pasal 14)")
            )

    def facilities(self) -> dict[str, bool]:
        return {key: self.cleaned_data[f"facility_{key}"] for key in FACILITIES}


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("What should be revised"), widget=forms.Textarea(attrs={"rows": 3})
    )


class EvaluationForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Overall conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, scoring: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for letter, label in SECTIONS.items():
            self.fields[f"{letter}_findings"] = forms.CharField(
                label=f"{letter}. {label}: " + str(_("findings")),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"{letter}_recommendations"] = forms.CharField(
                label=f"{letter}. " + str(_("recommendations")),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            if scoring:
                self.fields[f"{letter}_score"] = forms.TypedChoiceField(
                    label=f"{letter}. " + str(_("score (1–5)")),
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[("", "—")] + [(n, str(n)) for n in range(1, 6)],
                )

    def sections(self) -> dict[str, dict]:
        data = self.cleaned_data
        return {
            letter: {
                "findings": data.get(f"{letter}_findings", ""),
                "recommendations": data.get(f"{letter}_recommendations", ""),
                "score": data.get(f"{letter}_score"),
            }
            for letter in SECTIONS
        }


def default_year(today: dt.date) -> int:
    """The report most likely wanted: last year's until the reminder season of this one."""
    return today.year if today.month == 12 else today.year - 1
