"""Annual reports in the Django admin: read-only and scoped, like posts and inquiries.

A report changes only through :mod:`reports.services`, which freezes its figures and
keeps its history; the admin shows reports, evaluations and built files."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import AnnualReport, Evaluation, ReportEvent, ReportFile


class ReportEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReportEvent
    fields = ("at", "actor", "action", "from_status", "to_status", "note")
    readonly_fields = fields
    extra = 0


@admin.register(AnnualReport)
class AnnualReportAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("agency", "year", "status", "submitted_at", "sent_at")
    list_filter = ("status", "year")
    search_fields = ("agency__name", "agency__short_name")
    list_select_related = ("agency",)
    exclude = ("snapshot",)
    inlines = [ReportEventInline]


@admin.register(Evaluation)
class EvaluationAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    scope_lookups = ("report__agency",)
    list_display = ("report", "evaluator", "completed_at")
    list_select_related = ("report__agency", "evaluator")


@admin.register(ReportFile)
class ReportFileAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    scope_lookups = ("report__agency",)  # regency files: regency roles only
    list_display = ("kind", "year", "report", "status", "requested_at", "finished_at")
    list_filter = ("kind", "status", "year")
    list_select_related = ("report__agency",)
    exclude = ("document",)


@admin.register(ReportEvent)
class ReportEventAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    scope_lookups = ("report__agency",)
    list_display = ("report", "action", "to_status", "actor", "at")
    list_filter = ("action", "to_status")
    list_select_related = ("report__agency", "actor")
