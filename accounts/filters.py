"""Search, filters and ordering of the registry lists (django-filter).

Every filterset takes the queryset already narrowed by :mod:`accounts.access`; the
filters only narrow it further. Ordering is an allow-list: a value outside it is a
form error and is ignored, never passed to ``order_by``. Query parameters are
Indonesian, like the URL paths: ``q``, ``instansi``, ``status``, ``urutan``.
"""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .access import scope_for, visible_agencies
from .models import (
    AccountStatus,
    AccountType,
    Agency,
    AgencyKind,
    Appointment,
    AppointmentRole,
    Decree,
    OfficialAccount,
    Platform,
    Sop,
)
from .viewkit import style_form

# Days before its end from which a decree counts as "expiring soon" in the decree list.
EXPIRING_SOON_DAYS = 30


class StableOrderingFilter(django_filters.OrderingFilter):
    """An allow-listed ordering with ``pk`` as the last key, so pages never overlap."""

    def filter(self, qs: QuerySet, value) -> QuerySet:
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "pk")
        return qs


def _agencies(request) -> QuerySet[Agency]:
    if request is None:
        return Agency.objects.none()
    return visible_agencies(request.user)


class RegistryFilterSet(django_filters.FilterSet):
    """Common parts: a free-text search and an agency filter for regency-wide roles.

    ``today`` is passed by the view (which read the clock once) for the filters
    that depend on the date.
    """

    q = django_filters.CharFilter(label=_("Search"), method="search")

    search_fields: tuple[str, ...] = ()

    def __init__(self, data=None, queryset=None, *, request=None, today: dt.date, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.today = today
        # An agency-bound user sees one agency: choosing it would only be noise.
        if "instansi" in self.filters and (
            request is None or not scope_for(request.user).all_agencies
        ):
            del self.filters["instansi"]

    @property
    def form(self) -> forms.Form:
        """The filter form, built when first asked for (to validate the query string or
        to draw the bar; an unfiltered list whose bar is remembered never builds it),
        styled and prepared (:meth:`prepare_form`)."""
        if not hasattr(self, "_form"):
            form = super().form
            self.prepare_form(form)
            style_form(form)
        return self._form

    def prepare_form(self, form: forms.Form) -> None:
        """Adjust the fields of a subclass's form (labels of choices and the like)."""

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        condition = Q()
        for term in value.split()[:5]:
            term_condition = Q()
            for field in self.search_fields:
                term_condition |= Q(**{f"{field}__icontains": term})
            condition &= term_condition
        return queryset.filter(condition)


def agency_choice_filter() -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name="agency",
        label=_("Agency"),
        queryset=_agencies,
        to_field_name="slug",
        empty_label=_("All agencies"),
    )


