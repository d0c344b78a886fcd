"""The deadline sweep of forwardings (Lampiran B angka 4: reply within 24 hours).

Each open forwarding carries ``next_notice_at``: the next moment, derived from its
``due_at``, at which a notice about it may become due (the first reminder mark, the
next mark, the deadline itself, the second escalation), or NULL once nothing more can
be due. The sweep reads only the rows with ``next_notice_at <= now`` through the
partial index ``fwd_open_notice_idx``, so a sweep with nothing due is one index probe
however many forwardings exist, and a forwarding past its last escalation is never
read again.

The database is the only truth: nothing is scheduled ahead in the broker. Rows are
claimed in batches with ``SELECT … FOR UPDATE SKIP LOCKED``; the notices of a batch
and the batch's new ``next_notice_at`` commit in one transaction. So two sweeps at
once take disjoint rows, a sweep killed midway loses only its uncommitted batch (the
next sweep finds those rows still due), and each notice has a unique key per
recipient as the last guard (:func:`notifications.services.notifications_create_many`).

Per forwarding, at most one notice per kind and level:

* before the deadline, a *reminder* at the nearest mark of ``DEADLINE_REMINDER_HOURS``
  not yet passed (one found 30 minutes before due gets only the 1-hour reminder) to
  the active petugas and pejabat of the agency it was forwarded to;
* once overdue (``now > due_at``: at exactly ``due_at`` it is due, not yet late), an
  *overdue* notice to the same people and *escalation 1* to that agency's pejabat and
  every Diskominfo evaluator;
* from ``due_at + DEADLINE_SECOND_ESCALATION_HOURS``, *escalation 2* to the same
  escalation recipients (instead of escalation 1 when a late sweep finds it there).

With the optional working calendar on (:class:`inquiries.models.DeadlineCalendar`,
off by default), ``due_at`` itself was counted in working hours when the forwarding
was made, and the reminder marks are working hours too: "6 hours before" is the
moment 6 working hours before ``due_at`` (:meth:`WorkingCalendar.subtract`), and the
remaining time that picks the reminder is the working time from ``now`` to
``due_at``. The overdue mark stays ``due_at``, and the second escalation stays
``DEADLINE_SECOND_ESCALATION_HOURS`` of wall-clock time after it: once late, a
forwarding is late around the clock. The sweep reads the calendar once, when its
first batch has anything due.

A reply, re-routing or cancellation closes the forwarding, which the sweep then no
longer sees: nothing more is sent about it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency, Appointment, AppointmentRole, User
from accounts.roles import Role
from notifications.services import NoticeDraft, notifications_create_many

from .models import DeadlineCalendar, Forwarding, ForwardingStatus
from .workcalendar import WALL_CLOCK, WorkingCalendar

KIND_REMINDER = "deadline_reminder"
KIND_OVERDUE = "deadline_overdue"
KIND_ESCALATION = "deadline_escalation"


@dataclass(frozen=True)
class _AgencyPeople:
    handlers: tuple[User, ...]  # active petugas and pejabat: reminders, overdue notice
    pejabat: tuple[User, ...]  # active pejabat: escalations


def agency_people(agency_id: int, day: dt.date) -> _AgencyPeople:
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


def notice_marks(due_at: datetime, *, calendar: WorkingCalendar = WALL_CLOCK) -> list[datetime]:
    """Every moment at which a notice about a forwarding due at ``due_at`` may become
    due, ascending: each reminder mark (inclusive; in working hours of ``calendar``),
    the first instant past ``due_at`` (overdue: exactly at ``due_at`` is not late) and
    the second escalation (wall clock)."""
    marks = [calendar.subtract(due_at, h) for h in settings.DEADLINE_REMINDER_HOURS]
    marks.append(due_at + dt.timedelta(microseconds=1))
    marks.append(due_at + dt.timedelta(hours=settings.DEADLINE_SECOND_ESCALATION_HOURS))
    return sorted(marks)


def next_notice_at(
    due_at: datetime, *, after: datetime, calendar: WorkingCalendar = WALL_CLOCK
) -> datetime | None:
    """The first mark of :func:`notice_marks` later than ``after``; None when all passed."""
    return next((mark for mark in notice_marks(due_at, calendar=calendar) if mark > after), None)


def _hours(delta: dt.timedelta) -> int:
    """Whole hours, rounded down."""
    return int(delta.total_seconds() // 3600)


def deadline_sweep(
    *, now: datetime, batch_size: int | None = None, on_backlog: Callable[[], None] | None = None
) -> dict[str, int]:
    """Send the reminders, overdue notices and escalations that are due at ``now``.

    Precondition: ``now`` is aware. Side effects: notification rows (and, after
    commit, their e-mail tasks) and each swept forwarding's ``next_notice_at``. Safe
    to run twice or concurrently. Returns how many notices of each kind this call
    wrote. ``on_backlog`` is called once when a full batch shows more may be due, so
    the caller can start helpers: concurrent sweeps take disjoint batches.
    """
    batch_size = batch_size or settings.DEADLINE_SWEEP_BATCH_SIZE
    counts = {"reminder": 0, "overdue": 0, "escalation": 0}
    sweep = _Sweep(now)
    while True:
        with transaction.atomic():
            batch = list(
                Forwarding.objects.filter(status=ForwardingStatus.OPEN, next_notice_at__lte=now)
                .select_for_update(skip_locked=True, of=("self",))
                .only(*_SWEPT_FIELDS)
                .annotate(code=F("inquiry__tracking_code"))
                .order_by("next_notice_at", "pk")[:batch_size]
            )
            if not batch:
                break
            if on_backlog is not None and len(batch) == batch_size:
                on_backlog()
                on_backlog = None
            if sweep.calendar is None:  # read once, and only when something is due
                sweep.calendar = DeadlineCalendar.current()
            drafts = [draft for forwarding in batch for draft in sweep.notices(forwarding)]
            _move_marks(batch, now=now, calendar=sweep.calendar)
            for notice in notifications_create_many(drafts=drafts, now=now):
                counts[_KIND_NAMES[notice.kind]] += 1
        if len(batch) < batch_size:
            break
    return counts


# Only what the notices need: a sweep of 10,000 spent a fifth of its time building
# the related model instances. Agency names come from one query per sweep.
_SWEPT_FIELDS = ("due_at", "next_notice_at", "inquiry_id", "from_agency_id", "to_agency_id")


def _move_marks(batch: list[Forwarding], *, now: datetime, calendar: WorkingCalendar) -> None:
    """Store each forwarding's next mark after ``now``.

    A mark is ``due_at`` plus an offset, and a batch holds only a few distinct offsets
    (one per mark of the wall clock), so one ``UPDATE … SET next_notice_at = due_at +
    offset`` per offset replaces a per-row CASE that costs more than the sweep itself.
    """
    by_offset: dict[dt.timedelta | None, list[int]] = {}
    for forwarding in batch:
        mark = next_notice_at(forwarding.due_at, after=now, calendar=calendar)
        by_offset.setdefault(None if mark is None else mark - forwarding.due_at, []).append(
            forwarding.pk
        )
    for offset, pks in by_offset.items():
        Forwarding.objects.filter(pk__in=pks).update(
            next_notice_at=None if offset is None else F("due_at") + offset
        )


_KIND_NAMES = {KIND_REMINDER: "reminder", KIND_OVERDUE: "overdue", KIND_ESCALATION: "escalation"}


_URL_SENTINEL = 987654321


class _Sweep:
    """The notices due at ``now``, with the recipients looked up once per sweep."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.day = timezone.localdate(now)
        self.marks = sorted(settings.DEADLINE_REMINDER_HOURS)  # ascending, e.g. (1, 6)
        self.second_after = dt.timedelta(hours=settings.DEADLINE_SECOND_ESCALATION_HOURS)
        self._people: dict[int, _AgencyPeople] = {}
        self._evaluators: tuple[User, ...] | None = None
        self._agency_names: dict[int, str] | None = None
        # reverse() once: per forwarding it was a tenth of a 10,000-row sweep.
        self.detail_url = reverse("inquiries:detail", args=[_URL_SENTINEL]).replace(
            str(_URL_SENTINEL), "{}"
        )
        # Read with the first batch that has anything due; None until then.
        self.calendar: WorkingCalendar | None = None

    def people(self, agency_id: int) -> _AgencyPeople:
        if agency_id not in self._people:
            self._people[agency_id] = agency_people(agency_id, self.day)
        return self._people[agency_id]

    def agency_name(self, agency_id: int) -> str:
        if self._agency_names is None:
            self._agency_names = dict(Agency.objects.values_list("pk", "name"))
        return self._agency_names[agency_id]

    def evaluators(self) -> tuple[User, ...]:
        if self._evaluators is None:
            self._evaluators = _evaluators()
        return self._evaluators

    def notices(self, forwarding: Forwarding) -> list[NoticeDraft]:
        now = self.now
        staff = self.people(forwarding.to_agency_id)
        code = forwarding.code
        url = self.detail_url.format(forwarding.inquiry_id)
        context = {
            "code": code,
            "due": timezone.localtime(forwarding.due_at).strftime("%d-%m-%Y %H:%M WIB"),
            "to_agency": self.agency_name(forwarding.to_agency_id),
            "from_agency": self.agency_name(forwarding.from_agency_id),
        }
        prefix = f"fwd:{forwarding.pk}"

        if now <= forwarding.due_at:
            calendar = self.calendar or WALL_CLOCK
            remaining = calendar.working_hours_between(now, forwarding.due_at)
            mark = next((m for m in self.marks if remaining <= dt.timedelta(hours=m)), None)
            if mark is None:
                return []
            if calendar.enabled:
                title = _("Reply due in %(hours)s working hours: inquiry %(code)s")
            else:
                title = _("Reply due in %(hours)s hours: inquiry %(code)s")
            title %= {"hours": mark, "code": code}
            body = (
                _(
                    "The inquiry %(code)s was forwarded by %(from_agency)s to %(to_agency)s. "
                    "The reply is due at %(due)s (Lampiran B angka 4 of Perbup Katingan "
                    "55/2022: within 24 hours)."
                )
                % context
            )
            return [
                NoticeDraft(person, f"{prefix}:reminder:{mark}h", KIND_REMINDER, title, body, url)
                for person in staff.handlers
            ]

        late = {**context, "hours": _hours(now - forwarding.due_at)}
        title = _("Overdue: inquiry %(code)s was due at %(due)s") % context
        body = (
            _(
                "%(to_agency)s has not replied to the inquiry %(code)s forwarded by "
                "%(from_agency)s, due at %(due)s: %(hours)s hours late. Reply now."
            )
            % late
        )
        drafts = [
            NoticeDraft(person, f"{prefix}:overdue", KIND_OVERDUE, title, body, url)
            for person in staff.handlers
        ]
        escalate_to = {p.pk: p for p in (*staff.pejabat, *self.evaluators())}
        level = 2 if now >= forwarding.due_at + self.second_after else 1
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
        drafts.extend(
            NoticeDraft(person, f"{prefix}:escalation:{level}", KIND_ESCALATION, title, body, url)
            for person in escalate_to.values()
        )
        return drafts
