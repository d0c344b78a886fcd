"""The Django admin of users, agencies and the registry.

The admin is a back door only if it skips the portal's rules, so it does not:

* a staff user who is not an administrator sees and edits only their own agency's
  rows, and can point a record only at their own agency (:class:`ScopedAdminMixin`,
  built on :mod:`accounts.access`);
* registry saves go through the same services as the portal, so they are validated
  the same way and leave the same audit row;
* the ethics acknowledgement is the person's own act and cannot be typed in, and
  appointments, accounts and SOPs are never deleted (they end, are archived or are
  superseded).
"""

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from katingan_sosmed import clock

from .access import scope_for, scoped, visible_agencies
from .forms import AgencyForm, url_field
from .models import Agency, Appointment, Decree, OfficialAccount, Sop, User
from .roles import Role
from .services import appointment_create, registry_record_save
from .validators import validate_nip, validate_pdf


def _is_administrator(user) -> bool:
    return Role.ADMINISTRATOR in user.roles


def _today() -> dt.date:
    return timezone.localdate(clock.now())


# --- Scoping ------------------------------------------------------------------------


class ReadOnlyAdminMixin:
    """Viewable with the view permission; never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedAdminMixin:
    """Narrow a ModelAdmin to the agency scope of the signed-in staff user.

    ``scope_lookups`` are the paths from the model to its agency, as for
    :func:`accounts.access.scoped`. Administrators see and change every row; a
    Petugas or Pejabat with staff status only their agency's; the evaluator and
    Pimpinan see all and change nothing; a staff user with no role sees nothing.
    Foreign keys to agencies, decrees and people offer only rows in the same scope,
    so a record cannot be moved to another agency.
    """

    scope_lookups: tuple[str, ...] = ("agency",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user, lookups=self.scope_lookups)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if related is Agency:
            kwargs["queryset"] = visible_agencies(request.user)
        elif related is Decree:
            kwargs["queryset"] = scoped(
                Decree.objects.select_related("agency"), request.user
            ).order_by("agency__name", "-valid_from")
        elif related is User:
            kwargs["queryset"] = scoped(User.objects.all(), request.user).order_by("full_name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def agency_id_of(self, obj) -> int | None:
        lookup = self.scope_lookups[0]
        if lookup == "pk":
            return obj.pk
        *path, last = lookup.split("__")
        for part in path:
            obj = getattr(obj, part)
        return getattr(obj, f"{last}_id")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and scope_for(request.user).can_write

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        scope = scope_for(request.user)
        if obj is None:
            return scope.can_write
        return scope.may_write_agency(self.agency_id_of(obj))

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        scope = scope_for(request.user)
        if obj is None:
            return scope.can_write
        return scope.may_write_agency(self.agency_id_of(obj))


class RegistryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Saves through :func:`accounts.services.registry_record_save` (validated, audited)."""

    def save_model(self, request, obj, form, change):
        registry_record_save(form=form, by=request.user, now=clock.now())

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="delete", obj=obj, note="admin", now=clock.now())
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


class SameAgencyFormMixin:
    """Refuse a related row (decree, person) that belongs to another agency."""

    same_agency_fields: tuple[str, ...] = ("decree",)

    def clean(self):
        cleaned = super().clean()
        agency = cleaned.get("agency") or getattr(self.instance, "agency", None)
        if agency is None:
            return cleaned
        for name in self.same_agency_fields:
            related = cleaned.get(name)
            if related is not None and related.agency_id != agency.pk:
                self.add_error(name, _("This belongs to another agency."))
        return cleaned


class PdfDocumentFormMixin:
    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "content_type"):
            validate_pdf(document)
        return document


# --- Agencies and users -------------------------------------------------------------


class AgencyAdminForm(AgencyForm):
    """The portal's agency form (topics as comma-separated text) plus the admin's fields."""

    class Meta(AgencyForm.Meta):
        fields = [
            "name",
            "short_name",
            "slug",
            "kind",
            "is_dinas",
            "is_active",
            "email",
            "phone",
            "address",
            "website",
            "authority_topics",
        ]


