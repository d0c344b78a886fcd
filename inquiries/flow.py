"""The Lampiran B flow as one state machine: every transition of an inquiry is here.

    recorded ──answer_directly──▶ answered_directly ──close──▶ closed       (angka 2)
        │
        └──forward──▶ forwarded ──reply──▶ replied ──answer_public──▶ answered ──close──▶ closed
                        │  ▲                                                  (angka 3-5)
                        └──┘ reroute (the agency with the forwarding says "not ours either")

    recorded / forwarded / replied ──dismiss──▶ dismissed   (spam or duplicate, with a reason)

Who may act: the officers of the *receiving* agency answer, forward, close and
dismiss; the officers of the agency holding the *open forwarding* reply or
re-route. Evaluators and Pimpinan read only. Every transition locks the inquiry
row, checks the state (and, when the form sends one, the version the user saw),
writes one history event and bumps the version: two officers acting at once
never lose an update or reach an impossible state; the second gets a message
naming who changed it.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import scope_for
from accounts.models import Agency, OfficialAccount, User
from audit.services import audit_record

from . import counts
from .deadlines import next_notice_at
from .models import (
    OPEN_STATUSES,
    Answer,
    DeadlineCalendar,
    DismissReason,
    Forwarding,
    ForwardingStatus,
    Inquiry,
    InquiryEvent,
    InquiryStatus,
    new_tracking_code,
)
from .notices import forwarding_received_notify

S = InquiryStatus


class FlowError(Exception):
    """A transition was refused; the message is for the user."""


class StaleInquiry(FlowError):
    """Someone else changed the inquiry after the user loaded it."""


@dataclass(frozen=True)
class Action:
    code: str
    label: str
    # The statuses it starts from, and which side may take it.
    sources: tuple[str, ...]
    side: str  # "receiver" or "holder" (the agency with the open forwarding)


ACTIONS: dict[str, Action] = {
    action.code: action
    for action in (
        Action("answer_directly", gettext_lazy("Answer directly"), (S.RECORDED,), "receiver"),
        Action(
            "forward",
            gettext_lazy("Forward to the agency with authority"),
            (S.RECORDED,),
            "receiver",
        ),
        Action("reply", gettext_lazy("Reply to the forwarding agency"), (S.FORWARDED,), "holder"),
        Action(
            "reroute",
            gettext_lazy("Not ours: re-route to another agency"),
            (S.FORWARDED,),
            "holder",
        ),
        Action("answer_public", gettext_lazy("Answer the public"), (S.REPLIED,), "receiver"),
        Action("close", gettext_lazy("Close"), (S.ANSWERED_DIRECTLY, S.ANSWERED), "receiver"),
        Action(
            "dismiss",
            gettext_lazy("Close as spam or duplicate"),
            (S.RECORDED, S.FORWARDED, S.REPLIED),
            "receiver",
        ),
    )
}


def reply_window() -> dt.timedelta:
    return dt.timedelta(hours=settings.FORWARDING_REPLY_HOURS)


# --- Who may do what -----------------------------------------------------------------


def holder_agency_id(inquiry: Inquiry) -> int | None:
    """The agency holding the inquiry's current forwarding, if any."""
    forwarding = inquiry.current_forwarding
    return forwarding.to_agency_id if forwarding is not None else None


def allowed_actions(inquiry: Inquiry, user: User) -> list[Action]:
    """The actions ``user`` may take on ``inquiry`` now (for the detail page)."""
    scope = scope_for(user)
    if not scope.can_write:
        return []
    allowed = []
    for action in ACTIONS.values():
        if inquiry.status not in action.sources:
            continue
        side_agency = inquiry.agency_id if action.side == "receiver" else holder_agency_id(inquiry)
        if side_agency is not None and scope.may_write_agency(side_agency):
            allowed.append(action)
    return allowed


def _require(inquiry: Inquiry, user: User, code: str, expected_version: int | None) -> None:
    action = ACTIONS[code]
    if expected_version is not None and inquiry.version != expected_version:
        last = inquiry.events.order_by("-at", "-pk").select_related("actor").first()
        who = last.actor.get_full_name() if last and last.actor else _("another user")
        raise StaleInquiry(
            _("The data was changed by %(who)s in the meantime. Check the inquiry again.")
            % {"who": who}
        )
    if inquiry.status not in action.sources:
        raise FlowError(
            _("“%(action)s” is not possible while the inquiry is “%(status)s”.")
            % {"action": action.label, "status": inquiry.get_status_display()}
        )
    if action not in allowed_actions(inquiry, user):
        raise FlowError(_("Your agency cannot take this step on this inquiry."))


