"""The deadline sweep of forwardings (Lampiran B angka 4: reply within 24 hours).

One pass over the open forwardings whose ``due_at`` is near or past, read through the
partial index ``fwd_open_due_idx``. The database is the only truth: nothing is
scheduled ahead in the broker, so a missed, repeated or concurrent sweep neither loses
nor doubles a notice (each has a unique key per recipient, see
:func:`notifications.services.notification_create`).

Per forwarding, at most one notice per kind and level:

* before the deadline, a *reminder* at the nearest mark of ``DEADLINE_REMINDER_HOURS``
  not yet passed (one found 30 minutes before due gets only the 1-hour reminder) to
  the active petugas and pejabat of the agency it was forwarded to;
* once overdue (``now > due_at``: at exactly ``due_at`` it is due, not yet late), an
  *overdue* notice to the same people and *escalation 1* to that agency's pejabat and
  every Diskominfo evaluator;
* from ``due_at + DEADLINE_SECOND_ESCALATION_HOURS``, *escalation 2* to the same
  escalation recipients (instead of escalation 1 when a late sweep finds it there).

A reply, re-routing or cancellation closes the forwarding, which the sweep then no
longer sees: nothing more is sent about it.
"""

import datetime as dt
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Appointment, AppointmentRole, User
from accounts.roles import Role
from notifications.models import Notification
from notifications.services import notification_create

from .models import Forwarding, ForwardingStatus

KIND_REMINDER = "deadline_reminder"
KIND_OVERDUE = "deadline_overdue"
KIND_ESCALATION = "deadline_escalation"


@dataclass(frozen=True)
class _AgencyPeople:
    handlers: tuple[User, ...]  # active petugas and pejabat: reminders, overdue notice
    pejabat: tuple[User, ...]  # active pejabat: escalations


@dataclass(frozen=True)
class _Notice:
    recipient: User
    key: str
    kind: str
    title: str
    body: str
    url: str


def _agency_people(agency_id: int, day: dt.date) -> _AgencyPeople:
    """Who answers for an agency on ``day``: by appointment, else by portal role."""
    by_role: dict[str, dict[int, User]] = {"petugas": {}, "pejabat": {}}
    appointments = (
        Appointment.objects.filter(agency_id=agency_id, user__is_active=True)
        .active_on(day)
        .select_related("user")
    )
    for appointment in appointments:
        by_role[appointment.role][appointment.user_id] = appointment.user
    if not by_role["petugas"] and not by_role["pejabat"]:
        # No appointment registered (yet): fall back to the portal roles.
        memberships = User.groups.through.objects.filter(
            user__agency_id=agency_id,
            user__is_active=True,
            group__name__in=[Role.PETUGAS, Role.PEJABAT],
        ).select_related("user", "group")
        for membership in memberships:
            role = (
                AppointmentRole.PEJABAT
                if membership.group.name == Role.PEJABAT
                else AppointmentRole.PETUGAS
            )
            by_role[role][membership.user_id] = membership.user
    handlers = {**by_role["petugas"], **by_role["pejabat"]}
    return _AgencyPeople(
        handlers=tuple(handlers[pk] for pk in sorted(handlers)),
        pejabat=tuple(by_role["pejabat"][pk] for pk in sorted(by_role["pejabat"])),
    )


def _evaluators() -> tuple[User, ...]:
    group = Group.objects.filter(name=Role.EVALUATOR)
    return tuple(User.objects.filter(is_active=True, groups__in=group).distinct().order_by("pk"))


