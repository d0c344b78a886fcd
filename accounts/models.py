"""Users and agencies."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .roles import Role


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


nip_format = RegexValidator(
    r"^\d{18}$", _("An NIP consists of exactly 18 digits."), code="nip_format"
)


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
        validators=[nip_format],
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
        names = {group.name for group in self.groups.all()}
        if self.is_superuser:
            names.add(Role.ADMINISTRATOR)
        return frozenset(names & set(Role.values))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))
