from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail can be searched, never edited or deleted."""

    list_display = ("at", "actor", "action", "object_type", "object_repr", "agency")
    list_filter = ("action", "object_type", "agency")
    search_fields = ("object_repr", "object_id", "actor__username", "note")
    date_hierarchy = "at"
    list_select_related = ("actor", "agency")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
