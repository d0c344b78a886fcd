"""Search, filters and ordering of the post and recommendation lists (django-filter),
on the querysets already scoped by :mod:`publications.selectors`."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.access import scope_for, scoped
from accounts.filters import RegistryFilterSet, StableOrderingFilter, agency_choice_filter
from accounts.models import OfficialAccount, Platform
from katingan_sosmed.clock import local_midnight

from .models import MediaType, Post, PostCategory, PostStatus, Recommendation, RecommendationStatus


def _accounts(request) -> QuerySet[OfficialAccount]:
    if request is None:
        return OfficialAccount.objects.none()
    return scoped(OfficialAccount.objects.select_related("agency"), request.user).order_by(
        "agency__short_name", "platform", "handle"
    )


class AccountField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OfficialAccount) -> str:
        return f"{obj.agency.short_name} · {obj.get_platform_display()} · {obj.handle}"


class AccountChoice(django_filters.ModelChoiceFilter):
    field_class = AccountField

    def __init__(self, **kwargs):
        super().__init__(
            field_name="account",
            label=_("Official account"),
            queryset=_accounts,
            empty_label=_("All accounts"),
            **kwargs,
        )


class PostFilter(RegistryFilterSet):
    search_fields = ("text", "tags", "url", "platform_post_id")

    instansi = agency_choice_filter()
    akun = AccountChoice()
    platform = django_filters.ChoiceFilter(
        field_name="account__platform",
        label=_("Platform"),
        choices=Platform.choices,
        empty_label=_("All platforms"),
    )
    kategori = django_filters.ChoiceFilter(
        field_name="category",
        label=_("Category (Pasal 10)"),
        choices=PostCategory.choices,
        empty_label=_("All categories"),
    )
    status = django_filters.ChoiceFilter(
        field_name="status",
        label=_("Status"),
        choices=PostStatus.choices,
        empty_label=_("All statuses"),
    )
    media = django_filters.ChoiceFilter(
        field_name="media_type",
        label=_("Media type"),
        choices=MediaType.choices,
        empty_label=_("All media types"),
    )
    dari = django_filters.DateFilter(
        label=_("Published from"),
        method="published_from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sampai = django_filters.DateFilter(
        label=_("Published until"),
        method="published_until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    urutan = StableOrderingFilter(
        label=_("Order by"),
        fields=(
            ("published_at", "terbit"),
            ("planned_at", "rencana"),
            ("created_at", "dibuat"),
            ("agency__name", "instansi"),
            ("status", "status"),
        ),
        field_labels={
            "published_at": _("Published at"),
            "planned_at": _("Planned for"),
            "created_at": _("Created at"),
            "agency__name": _("Agency"),
            "status": _("Status"),
        },
        empty_label=_("Default order"),
    )

    class Meta:
        model = Post
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Regency roles see published posts only: a status filter would be noise.
        if self.request is not None and not scope_for(self.request.user).can_write:
            self.filters.pop("status", None)
            self.form.fields.pop("status", None)

    def published_from(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        return queryset.filter(published_at__gte=local_midnight(value))

    def published_until(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        return queryset.filter(published_at__lt=local_midnight(value + dt.timedelta(days=1)))


class RecommendationFilter(RegistryFilterSet):
    search_fields = ("title", "body", "follow_up")

    instansi = agency_choice_filter()
    status = django_filters.ChoiceFilter(
        field_name="status",
        label=_("Status"),
        choices=RecommendationStatus.choices,
        empty_label=_("All statuses"),
    )
    urutan = StableOrderingFilter(
        label=_("Order by"),
        fields=(("created_at", "dicatat"), ("updated_at", "diubah"), ("agency__name", "instansi")),
        field_labels={
            "created_at": _("Recorded at"),
            "updated_at": _("Last change"),
            "agency__name": _("Agency"),
        },
        empty_label=_("Default order"),
    )

    class Meta:
        model = Recommendation
        fields: list[str] = []
