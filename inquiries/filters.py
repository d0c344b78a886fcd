"""Search, filters and ordering of the inquiry inbox and the answer library.

The filtersets take querysets already narrowed by :mod:`inquiries.selectors`; they
only narrow further. Ordering is an allow-list (a value outside it is a form error
and is ignored); without one the inbox is sorted by urgency. Parameters are
Indonesian like the paths: ``kotak``, ``q``, ``status``, ``jenis``, ``kanal``,
``terlambat``, ``dari``, ``sampai``, ``instansi``, ``urutan``.
"""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import scope_for, scoped, visible_agencies
from accounts.filters import RegistryFilterSet, StableOrderingFilter, agency_choice_filter
from accounts.models import Agency, OfficialAccount
from accounts.viewkit import filter_data

from .forms import account_label
from .models import Answer, Forwarding, Inquiry, InquiryKind, InquiryStatus
from .selectors import by_urgency, inbox

BOX_RECEIVED = "diterima"
BOX_FORWARDED = "diteruskan"
BOXES = {BOX_RECEIVED: "received", BOX_FORWARDED: "forwarded"}
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def box_from(value: str | None) -> str:
    """``?kotak=`` → the selector's box; anything unknown is the received box."""
    return BOX_FORWARDED if value == BOX_FORWARDED else BOX_RECEIVED


def _agencies(request) -> QuerySet[Agency]:
    if request is None:
        return Agency.objects.none()
    return visible_agencies(request.user)


def _channels(request) -> QuerySet[OfficialAccount]:
    if request is None:
        return OfficialAccount.objects.none()
    return scoped(OfficialAccount.objects.select_related("agency"), request.user).order_by(
        "agency__short_name", "platform", "handle", "pk"
    )


class InboxFilter(RegistryFilterSet):
    """``box`` (``diterima`` or ``diteruskan``) decides what the agency filter means:
    inquiries received by that agency, or forwarded to it. ``now`` decides "overdue".

    The box itself is chosen with the tabs; ``kotak`` is also a field here so the
    filter form keeps it when sent.
    """

    OVERDUE_CHOICES = (("ya", _("Overdue only")),)

    kotak = django_filters.ChoiceFilter(
        label=_("Inbox"),
        choices=((BOX_RECEIVED, _("Received by us")), (BOX_FORWARDED, _("Forwarded to us"))),
        method="filter_box",
        empty_label=None,
    )
    q = django_filters.CharFilter(label=_("Search"), method="search")
    instansi = django_filters.ModelChoiceFilter(
        label=_("Agency"),
        queryset=_agencies,
        to_field_name="slug",
        empty_label=_("All agencies"),
        method="filter_agency",
    )
    status = django_filters.ChoiceFilter(
        field_name="status",
        label=_("Status"),
        choices=InquiryStatus.choices,
        empty_label=_("All statuses"),
    )
    jenis = django_filters.ChoiceFilter(
        field_name="kind", label=_("Kind"), choices=InquiryKind.choices, empty_label=_("All kinds")
    )
    kanal = django_filters.ModelChoiceFilter(
        field_name="channel",
        label=_("Channel"),
        queryset=_channels,
        empty_label=_("All channels"),
    )
    terlambat = django_filters.ChoiceFilter(
        label=_("Deadline"),
        choices=OVERDUE_CHOICES,
        method="filter_overdue",
        empty_label=_("All"),
    )
    dari = django_filters.DateFilter(
        label=_("Received from"), method="filter_from", widget=DATE_WIDGET
    )
    sampai = django_filters.DateFilter(
        label=_("Received until"), method="filter_until", widget=DATE_WIDGET
    )
    urutan = StableOrderingFilter(
        label=_("Order by"),
        fields=(
            ("received_at", "diterima"),
            ("due_at", "tenggat"),
            ("status", "status"),
            ("tracking_code", "kode"),
        ),
        field_labels={
            "received_at": _("Received"),
            "due_at": _("Reply deadline"),
            "status": _("Status"),
            "tracking_code": _("Tracking code"),
        },
        empty_label=_("Most urgent first"),
    )

    class Meta:
        model = Inquiry
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, now: dt.datetime, box: str):
        super().__init__(data, queryset, request=request, today=timezone.localdate(now))
        self.now = now
        self.box = box
        self.all_agencies = request is not None and scope_for(request.user).all_agencies
        # Regency-wide roles see names masked: searching by name would reveal them.
        self.search_names = request is not None and not self.all_agencies

    def prepare_form(self, form) -> None:
        form.fields["kanal"].label_from_instance = (
            (lambda account: f"{account.agency.short_name} · {account_label(account)}")
            if self.all_agencies
            else account_label
        )

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        condition = Q()
        for term in value.split()[:5]:
            # Codes are stored in capitals: an exact match on the unique index, so each
            # branch of the OR has its index (the text and the name a trigram one).
            code = term.lstrip("#").upper()
            term_condition = Q(tracking_code=code) | Q(text__icontains=term)
            if self.search_names:
                term_condition |= Q(author_name__icontains=term)
            condition &= term_condition
        return queryset.filter(condition)

    def filter_box(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The view already chose the box's queryset (inquiries.selectors.inbox).
        return queryset

    def filter_agency(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        if self.box == BOX_FORWARDED:
            return queryset.filter(
                pk__in=Forwarding.objects.filter(to_agency=value).values("inquiry_id")
            )
        return queryset.filter(agency=value)

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(due_at__lt=self.now) if value == "ya" else queryset

    def _day_start(self, day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    def filter_from(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        return queryset.filter(received_at__gte=self._day_start(value))

    def filter_until(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        return queryset.filter(received_at__lt=self._day_start(value + dt.timedelta(days=1)))


class AnswerFilter(RegistryFilterSet):
    APPROVED_CHOICES = (("ya", _("Approved")), ("belum", _("Waiting for approval")))

    search_fields = ("question", "text", "topic")

    instansi = agency_choice_filter()
    topik = django_filters.CharFilter(
        field_name="topic", lookup_expr="iexact", label=_("Topic"), method="filter_topic"
    )
    disetujui = django_filters.ChoiceFilter(
        label=_("Approval"),
        choices=APPROVED_CHOICES,
        method="filter_approved",
        empty_label=_("All"),
    )
    urutan = StableOrderingFilter(
        label=_("Order by"),
        fields=(
            ("topic", "topik"),
            ("question", "pertanyaan"),
            ("times_used", "dipakai"),
            ("created_at", "dibuat"),
        ),
        field_labels={
            "topic": _("Topic"),
            "question": _("Typical question"),
            "times_used": _("Times used"),
            "created_at": _("Created"),
        },
        empty_label=_("Default order"),
    )

    class Meta:
        model = Answer
        fields: list[str] = []

    def filter_topic(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        topic = " ".join(value.split()).lower()
        return queryset.filter(topic__iexact=topic) if topic else queryset

    def filter_approved(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(is_approved=value == "ya")


def inbox_filterset(request, *, now: dt.datetime) -> tuple[InboxFilter, str]:
    """The user's inbox, most urgent first, filtered by the request's parameters, and the
    box it shows: what the inbox page lists and its exports download."""
    box = box_from(request.GET.get("kotak"))
    queryset = by_urgency(inbox(request.user, box=BOXES[box]))
    filterset = InboxFilter(filter_data(request), queryset, request=request, now=now, box=box)
    return filterset, box
