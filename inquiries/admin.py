"""The Django admin of inquiries: a window, not a back door.

* Inquiries, forwardings and their history are read-only here: every change goes
  through :mod:`inquiries.flow`, which checks the state, locks the row and writes
  the history. No add, change or delete.
* Rows are scoped like the portal (:class:`accounts.admin.ScopedAdminMixin`): a
  staff officer sees their agency's inquiries and those forwarded to it.
* The author's contact never appears in a list; on the detail page name and
  contact are masked (:mod:`inquiries.privacy`), since viewing them in full is an
  audited act of the portal, not of the admin.
* Library answers can be corrected (topic, question, text), audited; approval
  stays the portal's.
* Integration tokens can be listed and revoked (through
  :func:`inquiries.tokens.token_revoke`); the key hash is never shown.
"""

from urllib.parse import urlsplit

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.access import scope_for
from accounts.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from audit.services import audit_record, changed_fields
from katingan_sosmed import clock
from privacy.services import scrub

from . import tokens
from .models import (
    Answer,
    DailyCount,
    DeadlineCalendar,
    Forwarding,
    ForwardingDailyCount,
    Inquiry,
    InquiryEvent,
    IntegrationToken,
)
from .privacy import mask_contact, mask_name
from .selectors import INQUIRY_LOOKUPS


def _via_inquiry(agency_id: int) -> Q:
    """Rows of an inquiry forwarded to the agency (the inquiry scope, one hop away)."""
    return Q(inquiry__in=Forwarding.objects.filter(to_agency_id=agency_id).values("inquiry_id"))


class ForwardingInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Forwarding
    fk_name = "inquiry"
    extra = 0
    fields = (
        "from_agency",
        "to_agency",
        "status",
        "forwarded_at",
        "due_at",
        "replied_at",
        "closed_at",
    )
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("from_agency", "to_agency")


class InquiryEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = InquiryEvent
    extra = 0
    fields = ("at", "action", "from_status", "to_status", "actor", "agency", "note_masked")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "agency", "inquiry")

    @admin.display(description=_("note"))
    def note_masked(self, obj: InquiryEvent) -> str:
        return scrub(obj.note, obj.inquiry.author_name)


@admin.register(Inquiry)
class InquiryAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    scope_lookups = INQUIRY_LOOKUPS
    list_display = (
        "tracking_code",
        "kind",
        "status",
        "agency",
        "channel",
        "received_at",
        "due_at",
    )
    list_filter = ("status", "kind", ("agency", admin.RelatedOnlyFieldListFilter))
    # Exact, case-insensitive: a code is looked up, not searched in the text.
    search_fields = ("=tracking_code",)
    list_select_related = ("agency", "channel")
    date_hierarchy = "received_at"
    fields = (
        "tracking_code",
        "kind",
        "status",
        "agency",
        "channel",
        "author",
        "contact",
        "text_masked",
        "source_masked",
        "topics",
        "received_at",
        "recorded_at",
        "recorded_by",
        "due_at",
        "answer_masked",
        "answered_at",
        "answered_by",
        "closed_at",
        "dismiss_reason",
        "duplicate_of",
    )
    readonly_fields = fields
    inlines = (ForwardingInline, InquiryEventInline)

    @admin.display(description=_("author (masked)"))
    def author(self, obj: Inquiry) -> str:
        return mask_name(obj.author_name)

    @admin.display(description=_("contact (masked)"))
    def contact(self, obj: Inquiry) -> str:
        return mask_contact(obj.author_contact)

    @admin.display(description=_("text (contacts masked)"))
    def text_masked(self, obj: Inquiry) -> str:
        return scrub(obj.text, obj.author_name)

    @admin.display(description=_("answer (contacts masked)"))
    def answer_masked(self, obj: Inquiry) -> str:
        return scrub(obj.answer_text, obj.author_name)

    @admin.display(description=_("link to the post"))
    def source_masked(self, obj: Inquiry) -> str:
        # The post's address names the citizen's account: its site only.
        return urlsplit(obj.source_url).netloc if obj.source_url else ""


@admin.register(Forwarding)
class ForwardingAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    scope_lookups = ("inquiry__agency", "from_agency", "to_agency")
    list_display = (
        "inquiry",
        "from_agency",
        "to_agency",
        "status",
        "forwarded_at",
        "due_at",
        "replied_at",
    )
    list_filter = ("status", ("to_agency", admin.RelatedOnlyFieldListFilter))
    search_fields = ("=inquiry__tracking_code",)
    list_select_related = ("inquiry", "from_agency", "to_agency")
    date_hierarchy = "forwarded_at"
    fields = (
        "inquiry",
        "from_agency",
        "to_agency",
        "forwarded_by",
        "forwarded_at",
        "due_at",
        "note_masked",
        "status",
        "reply_masked",
        "replied_by",
        "replied_at",
        "closed_at",
    )
    readonly_fields = fields

    @admin.display(description=_("note"))
    def note_masked(self, obj: Forwarding) -> str:
        return scrub(obj.note, obj.inquiry.author_name)

    @admin.display(description=_("reply"))
    def reply_masked(self, obj: Forwarding) -> str:
        return scrub(obj.reply_text, obj.inquiry.author_name)


