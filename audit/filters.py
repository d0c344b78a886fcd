"""Search and filters of the audit log (django-filter).

The log holds no citizen data (see :mod:`audit.models`), so the search runs over the
record's name and id, the actor's user name and the note (the reason given).
"""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency

from .models import AuditEvent

# The actions a person searches for most; others are found by the free-text search.
ACTION_CHOICES = [
    ("reveal_contact", _("Contact revealed")),
    ("export", _("Export (citizens masked)")),
    ("export_personal_data", _("Export with personal data")),
    ("anonymise", _("Anonymised")),
    ("correct_personal_data", _("Personal data corrected")),
    ("create", _("Created")),
    ("update", _("Changed")),
    ("delete", _("Deleted")),
]

RECORD_CHOICES = [
    ("inquiries.inquiry", _("Inquiry")),
    ("privacy.subjectrequest", _("Subject request")),
    ("reports.annualreport", _("Annual report")),
    ("accounts.officialaccount", _("Official account")),
    ("accounts.decree", _("Decree")),
    ("accounts.appointment", _("Appointment")),
    ("accounts.agency", _("Agency")),
    ("accounts.user", _("User")),
]


class AuditFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    aksi = django_filters.ChoiceFilter(
        label=_("Action"), field_name="action", choices=ACTION_CHOICES, empty_label=_("All")
    )
    jenis = django_filters.ChoiceFilter(
        label=_("Record type"),
        field_name="object_type",
        choices=RECORD_CHOICES,
        empty_label=_("All"),
    )
    instansi = django_filters.ModelChoiceFilter(
        label=_("Agency"),
        field_name="agency",
        queryset=Agency.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("All"),
    )
    dari = django_filters.DateFilter(
        label=_("From"), method="since", widget=forms.DateInput(attrs={"type": "date"})
    )
    sampai = django_filters.DateFilter(
        label=_("Until"), method="until", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        condition = (
            Q(object_repr__icontains=value)
            | Q(actor__username__icontains=value)
            | Q(actor__full_name__icontains=value)
            | Q(note__icontains=value)
        )
        if value.isdigit():
            condition |= Q(object_id=value)
        return queryset.filter(condition)

    @staticmethod
    def _start_of(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    def since(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        return queryset.filter(at__gte=self._start_of(value))

    def until(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        return queryset.filter(at__lt=self._start_of(value + dt.timedelta(days=1)))