def _hours(delta: dt.timedelta) -> int:
    """Whole hours, rounded down."""
    return int(delta.total_seconds() // 3600)


def deadline_sweep(*, now: datetime) -> dict[str, int]:
    """Send the reminders, overdue notices and escalations that are due at ``now``.

    Precondition: ``now`` is aware. Side effects: notification rows (and, after
    commit, their e-mail tasks). Safe to run twice or concurrently. Returns how many
    notices of each kind were written by this call.
    """
    marks = sorted(settings.DEADLINE_REMINDER_HOURS)  # ascending, e.g. (1, 6)
    second_after = dt.timedelta(hours=settings.DEADLINE_SECOND_ESCALATION_HOURS)
    horizon = now + dt.timedelta(hours=marks[-1] if marks else 0)
    day = timezone.localdate(now)
    forwardings = (
        Forwarding.objects.filter(status=ForwardingStatus.OPEN, due_at__lte=horizon)
        .select_related("inquiry", "from_agency", "to_agency")
        .order_by("due_at", "pk")
    )

    people: dict[int, _AgencyPeople] = {}
    evaluators: tuple[User, ...] | None = None
    notices: list[_Notice] = []
    for forwarding in forwardings:
        agency_id = forwarding.to_agency_id
        if agency_id not in people:
            people[agency_id] = _agency_people(agency_id, day)
        staff = people[agency_id]
        inquiry = forwarding.inquiry
        code = inquiry.tracking_code
        url = reverse("inquiries:detail", args=[forwarding.inquiry_id])
        due_wib = timezone.localtime(forwarding.due_at).strftime("%d-%m-%Y %H:%M WIB")
        context = {
            "code": code,
            "due": due_wib,
            "to_agency": forwarding.to_agency.name,
            "from_agency": forwarding.from_agency.name,
        }
        prefix = f"fwd:{forwarding.pk}"

        if now <= forwarding.due_at:
            remaining = forwarding.due_at - now
            mark = next((m for m in marks if remaining <= dt.timedelta(hours=m)), None)
            if mark is None:
                continue
            title = _("Reply due in %(hours)s hours: inquiry %(code)s") % {
                "hours": mark,
                "code": code,
            }
            body = (
                _(
                    "The inquiry %(code)s was forwarded by %(from_agency)s to %(to_agency)s. "
                    "The reply is due at %(due)s (Lampiran B angka 4 of Perbup Katingan "
                    "55/2022: within 24 hours)."
                )
                % context
            )
            notices.extend(
                _Notice(person, f"{prefix}:reminder:{mark}h", KIND_REMINDER, title, body, url)
                for person in staff.handlers
            )
            continue

        late = {**context, "hours": _hours(now - forwarding.due_at)}
        title = _("Overdue: inquiry %(code)s was due at %(due)s") % context
        body = (
            _(
                "%(to_agency)s has not replied to the inquiry %(code)s forwarded by "
                "%(from_agency)s, due at %(due)s: %(hours)s hours late. Reply now."
            )
            % late
        )
        notices.extend(
            _Notice(person, f"{prefix}:overdue", KIND_OVERDUE, title, body, url)
            for person in staff.handlers
        )

        if evaluators is None:
            evaluators = _evaluators()
        escalate_to = {p.pk: p for p in (*staff.pejabat, *evaluators)}
        level = 2 if now >= forwarding.due_at + second_after else 1
        title = _("Escalation %(level)s: inquiry %(code)s is unanswered past its deadline") % {
            "level": level,
            "code": code,
        }
        body = (
            _(
                "%(to_agency)s has not replied to the inquiry %(code)s forwarded by "
                "%(from_agency)s. It was due at %(due)s and is %(hours)s hours late."
            )
            % late
        )
        notices.extend(
            _Notice(person, f"{prefix}:escalation:{level}", KIND_ESCALATION, title, body, url)
            for person in escalate_to.values()
        )

    # One query skips the notices already written by an earlier sweep; the unique key
    # still protects against a sweep running at the same moment.
    existing = (
        set(
            Notification.objects.filter(key__in={n.key for n in notices}).values_list(
                "recipient_id", "key"
            )
        )
        if notices
        else set()
    )
    counts = {"reminder": 0, "overdue": 0, "escalation": 0}
    kind_names = {KIND_REMINDER: "reminder", KIND_OVERDUE: "overdue", KIND_ESCALATION: "escalation"}
    for notice in notices:
        if (notice.recipient.pk, notice.key) in existing:
            continue
        written = notification_create(
            recipient=notice.recipient,
            key=notice.key,
            kind=notice.kind,
            title=notice.title,
            body=notice.body,
            url=notice.url,
            now=now,
        )
        counts[kind_names[notice.kind]] += written is not None
    return counts