class AgencyFilter(RegistryFilterSet):
    ACTIVE_CHOICES = (("aktif", _("Active")), ("nonaktif", _("Inactive")))

    search_fields = ("name", "short_name", "slug")

    kind = django_filters.ChoiceFilter(
        field_name="kind", label=_("Kind"), choices=AgencyKind.choices, empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=ACTIVE_CHOICES,
        method="filter_active",
        empty_label=_("All"),
    )
    urutan = StableOrderingFilter(
        label=_("Order by"),
        fields=(("name", "nama"), ("short_name", "singkatan"), ("kind", "jenis")),
        field_labels={"name": _("Name"), "short_name": _("Short name"), "kind": _("Kind")},
        empty_label=_("Default order"),
    )

    class Meta:
        model = Agency
        fields: list[str] = []

    def filter_active(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(is_active=value == "aktif")


class OfficialAccountFilter(RegistryFilterSet):
    search_fields = ("handle", "url", "agency__name", "agency__short_name")

    instansi = agency_choice_filter()
    jenis = django_filters.ChoiceFilter(
        field_name="account_type",
        label=_("Type (Lampiran A)"),
        choices=AccountType.choices,
        empty_label=_("All types"),
    )
    platform = django_filters.ChoiceFilter(
        field_name="platform",
        label=_("Platform"),
        choices=Platform.choices,
        empty_label=_("All platforms"),
    )
    status = django_filters.ChoiceFilter(
        field_name="status",
        label=_("Status"),
        choices=AccountStatus.choices,
        empty_label=_("All statuses"),
    )
    urutan = StableOrderingFilter(
        label=_("Order by"),
        fields=(
            ("agency__name", "instansi"),
            ("platform", "platform"),
            ("handle", "akun"),
            ("status", "status"),
            ("updated_at", "diubah"),
        ),
        field_labels={
            "agency__name": _("Agency"),
            "platform": _("Platform"),
            "handle": _("Handle"),
            "status": _("Status"),
            "updated_at": _("Last change"),
        },
        empty_label=_("Default order"),
    )

    class Meta:
        model = OfficialAccount
        fields: list[str] = []


class DecreeFilter(RegistryFilterSet):
    VALIDITY_CHOICES = (
        ("berlaku", _("Valid today")),
        ("segera-berakhir", _("Expiring within 30 days")),
        ("berakhir", _("Expired")),
        ("belum-berlaku", _("Not yet valid")),
    )

    search_fields = ("number", "title", "agency__name", "agency__short_name")

    instansi = agency_choice_filter()
    keberlakuan = django_filters.ChoiceFilter(
        label=_("Validity"),
        choices=VALIDITY_CHOICES,
        method="filter_validity",
        empty_label=_("All"),
    )
    urutan = StableOrderingFilter(
        label=_("Order by"),
        fields=(
            ("valid_from", "mulai"),
            ("valid_until", "berakhir"),
            ("number", "nomor"),
            ("agency__name", "instansi"),
        ),
        field_labels={
            "valid_from": _("Valid from"),
            "valid_until": _("Valid until"),
            "number": _("Decree number"),
            "agency__name": _("Agency"),
        },
        empty_label=_("Default order"),
    )

    class Meta:
        model = Decree
        fields: list[str] = []

    def filter_validity(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = self.today
        if value == "berlaku":
            return queryset.valid_on(today)
        if value == "segera-berakhir":
            return queryset.valid_on(today).filter(
                valid_until__lte=today + dt.timedelta(days=EXPIRING_SOON_DAYS)
            )
        if value == "berakhir":
            return queryset.filter(valid_until__lt=today)
        if value == "belum-berlaku":
            return queryset.filter(valid_from__gt=today)
        return queryset


class AppointmentFilter(RegistryFilterSet):
    STATE_CHOICES = (
        ("aktif", _("Active today")),
        ("selesai", _("Ended or decree expired")),
        ("akan-datang", _("Starts later")),
    )

    search_fields = ("user__full_name", "user__username", "user__nip", "decree__number")

    instansi = agency_choice_filter()
    peran = django_filters.ChoiceFilter(
        field_name="role",
        label=_("Role"),
        choices=AppointmentRole.choices,
        empty_label=_("All roles"),
    )
    keadaan = django_filters.ChoiceFilter(
        label=_("State"),
        choices=STATE_CHOICES,
        method="filter_state",
        empty_label=_("All"),
    )
    urutan = StableOrderingFilter(
        label=_("Order by"),
        fields=(
            ("user__full_name", "nama"),
            ("role", "peran"),
            ("starts_on", "mulai"),
            ("ends_on", "berakhir"),
            ("agency__name", "instansi"),
        ),
        field_labels={
            "user__full_name": _("Name"),
            "role": _("Role"),
            "starts_on": _("Starts on"),
            "ends_on": _("Ends on"),
            "agency__name": _("Agency"),
        },
        empty_label=_("Default order"),
    )

    class Meta:
        model = Appointment
        fields: list[str] = []

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = self.today
        active = Appointment.objects.active_on(today).values("pk")
        if value == "aktif":
            return queryset.filter(pk__in=active)
        if value == "akan-datang":
            return queryset.filter(starts_on__gt=today)
        if value == "selesai":
            return queryset.exclude(pk__in=active).filter(starts_on__lte=today)
        return queryset


class SopFilter(RegistryFilterSet):
    search_fields = ("title", "agency__name", "agency__short_name")

    instansi = agency_choice_filter()
    urutan = StableOrderingFilter(
        label=_("Order by"),
        fields=(
            ("effective_from", "berlaku"),
            ("title", "judul"),
            ("agency__name", "instansi"),
        ),
        field_labels={
            "effective_from": _("Effective from"),
            "title": _("Title"),
            "agency__name": _("Agency"),
        },
        empty_label=_("Default order"),
    )

    class Meta:
        model = Sop
        fields: list[str] = []
