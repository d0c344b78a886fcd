"""Users, agencies and the registry of Pasal 8-9 and 11: who and what is official.

An account, petugas or pejabat is official only because a decree of the agency
head (Keputusan Kepala Instansi, Pasal 9 ayat 1) says so.
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from functools import cached_property
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .roles import Role
from .validators import validate_nip


class AgencyKind(models.TextChoices):
    SEKRETARIAT = "sekretariat", _("Secretariat")
    INSPEKTORAT = "inspektorat", _("Inspectorate")
    BADAN = "badan", _("Agency (Badan)")
    DINAS = "dinas", _("Service office (Dinas)")
    SATUAN = "satuan", _("Unit (Satuan)")
    RSUD = "rsud", _("Regional hospital (RSUD)")
    KECAMATAN = "kecamatan", _("District (Kecamatan)")
    KELURAHAN = "kelurahan", _("Urban village (Kelurahan)")
    LAINNYA = "lainnya", _("Other")


class Agency(models.Model):
    """A Perangkat Daerah (Pasal 1 angka 4): one unit of the regency government.

    Exactly one agency is the Dinas of Pasal 1 angka 5 (Diskominfo), through which
    reports reach the Bupati and which evaluates them (Pasal 15-16). The database
    allows at most one such agency.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    is_dinas = models.BooleanField(
        _("is the Dinas (Diskominfo)"),
        default=False,
        help_text=_("The Dinas of Pasal 1 angka 5, which receives and evaluates reports."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=AgencyKind.choices, default=AgencyKind.DINAS
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    authority_topics = models.JSONField(
        _("topics of authority"),
        default=list,
        blank=True,
        help_text=_("Keywords of the matters this agency is responsible for."),
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_dinas"],
                condition=Q(is_dinas=True),
                name="accounts_agency_single_dinas",
                violation_error_message=_("Another agency is already flagged as the Dinas."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in: an ASN officer, an evaluator, the Bupati's office.

    An ASN may carry an 18-digit NIP (Nomor Induk Pegawai). A user belongs to at
    most one agency; regency-wide roles (evaluator, Pimpinan) may belong to none.
    """

    first_name = None
    last_name = None
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        default="",
        validators=[validate_nip],
        help_text=_("Civil servant number (Nomor Induk Pegawai), 18 digits, if any."),
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["nip"], condition=~Q(nip=""), name="accounts_user_unique_nip"
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """Names of the roles (groups) this user holds; superusers hold Administrator."""
        return self.roles_among(group.name for group in self.groups.all())

    def roles_among(self, group_names: Iterable[str]) -> frozenset[str]:
        """The roles this user holds if they are in the groups ``group_names``."""
        names = set(group_names)
        if self.is_superuser:
            names.add(Role.ADMINISTRATOR)
        return frozenset(names & set(Role.values))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


def _document_path(folder: str, instance: models.Model, filename: str) -> str:
    """A generated name: the uploader's file name is never used on disk."""
    suffix = PurePath(filename).suffix.lower() or ".pdf"
    return f"{folder}/{instance.agency_id}/{uuid.uuid4().hex}{suffix}"


def decree_upload_to(instance: "Decree", filename: str) -> str:
    return _document_path("decrees", instance, filename)


def sop_upload_to(instance: "Sop", filename: str) -> str:
    return _document_path("sop", instance, filename)


class DecreeQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> "DecreeQuerySet":
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day), valid_from__lte=day
        )


class Decree(models.Model):
    """A Keputusan Kepala Instansi (Pasal 9 ayat 1).

    It designates the agency's official accounts and appoints its petugas and
    pejabat. The signed scan is kept as a PDF outside the web root.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="decrees"
    )
    number = models.CharField(_("decree number"), max_length=100)
    signed_on = models.DateField(_("date signed"))
    title = models.CharField(_("title"), max_length=255)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    document = models.FileField(_("signed scan (PDF)"), upload_to=decree_upload_to)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = DecreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("decree")
        verbose_name_plural = _("decrees")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"],
                name="accounts_decree_unique_number",
                violation_error_message=_("This agency already has a decree with this number."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="accounts_decree_period",
                violation_error_message=_("A decree cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["valid_until"], name="accounts_decree_until_idx")]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class AppointmentRole(models.TextChoices):
    PETUGAS = "petugas", _("Officer (Petugas)")
    PEJABAT = "pejabat", _("Responsible official (Pejabat)")


class AppointmentQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> "AppointmentQuerySet":
        """Appointments whose own dates and whose decree both cover ``day``."""
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
            Q(decree__valid_until__isnull=True) | Q(decree__valid_until__gte=day),
            starts_on__lte=day,
            decree__valid_from__lte=day,
        )


class Appointment(models.Model):
    """The appointment of a petugas or pejabat (Pasal 1 angka 8-9, Pasal 8 huruf d).

    Active only while its decree is valid and its own dates cover the day. On
    first sign-in after it the person acknowledges the ethics of Pasal 12-13.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="appointments"
    )
    role = models.CharField(_("role"), max_length=10, choices=AppointmentRole.choices)
    decree = models.ForeignKey(
        Decree, verbose_name=_("decree"), on_delete=models.PROTECT, related_name="appointments"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    ethics_acknowledged_at = models.DateTimeField(
        _("ethics acknowledged at"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["role", "user__full_name", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="accounts_appointment_period",
                violation_error_message=_("An appointment cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.agency.short_name})"

    def is_active_on(self, day: dt.date) -> bool:
        return (
            self.starts_on <= day
            and (self.ends_on is None or day <= self.ends_on)
            and self.decree.is_valid_on(day)
        )


class AccountType(models.TextChoices):
    """The six kinds of social media of Lampiran A."""

    BLOG = "blog", _("Blog")
    MICROBLOG = "microblog", _("Microblog")
    MEDIA_SHARING = "media_sharing", _("Media sharing")
    WIKI = "wiki", _("Wiki")
    FORUM = "forum", _("Forum")
    REVIEW = "review", _("Review site")


ACCOUNT_TYPE_DESCRIPTIONS = {
    AccountType.BLOG: _(
        "A site that publishes information, thoughts, ideas, experiences or the products and "
        "services of a person or institution; on its own domain, within the institution's "
        "site, or on a free host such as Blogger or WordPress."
    ),
    AccountType.MICROBLOG: _(
        "A site for short messages (at most 140 characters including spaces), such as "
        "Twitter and Plurk."
    ),
    AccountType.MEDIA_SHARING: _(
        "A site for sharing pictures, video or presentations, such as Flickr, YouTube and "
        "Slideshare."
    ),
    AccountType.WIKI: _(
        "A site where participants create a work together, such as Wikipedia, which anyone "
        "with better information can edit and correct."
    ),
    AccountType.FORUM: _(
        "A site where users discuss a particular topic; the most popular in Indonesia is Kaskus."
    ),
    AccountType.REVIEW: _(
        "A site that discusses what its participants like, such as Goodreads and Yelp."
    ),
}


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X (Twitter)"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    THREADS = "threads", "Threads"
    WORDPRESS = "wordpress", "WordPress"
    BLOGGER = "blogger", "Blogger"
    WEBSITE_BLOG = "website", _("Agency website (blog)")
    WIKIPEDIA = "wikipedia", "Wikipedia"
    KASKUS = "kaskus", "Kaskus"
    GOOGLE_MAPS = "google_maps", _("Google Maps reviews")
    OTHER = "other", _("Other")


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    ARCHIVED = "archived", _("Archived")


class OfficialAccount(models.Model):
    """An official social media account of an agency (Pasal 8 huruf b-c, Pasal 9).

    Official because a decree designates it; its type is one of Lampiran A.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="accounts"
    )
    account_type = models.CharField(
        _("type (Lampiran A)"), max_length=20, choices=AccountType.choices
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    handle = models.CharField(
        _("handle"), max_length=100, help_text=_("The account name, for example @dinkeskatingan.")
    )
    url = models.URLField(_("address (URL)"), max_length=300)
    target_audience = models.TextField(
        _("target audience"),
        blank=True,
        help_text=_("Who the account speaks to (Pasal 8 huruf a, technographic segmentation)."),
    )
    decree = models.ForeignKey(
        Decree,
        verbose_name=_("designating decree"),
        on_delete=models.PROTECT,
        related_name="accounts",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("official account")
        verbose_name_plural = _("official accounts")
        ordering = ["agency__name", "platform", "handle"]
        constraints = [
            models.UniqueConstraint(
                "platform",
                Lower("handle"),
                name="accounts_account_unique_handle",
                violation_error_message=_("This account is already registered on this platform."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.handle}"

    @property
    def type_description(self) -> str:
        return str(ACCOUNT_TYPE_DESCRIPTIONS[AccountType(self.account_type)])


class Sop(models.Model):
    """An agency's standard operating procedure for information service (Pasal 11).

    Every version is kept; the one in force is the latest whose effective date
    has come.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="sops"
    )
    title = models.CharField(_("title"), max_length=255)
    effective_from = models.DateField(_("effective from"))
    document = models.FileField(_("document (PDF)"), upload_to=sop_upload_to)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("SOP")
        verbose_name_plural = _("SOPs")
        ordering = ["-effective_from", "-pk"]

    def __str__(self) -> str:
        return self.title