@admin.register(InquiryEvent)
class InquiryEventAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    scope_lookups = ("inquiry__agency", _via_inquiry)
    list_display = ("at", "inquiry", "action", "from_status", "to_status", "actor", "agency")
    list_filter = ("action",)
    search_fields = ("=inquiry__tracking_code",)
    list_select_related = ("inquiry", "actor", "agency")
    date_hierarchy = "at"
    fields = (
        "inquiry",
        "at",
        "action",
        "from_status",
        "to_status",
        "actor",
        "agency",
        "forwarding",
        "note_masked",
    )
    readonly_fields = fields

    @admin.display(description=_("note"))
    def note_masked(self, obj: InquiryEvent) -> str:
        return scrub(obj.note, obj.inquiry.author_name)


@admin.register(Answer)
class AnswerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Corrections of a library answer's wording; approval is given in the portal."""

    list_display = ("topic", "question", "agency", "is_approved", "times_used")
    list_filter = ("is_approved", ("agency", admin.RelatedOnlyFieldListFilter))
    search_fields = ("topic", "question")
    list_select_related = ("agency",)
    fields = (
        "agency",
        "topic",
        "question",
        "text",
        "is_approved",
        "approved_by",
        "approved_at",
        "created_by",
        "created_at",
        "source_inquiry",
        "times_used",
    )
    readonly_fields = (
        "agency",
        "is_approved",
        "approved_by",
        "approved_at",
        "created_by",
        "created_at",
        "source_inquiry",
        "times_used",
    )
    EDITABLE = ["topic", "question", "text"]

    def has_add_permission(self, request):
        return False  # written in the portal, from an inquiry's answer

    def has_delete_permission(self, request, obj=None):
        return False  # inquiries that used it still point to it

    def save_model(self, request, obj, form, change):
        before = Answer.objects.get(pk=obj.pk)
        with transaction.atomic():
            obj.save(update_fields=self.EDITABLE)
            audit_record(
                actor=request.user,
                action="update",
                obj=obj,
                changes=changed_fields(before, obj, self.EDITABLE),
                note="admin",
                now=clock.now(),
            )


@admin.register(IntegrationToken)
class IntegrationTokenAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Tokens are made in the portal (the key is shown once there); here they are
    listed and revoked. ``key_hash`` is in no list, form or search."""

    list_display = ("name", "agency", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = (("agency", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "=prefix")
    list_select_related = ("agency",)
    fields = ("name", "agency", "prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ("revoke",)

    def has_revoke_permission(self, request) -> bool:
        opts = self.opts
        return scope_for(request.user).can_write and request.user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        )

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        scope = scope_for(request.user)
        now = clock.now()
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            if not scope.may_write_agency(token.agency_id):
                continue
            try:
                tokens.token_revoke(token=token, by=request.user, now=now)
            except tokens.TokenError:
                continue  # revoked meanwhile
            revoked += 1
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS if revoked else messages.WARNING,
        )


@admin.register(DeadlineCalendar)
class DeadlineCalendarAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The working calendar of the reply deadline, shown read-only: it is changed on
    its portal page (``inquiries:deadline_calendar``), which audits the change and
    re-derives the reminder marks of open forwardings."""

    list_display = ("__str__", "enabled", "day_start", "day_end", "include_cuti_bersama")
    fields = ("enabled", "day_start", "day_end", "include_cuti_bersama", "updated_by", "updated_at")
    readonly_fields = fields


@admin.register(DailyCount)
class DailyCountAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The dashboard's stored daily inquiry counters, read-only: they move with every
    inquiry (:mod:`inquiries.counts`) and are rebuilt by ``manage.py
    rebuild_inquiry_counts``."""

    list_display = (
        "day",
        "agency",
        "questions",
        "comments",
        "criticisms",
        "suggestions",
        "answered_directly",
        "forwarded",
    )
    list_filter = ("agency",)
    list_select_related = ("agency",)
    date_hierarchy = "day"
    fields = (*list_display, "week")
    readonly_fields = fields


@admin.register(ForwardingDailyCount)
class ForwardingDailyCountAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The stored daily forwarding counters of the 24-hour rates, read-only (as above)."""

    list_display = ("day", "agency", "total", "replied", "replied_on_time", "replied_late")
    list_filter = ("agency",)
    list_select_related = ("agency",)
    date_hierarchy = "day"
    fields = list_display
    readonly_fields = fields