@admin.register(Agency)
class AgencyAdmin(RegistryAdmin):
    form = AgencyAdminForm
    scope_lookups = ("pk",)
    list_display = ("name", "short_name", "kind", "topics", "is_dinas", "is_active")
    list_filter = ("is_dinas", "is_active", "kind")
    search_fields = ("name", "short_name", "slug")
    prepopulated_fields = {"slug": ("short_name",)}

    @admin.display(description=_("topics of authority"))
    def topics(self, obj: Agency) -> str:
        shown = ", ".join(obj.authority_topics[:5])
        return f"{shown}, …" if len(obj.authority_topics) > 5 else shown

    def get_readonly_fields(self, request, obj=None):
        if _is_administrator(request.user):
            return ()
        # What makes an agency an agency (and the Dinas) is the administrator's.
        return ("name", "slug", "is_dinas", "is_active")

    def get_prepopulated_fields(self, request, obj=None):
        return (
            super().get_prepopulated_fields(request, obj) if _is_administrator(request.user) else {}
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and _is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _is_administrator(request.user)


@admin.register(User)
class UserAdmin(ScopedAdminMixin, BaseUserAdmin):
    list_display = ("username", "full_name", "nip", "agency", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups", ("agency", admin.RelatedOnlyFieldListFilter))
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

    def get_readonly_fields(self, request, obj=None):
        fields = ("last_login", "date_joined")
        if request.user.is_superuser:
            return fields
        # Only a superuser grants roles and powers; anyone else could promote themselves.
        return (*fields, "is_staff", "is_superuser", "groups", "user_permissions")


# --- The registry -------------------------------------------------------------------


class DecreeValidityFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "berlaku"

    def lookups(self, request, model_admin):
        return [
            ("valid", _("Valid today")),
            ("expiring", _("Expiring soon (reminders sent)")),
            ("expired", _("Expired")),
            ("future", _("Not yet in force")),
        ]

    def queryset(self, request, queryset):
        today = _today()
        if self.value() == "valid":
            return queryset.valid_on(today)
        if self.value() == "expiring":
            return queryset.filter(
                valid_from__lte=today,
                valid_until__gte=today,
                valid_until__lte=today + dt.timedelta(days=max(settings.DECREE_REMINDER_DAYS)),
            )
        if self.value() == "expired":
            return queryset.filter(valid_until__lt=today)
        if self.value() == "future":
            return queryset.filter(valid_from__gt=today)
        return queryset


class DecreeAdminForm(PdfDocumentFormMixin, forms.ModelForm):
    class Meta:
        model = Decree
        fields = ["agency", "number", "title", "signed_on", "valid_from", "valid_until", "document"]

    def clean(self):
        cleaned = super().clean()
        agency, number = cleaned.get("agency"), cleaned.get("number")
        if agency and number:
            # As in the portal's form: the database compares numbers case-sensitively.
            clash = Decree.objects.filter(agency=agency, number__iexact=number.strip())
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("number", _("This agency already has a decree with this number."))
        return cleaned


@admin.register(Decree)
class DecreeAdmin(RegistryAdmin):
    form = DecreeAdminForm
    list_display = ("number", "title", "agency", "valid_from", "valid_until", "valid_today")
    list_filter = (DecreeValidityFilter, ("agency", admin.RelatedOnlyFieldListFilter))
    search_fields = ("number", "title", "agency__name", "agency__short_name")
    list_select_related = ("agency",)
    date_hierarchy = "valid_from"
    readonly_fields = ("created_by", "created_at")
    fields = (
        "agency",
        "number",
        "title",
        "signed_on",
        "valid_from",
        "valid_until",
        "document",
        "created_by",
        "created_at",
    )

    @admin.display(description=_("valid today"), boolean=True)
    def valid_today(self, obj: Decree) -> bool:
        return obj.is_valid_on(_today())


class AppointmentAdminForm(SameAgencyFormMixin, forms.ModelForm):
    same_agency_fields = ("decree", "user")

    class Meta:
        model = Appointment
        fields = ["user", "agency", "role", "decree", "starts_on", "ends_on"]

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("user")
        if person is not None and "user" in self.fields:
            try:
                validate_nip(person.nip)
            except ValidationError:
                self.add_error(
                    "user", _("A petugas or pejabat is a civil servant (ASN) with a valid NIP.")
                )
        decree, start = cleaned.get("decree"), cleaned.get("starts_on")
        if (
            decree
            and start
            and not (
                decree.valid_from <= start
                and (decree.valid_until is None or start <= decree.valid_until)
            )
        ):
            self.add_error("starts_on", _("The appointment must start while its decree is valid."))
        return cleaned


class EthicsFilter(admin.SimpleListFilter):
    title = _("ethics acknowledged")
    parameter_name = "etika"

    def lookups(self, request, model_admin):
        return [("yes", _("Acknowledged")), ("no", _("Not yet"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(ethics_acknowledged_at__isnull=self.value() == "no")
        return queryset


@admin.register(Appointment)
class AppointmentAdmin(RegistryAdmin):
    form = AppointmentAdminForm
    list_display = (
        "user",
        "role",
        "agency",
        "decree",
        "starts_on",
        "ends_on",
        "ethics_acknowledged_at",
    )
    list_filter = ("role", EthicsFilter, ("agency", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__full_name", "user__username", "user__nip", "decree__number")
    list_select_related = ("user", "agency", "decree")
    date_hierarchy = "starts_on"
    fields = (
        "user",
        "agency",
        "role",
        "decree",
        "starts_on",
        "ends_on",
        "ethics_acknowledged_at",
        "created_by",
        "created_at",
    )

    def get_readonly_fields(self, request, obj=None):
        # The acknowledgement is the person's own act (Pasal 12-13), recorded when
        # they accept it in the portal; who holds which role is fixed once recorded.
        fields = ("ethics_acknowledged_at", "created_by", "created_at")
        if obj is not None:
            fields = ("user", "agency", "role", *fields)
        return fields

    def save_model(self, request, obj, form, change):
        if change:
            registry_record_save(form=form, by=request.user, now=clock.now())
        else:
            appointment_create(form=form, by=request.user, now=clock.now())

    def has_delete_permission(self, request, obj=None):
        return False  # ended, never deleted


class OfficialAccountAdminForm(SameAgencyFormMixin, forms.ModelForm):
    url = url_field(OfficialAccount, "url")

    class Meta:
        model = OfficialAccount
        fields = [
            "agency",
            "account_type",
            "platform",
            "handle",
            "url",
            "target_audience",
            "decree",
            "status",
        ]

    def clean(self):
        cleaned = super().clean()
        platform, handle = cleaned.get("platform"), cleaned.get("handle")
        if platform and handle:
            bare = handle.strip().removeprefix("@")
            clash = OfficialAccount.objects.filter(
                Q(handle__iexact=bare) | Q(handle__iexact=f"@{bare}"), platform=platform
            )
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("handle", _("This account is already registered on this platform."))
        return cleaned


@admin.register(OfficialAccount)
class OfficialAccountAdmin(RegistryAdmin):
    form = OfficialAccountAdminForm
    list_display = ("handle", "platform", "account_type", "agency", "decree", "status")
    list_filter = (
        "status",
        "platform",
        "account_type",
        ("agency", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("handle", "url", "agency__name", "agency__short_name")
    list_select_related = ("agency", "decree")
    readonly_fields = ("created_at", "updated_at")

    def has_delete_permission(self, request, obj=None):
        return False  # archived, never deleted


class SopAdminForm(PdfDocumentFormMixin, forms.ModelForm):
    class Meta:
        model = Sop
        fields = ["agency", "title", "effective_from", "document"]


@admin.register(Sop)
class SopAdmin(RegistryAdmin):
    form = SopAdminForm
    list_display = ("title", "agency", "effective_from", "uploaded_at")
    list_filter = (("agency", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("title", "agency__name", "agency__short_name")
    list_select_related = ("agency",)
    date_hierarchy = "effective_from"
    fields = ("agency", "title", "effective_from", "document", "uploaded_by", "uploaded_at")
    readonly_fields = ("uploaded_by", "uploaded_at")

    def has_delete_permission(self, request, obj=None):
        return False  # every version is kept; a newer one supersedes it
