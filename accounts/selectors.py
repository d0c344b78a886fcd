"""Reads of the registry, including the one definition of an agency's compliance."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from .models import AccountStatus, Appointment, AppointmentRole, OfficialAccount, Sop


@dataclass(frozen=True)
class ComplianceItem:
    code: str
    label: str
    ok: bool
    detail: str = ""


@dataclass
class Compliance:
    """Whether an agency meets Pasal 8 huruf c-d, Pasal 9 and Pasal 11 today."""

    active_accounts: int = 0
    accounts_without_decree: int = 0
    active_pejabat: int = 0
    active_petugas: int = 0
    ethics_pending: int = 0
    sop_effective_from: dt.date | None = None
    items: list[ComplianceItem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(item.ok for item in self.items)

    def build_items(self) -> None:
        self.items = [
            ComplianceItem(
                "accounts_decree",
                str(_("Every active official account is designated by a valid decree")),
                self.active_accounts > 0 and self.accounts_without_decree == 0,
                str(
                    _("%(missing)s of %(total)s active accounts without a valid decree")
                    % {"missing": self.accounts_without_decree, "total": self.active_accounts}
                ),
            ),
            ComplianceItem(
                "pejabat",
                str(_("At least one responsible official (pejabat) appointed")),
                self.active_pejabat > 0,
                str(_("%(count)s active") % {"count": self.active_pejabat}),
            ),
            ComplianceItem(
                "petugas",
                str(_("At least one officer (petugas) appointed")),
                self.active_petugas > 0,
                str(_("%(count)s active") % {"count": self.active_petugas}),
            ),
            ComplianceItem(
                "sop",
                str(_("An SOP for information service in force (Pasal 11)")),
                self.sop_effective_from is not None,
                str(
                    _("in force since %(date)s")
                    % {"date": self.sop_effective_from.strftime("%d-%m-%Y")}
                )
                if self.sop_effective_from
                else "",
            ),
            ComplianceItem(
                "ethics",
                str(_("Every appointed person acknowledged the ethics of Pasal 12–13")),
                self.ethics_pending == 0,
                str(_("%(count)s not yet acknowledged") % {"count": self.ethics_pending}),
            ),
        ]


def valid_decree_q(prefix: str, day: dt.date) -> Q:
    """Rows whose decree (reached through ``prefix``) is valid on ``day``."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": day})
    )


def compliance_for(agency_ids: Iterable[int], *, day: dt.date) -> dict[int, Compliance]:
    """Compliance of each agency on ``day``, in four queries whatever their number."""
    ids = list(agency_ids)
    result = {agency_id: Compliance() for agency_id in ids}

    accounts = (
        OfficialAccount.objects.filter(agency_id__in=ids, status=AccountStatus.ACTIVE)
        .values("agency_id")
        .annotate(
            total=Count("pk"),
            with_decree=Count("pk", filter=valid_decree_q("decree__", day)),
        )
    )
    for row in accounts:
        entry = result[row["agency_id"]]
        entry.active_accounts = row["total"]
        entry.accounts_without_decree = row["total"] - row["with_decree"]

    appointments = (
        Appointment.objects.filter(agency_id__in=ids)
        .active_on(day)
        .values("agency_id")
        .annotate(
            pejabat=Count("user", filter=Q(role=AppointmentRole.PEJABAT), distinct=True),
            petugas=Count("user", filter=Q(role=AppointmentRole.PETUGAS), distinct=True),
            pending=Count("pk", filter=Q(ethics_acknowledged_at__isnull=True)),
        )
    )
    for row in appointments:
        entry = result[row["agency_id"]]
        entry.active_pejabat = row["pejabat"]
        entry.active_petugas = row["petugas"]
        entry.ethics_pending = row["pending"]

    sops = (
        Sop.objects.filter(agency_id__in=ids, effective_from__lte=day)
        .values("agency_id")
        .annotate(latest=Max("effective_from"))
    )
    for row in sops:
        result[row["agency_id"]].sop_effective_from = row["latest"]

    for entry in result.values():
        entry.build_items()
    return result


def sop_in_force(agency_id: int, *, day: dt.date) -> Sop | None:
    return (
        Sop.objects.filter(agency_id=agency_id, effective_from__lte=day)
        .order_by("-effective_from", "-pk")
        .first()
    )
