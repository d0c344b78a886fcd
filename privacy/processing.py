"""The record of processing (UU 27/2022 Pasal 31): what personal data the portal holds,
why, where, who sees it and for how long.

Built from the models' own field names and the running settings (the retention period,
the deadline of subject requests, the hour of the retention run, the database, the
sign-in log's period), so a change of setting or field changes the record with it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _

from accounts.models import Appointment, Decree, User
from accounts.roles import Role
from audit.models import AuditEvent
from inquiries.models import Inquiry

from .models import SubjectRequest


@dataclass(frozen=True)
class Activity:
    name: str
    subjects: str
    data: list[str]
    purpose: str
    legal_basis: str
    stored_in: str
    who_sees: str
    retention: str


def _fields(model: type[models.Model], names: list[str]) -> list[str]:
    return [str(model._meta.get_field(name).verbose_name) for name in names]


def _store(model: type[models.Model]) -> str:
    vendor = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(
        settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1].replace("sqlite3", "sqlite"),
        settings.DATABASES["default"]["ENGINE"],
    )
    return _("%(vendor)s database of the portal, table %(table)s") % {
        "vendor": vendor,
        "table": model._meta.db_table,
    }


def _days(days: int) -> str:
    if days % 365 == 0:
        years = days // 365
        return _("%(days)s days (%(years)s years)") % {"days": days, "years": years}
    return _("%(days)s days") % {"days": days}


def _retention_hour() -> str:
    entry = settings.CELERY_BEAT_SCHEDULE.get("personal-data-retention", {})
    schedule = entry.get("schedule")
    hours = getattr(schedule, "_orig_hour", None)
    minutes = getattr(schedule, "_orig_minute", None)
    if hours is None or minutes is None:
        return _("by the periodic retention task")
    return _("every day at %(time)s WIB by the retention task") % {
        "time": f"{int(hours):02d}:{int(minutes):02d}"
    }


def _role(role: Role) -> str:
    return str(role.label)


def processing_record() -> list[Activity]:
    retention = _days(settings.PERSONAL_DATA_RETENTION_DAYS)
    handling = _(
        "Officers (%(petugas)s, %(pejabat)s) of the agencies handling the inquiry; "
        "%(evaluator)s after stating a reason. Everyone else sees initials and masked "
        "contacts (0812****789, @ab***)."
    ) % {
        "petugas": _role(Role.PETUGAS),
        "pejabat": _role(Role.PEJABAT),
        "evaluator": _role(Role.EVALUATOR),
    }
    return [
        Activity(
            name=_("Public inquiries received on social media"),
            subjects=_("Citizens who ask, comment, criticise or suggest"),
            data=_fields(Inquiry, ["author_name", "author_contact", "source_url", "text"]),
            purpose=_(
                "Answering the citizen directly or through the agency with authority, "
                "within 24 hours (Lampiran B), and counting inquiries for the annual report."
            ),
            legal_basis=_(
                "UU 27/2022 Pasal 20 ayat (2) huruf e (a public task); Perbup Katingan "
                "55/2022 Pasal 8, 12, 15 and Lampiran B."
            ),
            stored_in=_store(Inquiry),
            who_sees=handling,
            retention=_(
                "%(period)s after the inquiry is closed (or answered), then the name, "
                "contact and link are removed and contacts in the texts blanked, %(when)s; "
                "the inquiry itself stays in the figures."
            )
            % {"period": retention, "when": _retention_hour()},
        ),
        Activity(
            name=_("Citizens' requests about their data"),
            subjects=_("Citizens who ask to see, correct or delete their data"),
            data=_fields(SubjectRequest, ["requester_name", "identifier", "details"]),
            purpose=_("Answering the request within %(hours)s hours.")
            % {"hours": settings.SUBJECT_REQUEST_HOURS},
            legal_basis=_("UU 27/2022 Pasal 5–9 and 32–34."),
            stored_in=_store(SubjectRequest),
            who_sees=_role(Role.EVALUATOR),
            retention=_("%(period)s after the request is completed, then anonymised.")
            % {"period": retention},
        ),
        Activity(
            name=_("Portal users (officers and officials)"),
            subjects=_("Employees of the regency with an account"),
            data=_fields(User, ["username", "full_name", "nip", "email"]),
            purpose=_("Signing in, notifications, and accountability for every action."),
            legal_basis=_(
                "Perbup Katingan 55/2022 Pasal 8 huruf d and 9; officials' names are public "
                "information under UU 14/2008."
            ),
            stored_in=_store(User),
            who_sees=_("Every signed-in user sees names; e-mail addresses: administrators."),
            retention=_("While the account exists; a departed officer's account is deactivated."),
        ),
        Activity(
            name=_("Appointment decrees"),
            subjects=_("Officers and officials appointed by the agency head"),
            data=_fields(Decree, ["number", "title", "document"])
            + _fields(Appointment, ["role", "starts_on", "ends_on"]),
            purpose=_("Proving who is the official petugas or pejabat of each account."),
            legal_basis=_("Perbup Katingan 55/2022 Pasal 9 ayat (1)."),
            stored_in=_store(Decree) + " · " + _("the portal's private file store"),
            who_sees=_("Every signed-in user."),
            retention=_("Permanently, as part of the agency's records."),
        ),
        Activity(
            name=_("Audit trail"),
            subjects=_("Portal users"),
            data=_fields(AuditEvent, ["at", "actor", "action", "object_repr", "note"]),
            purpose=_(
                "Accountability: every change, every reveal of a citizen's contact and "
                "every export. It holds no citizen's name or contact."
            ),
            legal_basis=_("UU 27/2022 Pasal 31 and 39."),
            stored_in=_store(AuditEvent),
            who_sees=", ".join([_role(Role.EVALUATOR), _role(Role.ADMINISTRATOR)]),
            retention=_("Permanently; it cannot be changed or deleted."),
        ),
        Activity(
            name=_("Sign-in records"),
            subjects=_("Portal users"),
            data=[_("user name"), _("IP address"), _("time of sign-in")],
            purpose=_("Locking an account after %(limit)s failed attempts; security review.")
            % {"limit": settings.AXES_FAILURE_LIMIT},
            legal_basis=_("UU 27/2022 Pasal 35 (securing personal data)."),
            stored_in=_("The portal's database (django-axes)"),
            who_sees=_role(Role.ADMINISTRATOR),
            retention=_days(settings.SIGN_IN_LOG_RETENTION_DAYS),
        ),
    ]
