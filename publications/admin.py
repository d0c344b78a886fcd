"""Posts in the Django admin: read-only and scoped, like the inquiries.

Posts change only through the approval path of :mod:`publications.services`, which
keeps their history; the admin shows them to evaluators and administrators.
"""

from django.contrib import admin

from accounts.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import Post, PostEvent, PublicationPolicy


class PostEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PostEvent
    fields = ("at", "actor", "action", "from_status", "to_status", "note")
    readonly_fields = fields
    extra = 0


@admin.register(Post)
class PostAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "agency", "account", "category", "status", "published_at")
    list_filter = ("status", "category", "media_type")
    search_fields = ("text", "platform_post_id")
    list_select_related = ("agency", "account")
    date_hierarchy = "published_at"
    inlines = [PostEventInline]


@admin.register(PublicationPolicy)
class PublicationPolicyAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("agency", "requires_approval")
