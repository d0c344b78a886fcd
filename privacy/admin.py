"""Subject requests and retention runs in the admin: read-only, since every change
goes through :mod:`privacy.services` (which writes the audit trail)."""

from django.contrib import admin

from .models import RetentionRun, SubjectRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SubjectRequest)
class SubjectRequestAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "status", "received_at", "due_at", "resolved_at")
    list_filter = ("kind", "status")
    date_hierarchy = "received_at"
    # The citizen's name, handle and details are for evaluators, in the portal only.
    exclude = ("requester_name", "identifier", "details", "resolution")


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "cutoff", "retention_days", "inquiries", "subject_requests")
    date_hierarchy = "started_at"