def _locked(inquiry: Inquiry) -> Inquiry:
    # No select_related here: when the lock had to wait, PostgreSQL re-reads only the
    # locked row and re-joins it with the rows of the old snapshot, so a forwarding
    # created meanwhile (a re-route) would come back as None. The current forwarding
    # is loaded by its own query, after the lock, and so always the committed one.
    locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    # What the locked row counts in, for _save to move the daily counters by the change.
    locked._counted = counts.counted(locked)
    return locked


def _event(
    inquiry: Inquiry,
    *,
    action: str,
    from_status: str,
    by: User | None,
    now: datetime,
    agency_id: int | None,
    note: str = "",
    forwarding: Forwarding | None = None,
) -> InquiryEvent:
    event = InquiryEvent.objects.create(
        inquiry=inquiry,
        at=now,
        actor=by,
        agency_id=agency_id,
        action=action,
        from_status=from_status,
        to_status=inquiry.status,
        forwarding=forwarding,
        note=note,
    )
    # The regency-wide audit trail (UU 27/2022): every change to an inquiry, by whom.
    # The step's note stays in the inquiry's own history: it may quote the citizen.
    audit_record(
        actor=by,
        action=f"inquiry_{action}",
        obj=inquiry,
        changes={"status": [from_status or None, inquiry.status]}
        | ({"forwarding": forwarding.pk} if forwarding is not None else {}),
        now=now,
    )
    return event


def _save(inquiry: Inquiry, fields: Iterable[str]) -> None:
    """Save a row loaded by :func:`_locked`, with its version and daily counters."""
    inquiry.version = F("version") + 1
    inquiry.save(update_fields=[*fields, "version"])
    inquiry.refresh_from_db(fields=["version"])
    counts.change(inquiry, before=inquiry._counted)
    inquiry._counted = counts.counted(inquiry)


# --- Transitions ----------------------------------------------------------------------


