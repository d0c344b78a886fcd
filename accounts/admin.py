from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Agency, User


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "is_dinas", "is_active")
    list_filter = ("is_dinas", "is_active")
    search_fields = ("name", "short_name", "slug")
    prepopulated_fields = {"slug": ("short_name",)}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "nip", "agency", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups", "agency")
    search_fields = ("username", "full_name", "nip", "email")
    ordering = ("username",)
    list_select_related = ("agency",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "nip", "email", "agency")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "agency", "password1", "password2"),
            },
        ),
    )
