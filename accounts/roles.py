"""The portal's roles, kept as Django groups (created by a data migration).

A role is what the portal lets a person do. Whether a person is an *official*
petugas or pejabat under Pasal 8 huruf d is a separate fact, recorded by an
appointment backed by a decree of the agency head (the registry).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The value is the name of the Django group that carries the role."""

    PETUGAS = "Petugas", _("Officer (Petugas)")
    PEJABAT = "Pejabat", _("Responsible official (Pejabat)")
    EVALUATOR = "Evaluator Diskominfo", _("Diskominfo evaluator")
    PIMPINAN = "Pimpinan", _("Regency leadership (Pimpinan)")
    ADMINISTRATOR = "Administrator", _("Administrator")


# Roles whose holders work for one agency and see only that agency.
AGENCY_ROLES = frozenset({Role.PETUGAS, Role.PEJABAT})
# Roles that see every agency.
REGENCY_ROLES = frozenset({Role.EVALUATOR, Role.PIMPINAN, Role.ADMINISTRATOR})
# Who takes the pejabat's decisions (approve a post, record a recommendation, submit the
# annual report): the agency's pejabat, or an administrator.
APPROVER_ROLES = frozenset({Role.PEJABAT, Role.ADMINISTRATOR})
# Who takes Diskominfo's evaluation steps of the annual reports (Pasal 16).
EVALUATOR_ROLES = frozenset({Role.EVALUATOR, Role.ADMINISTRATOR})