def inquiry_record(
    *,
    agency: Agency,
    channel: OfficialAccount,
    kind: str,
    author_name: str,
    text: str,
    received_at: datetime,
    by: User | None,
    now: datetime,
    author_contact: str = "",
    source_url: str = "",
    topics: list[str] | None = None,
    idempotency_key: str | None = None,
    note: str = "",
) -> tuple[Inquiry, bool]:
    """Record an inquiry received on ``channel`` (Lampiran B angka 1).

    Returns ``(inquiry, created)``: with an ``idempotency_key`` already used by
    this agency, the first inquiry is returned and nothing new is written.
    ``note`` goes on the history event (the API names the integration there,
    since no person records the inquiry). A user ``by`` must be able to write for
    ``agency`` (its officer, or an administrator); ``by=None`` is an integration,
    acting for the agency its token is bound to.
    """
    if channel.agency_id != agency.pk:
        raise FlowError(_("The channel is not an official account of this agency."))
    # ``by`` is None for an integration, whose token is already bound to ``agency``.
    if by is not None and not scope_for(by).may_write_agency(agency.pk):
        raise FlowError(_("Your agency cannot record inquiries for this agency."))
    if idempotency_key:
        existing = Inquiry.objects.filter(agency=agency, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    for _attempt in range(5):
        try:
            with transaction.atomic():
                inquiry = Inquiry.objects.create(
                    agency=agency,
                    channel=channel,
                    kind=kind,
                    author_name=author_name,
                    author_contact=author_contact,
                    text=text,
                    source_url=source_url,
                    received_at=received_at,
                    recorded_at=now,
                    recorded_by=by,
                    topics=topics or [],
                    tracking_code=new_tracking_code(),
                    idempotency_key=idempotency_key or None,
                )
                counts.change(inquiry, before=())
                _event(
                    inquiry,
                    action="record",
                    from_status="",
                    by=by,
                    now=now,
                    agency_id=agency.pk,
                    note=note,
                )
            return inquiry, True
        except IntegrityError:
            if idempotency_key:
                existing = Inquiry.objects.filter(
                    agency=agency, idempotency_key=idempotency_key
                ).first()
                if existing is not None:
                    return existing, False
            # Otherwise a tracking-code collision (1 in 10^12): draw another.
    raise FlowError(_("The inquiry could not be recorded; please try again."))


def inquiry_answer_directly(
    *,
    inquiry: Inquiry,
    by: User,
    answer_text: str,
    now: datetime,
    library_answer: Answer | None = None,
    expected_version: int | None = None,
) -> Inquiry:
    """Lampiran B angka 2: an answer already exists, the officer answers at once."""
    with transaction.atomic():
        locked = _locked(inquiry)
        _require(locked, by, "answer_directly", expected_version)
        if library_answer is not None and (
            library_answer.agency_id != locked.agency_id or not library_answer.is_approved
        ):
            raise FlowError(_("Only an approved answer of this agency's library can be used."))
        before = locked.status
        locked.status = S.ANSWERED_DIRECTLY
        locked.answer_text = answer_text
        locked.answered_at = now
        locked.answered_by = by
        _save(locked, ["status", "answer_text", "answered_at", "answered_by"])
        if library_answer is not None:
            Answer.objects.filter(pk=library_answer.pk).update(times_used=F("times_used") + 1)
        _event(
            locked,
            action="answer_directly",
            from_status=before,
            by=by,
            now=now,
            agency_id=locked.agency_id,
        )
    return locked


def inquiry_forward(
    *,
    inquiry: Inquiry,
    to_agency: Agency,
    by: User,
    now: datetime,
    note: str = "",
    expected_version: int | None = None,
) -> Forwarding:
    """Lampiran B angka 3: hand the inquiry to the agency with authority.

    Its reply is due ``FORWARDING_REPLY_HOURS`` (24) hours from ``now``.
    """
    with transaction.atomic():
        locked = _locked(inquiry)
        _require(locked, by, "forward", expected_version)
        _check_target(locked, to_agency, from_agency_id=locked.agency_id)
        forwarding = _open_forwarding(locked, locked.agency_id, to_agency, by, now, note)
        forwarding_received_notify(forwarding=forwarding, now=now)
        before = locked.status
        locked.status = S.FORWARDED
        locked.forwarded_at = locked.forwarded_at or now
        _save(locked, ["status", "due_at", "current_forwarding", "forwarded_at"])
        _event(
            locked,
            action="forward",
            from_status=before,
            by=by,
            now=now,
            agency_id=locked.agency_id,
            note=note,
            forwarding=forwarding,
        )
    return forwarding


def forwarding_reroute(
    *,
    inquiry: Inquiry,
    to_agency: Agency,
    by: User,
    now: datetime,
    note: str = "",
    expected_version: int | None = None,
) -> Forwarding:
    """The agency holding the forwarding says it is not theirs either and passes it on.

    The old forwarding ends as re-routed; the new one has its own 24-hour clock.
    """
    with transaction.atomic():
        locked = _locked(inquiry)
        _require(locked, by, "reroute", expected_version)
        old = Forwarding.objects.select_for_update().get(pk=locked.current_forwarding_id)
        _check_target(locked, to_agency, from_agency_id=old.to_agency_id)
        old_counted = counts.counted(old)
        old.status = ForwardingStatus.REROUTED
        old.closed_at = now
        old.save(update_fields=["status", "closed_at"])
        counts.change(old, before=old_counted)
        forwarding = _open_forwarding(locked, old.to_agency_id, to_agency, by, now, note)
        forwarding_received_notify(forwarding=forwarding, now=now)
        _save(locked, ["due_at", "current_forwarding"])
        _event(
            locked,
            action="reroute",
            from_status=S.FORWARDED,
            by=by,
            now=now,
            agency_id=old.to_agency_id,
            note=note,
            forwarding=forwarding,
        )
    return forwarding


def forwarding_reply(
    *,
    inquiry: Inquiry,
    by: User,
    reply_text: str,
    now: datetime,
    expected_version: int | None = None,
) -> Forwarding:
    """Lampiran B angka 4: the agency with authority answers the forwarding agency."""
    with transaction.atomic():
        locked = _locked(inquiry)
        _require(locked, by, "reply", expected_version)
        forwarding = Forwarding.objects.select_for_update().get(pk=locked.current_forwarding_id)
        forwarding_counted = counts.counted(forwarding)
        forwarding.status = ForwardingStatus.REPLIED
        forwarding.reply_text = reply_text
        forwarding.replied_by = by
        forwarding.replied_at = now
        forwarding.closed_at = now
        forwarding.save(
            update_fields=["status", "reply_text", "replied_by", "replied_at", "closed_at"]
        )
        counts.change(forwarding, before=forwarding_counted)
        locked.status = S.REPLIED
        locked.due_at = None
        _save(locked, ["status", "due_at"])
        _event(
            locked,
            action="reply",
            from_status=S.FORWARDED,
            by=by,
            now=now,
            agency_id=forwarding.to_agency_id,
            forwarding=forwarding,
        )
    return forwarding


def inquiry_answer_public(
    *,
    inquiry: Inquiry,
    by: User,
    answer_text: str,
    now: datetime,
    expected_version: int | None = None,
) -> Inquiry:
    """Lampiran B angka 5: the officer answers the public based on the reply."""
    with transaction.atomic():
        locked = _locked(inquiry)
        _require(locked, by, "answer_public", expected_version)
        locked.status = S.ANSWERED
        locked.answer_text = answer_text
        locked.answered_at = now
        locked.answered_by = by
        _save(locked, ["status", "answer_text", "answered_at", "answered_by"])
        _event(
            locked,
            action="answer_public",
            from_status=S.REPLIED,
            by=by,
            now=now,
            agency_id=locked.agency_id,
        )
    return locked


def inquiry_close(
    *,
    inquiry: Inquiry,
    by: User,
    now: datetime,
    note: str = "",
    expected_version: int | None = None,
) -> Inquiry:
    """Close an answered inquiry."""
    with transaction.atomic():
        locked = _locked(inquiry)
        _require(locked, by, "close", expected_version)
        before = locked.status
        locked.status = S.CLOSED
        locked.closed_at = now
        _save(locked, ["status", "closed_at"])
        _event(
            locked,
            action="close",
            from_status=before,
            by=by,
            now=now,
            agency_id=locked.agency_id,
            note=note,
        )
    return locked


def inquiry_dismiss(
    *,
    inquiry: Inquiry,
    by: User,
    reason: str,
    note: str,
    now: datetime,
    duplicate_of: Inquiry | None = None,
    expected_version: int | None = None,
) -> Inquiry:
    """Close an inquiry as spam or as a duplicate, with a reason; an open
    forwarding is cancelled so its clock stops."""
    if reason not in DismissReason.values:
        raise FlowError(_("Choose spam or duplicate as the reason."))
    if reason == DismissReason.DUPLICATE and duplicate_of is None:
        raise FlowError(_("Name the inquiry this one duplicates."))
    if not note.strip():
        raise FlowError(_("Explain briefly why the inquiry is closed."))
    with transaction.atomic():
        locked = _locked(inquiry)
        _require(locked, by, "dismiss", expected_version)
        if duplicate_of is not None and duplicate_of.pk == locked.pk:
            raise FlowError(_("An inquiry cannot duplicate itself."))
        if duplicate_of is not None and duplicate_of.agency_id != locked.agency_id:
            raise FlowError(_("The original must be an inquiry received by the same agency."))
        before = locked.status
        if locked.current_forwarding_id and locked.status == S.FORWARDED:
            open_forwarding = (
                Forwarding.objects.select_for_update()
                .filter(pk=locked.current_forwarding_id, status=ForwardingStatus.OPEN)
                .first()
            )
            if open_forwarding is not None:
                open_counted = counts.counted(open_forwarding)
                open_forwarding.status = ForwardingStatus.CANCELLED
                open_forwarding.closed_at = now
                open_forwarding.save(update_fields=["status", "closed_at"])
                counts.change(open_forwarding, before=open_counted)
        locked.status = S.DISMISSED
        locked.dismiss_reason = reason
        # Spam duplicates nothing, even when a form sent an original along.
        locked.duplicate_of = duplicate_of if reason == DismissReason.DUPLICATE else None
        locked.closed_at = now
        locked.due_at = None
        _save(locked, ["status", "dismiss_reason", "duplicate_of", "closed_at", "due_at"])
        _event(
            locked,
            action="dismiss",
            from_status=before,
            by=by,
            now=now,
            agency_id=locked.agency_id,
            note=f"{DismissReason(reason).label}: {note}",
        )
    return locked


# --- Internals ------------------------------------------------------------------------


def _check_target(inquiry: Inquiry, to_agency: Agency, *, from_agency_id: int) -> None:
    if to_agency.pk == from_agency_id:
        raise FlowError(_("An agency cannot forward an inquiry to itself."))
    if to_agency.pk == inquiry.agency_id:
        raise FlowError(
            _("The receiving agency already has this inquiry; reply to it instead of re-routing.")
        )
    if not to_agency.is_active:
        raise FlowError(_("The chosen agency is not active."))


def _open_forwarding(
    inquiry: Inquiry,
    from_agency_id: int,
    to_agency: Agency,
    by: User,
    now: datetime,
    note: str,
) -> Forwarding:
    # Wall clock unless Diskominfo switched on the working calendar (off by default).
    calendar = DeadlineCalendar.current()
    due_at = calendar.add(now, reply_window())
    forwarding = Forwarding.objects.create(
        inquiry=inquiry,
        from_agency_id=from_agency_id,
        to_agency=to_agency,
        forwarded_by=by,
        forwarded_at=now,
        due_at=due_at,
        next_notice_at=next_notice_at(due_at, after=now, calendar=calendar),
        note=note,
    )
    counts.change(forwarding, before=())
    inquiry.current_forwarding = forwarding
    inquiry.due_at = forwarding.due_at
    return forwarding


def is_open(inquiry: Inquiry) -> bool:
    return inquiry.status in OPEN_STATUSES
