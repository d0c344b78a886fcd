"""Posts in the Django admin: read-only and scoped, like the inquiries.

Posts change only through the approval path of :mod:`publications.services`, which
keeps their history; the admin shows them to evaluators and administrators.
"""

from django.contrib import admin

from accounts.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import AudienceSnapshot, Post, PostEvent, PostMetric, PublicationPolicy, Recommendation


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


@admin.register(PostEvent)
class PostEventAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    scope_lookups = ("post__agency",)
    list_display = ("post", "action", "to_status", "actor", "at")
    list_filter = ("action", "to_status")
    list_select_related = ("post", "actor")
    date_hierarchy = "at"


@admin.register(PostMetric)
class PostMetricAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    scope_lookups = ("post__agency",)
    list_display = ("post", "read_on", "comments", "shares", "forwards", "source")
    list_filter = ("source",)
    search_fields = ("post__text", "post__platform_post_id")
    list_select_related = ("post",)
    date_hierarchy = "read_on"


@admin.register(AudienceSnapshot)
class AudienceSnapshotAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    scope_lookups = ("account__agency",)
    list_display = ("account", "taken_on", "followers", "source")
    list_filter = ("source", "account__platform")
    search_fields = ("account__handle", "account__agency__name")
    list_select_related = ("account__agency",)
    date_hierarchy = "taken_on"


@admin.register(Recommendation)
class RecommendationAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "agency", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("title", "body", "agency__name")
    list_select_related = ("agency",)
