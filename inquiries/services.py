"""Writes of the answer library (Lampiran B angka 2, "jawaban sudah tersedia").

The inquiry's own transitions live in :mod:`inquiries.flow`; this module keeps the
library of reusable answers: saving an answer (typed in the library or given to
the public on an inquiry) and the pejabat's approval. Only approved answers are
offered to officers as "use this answer" (:func:`inquiries.selectors.similar_answers`).
"""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import scope_for
from accounts.models import Agency, User
from accounts.roles import Role
from audit.services import audit_record, changed_fields

from .models import Answer, DeadlineCalendar, Forwarding, ForwardingStatus, Inquiry

DEFAULT_TOPIC = "umum"
QUESTION_LENGTH = Answer._meta.get_field("question").max_length
TOPIC_LENGTH = Answer._meta.get_field("topic").max_length


class AnswerError(Exception):
    """A library change was refused; the message is for the user."""


def may_approve(user: User, agency_id: int) -> bool:
    """Only a pejabat of the answer's own agency approves it (not an administrator:
    approving is the agency's word, not the portal's)."""
    return user.has_role(Role.PEJABAT) and user.agency_id == agency_id


def _question_from(text: str) -> str:
    """The inquiry's text as the library's "typical question": one line, cut to fit."""
    line = " ".join(text.split())
    if len(line) <= QUESTION_LENGTH:
        return line
    return line[: QUESTION_LENGTH - 1].rstrip() + "…"


def answer_save(
    *,
    agency: Agency,
    by: User,
    now: datetime,
    topic: str,
    question: str,
    text: str,
    answer: Answer | None = None,
    source_inquiry: Inquiry | None = None,
) -> Answer:
    """Create a library answer for ``agency`` or change ``answer``.

    Approved at once only when ``by`` is a pejabat of the agency. A petugas who
    changes an approved answer takes the approval away: the pejabat approves
    the new wording. One audit event per save.
    """
    topic = " ".join(topic.split()).lower()[:TOPIC_LENGTH] or DEFAULT_TOPIC
    approve = may_approve(by, agency.pk)
    with transaction.atomic():
        if answer is None:
            before = None
            answer = Answer(agency=agency, created_by=by, created_at=now)
            answer.source_inquiry = source_inquiry
            action = "answer.create"
        else:
            answer = Answer.objects.select_for_update().get(pk=answer.pk, agency=agency)
            before = Answer(
                topic=answer.topic,
                question=answer.question,
                text=answer.text,
                is_approved=answer.is_approved,
            )
            action = "answer.update"
        answer.topic = topic
        answer.question = question
        answer.text = text
        if approve:
            answer.is_approved = True
            answer.approved_by = by
            answer.approved_at = now
        elif before is None or (before.text, before.question) != (text, question):
            answer.is_approved = False
            answer.approved_by = None
            answer.approved_at = None
        answer.save()
        audit_record(
            actor=by,
            action=action,
            obj=answer,
            agency_id=agency.pk,
            changes=changed_fields(before, answer, ["topic", "question", "text", "is_approved"]),
            now=now,
        )
    return answer


def answer_save_from_inquiry(*, inquiry: Inquiry, text: str, by: User, now: datetime) -> Answer:
    """Keep the answer just given to the public on ``inquiry`` in its agency's library.

    The topic is the inquiry's first topic (or "umum"), the typical question the
    inquiry's text. Approved only when ``by`` is a pejabat of the agency;
    otherwise it waits for one.
    """
    topics = [topic for topic in inquiry.topics if str(topic).strip()]
    return answer_save(
        agency=inquiry.agency,
        by=by,
        now=now,
        topic=str(topics[0]) if topics else DEFAULT_TOPIC,
        question=_question_from(inquiry.text),
        text=text,
        source_inquiry=inquiry,
    )


def answer_approve(*, answer: Answer, by: User, now: datetime) -> Answer:
    """A pejabat of the answer's agency approves it for reuse.

    Raises :class:`AnswerError` for anyone else or when it is already approved.
    """
    with transaction.atomic():
        locked = Answer.objects.select_for_update().get(pk=answer.pk)
        if not may_approve(by, locked.agency_id):
            raise AnswerError(_("Only a pejabat of the agency can approve its answers."))
        if locked.is_approved:
            raise AnswerError(_("This answer is already approved."))
        locked.is_approved = True
        locked.approved_by = by
        locked.approved_at = now
        locked.save(update_fields=["is_approved", "approved_by", "approved_at"])
        audit_record(
            actor=by,
            action="answer.approve",
            obj=locked,
            agency_id=locked.agency_id,
            changes={"is_approved": ["False", "True"]},
            now=now,
        )
    return locked


# --- The working calendar of the reply deadline (Lampiran B angka 4) ---------------------


class CalendarError(Exception):
    """A change of the working calendar was refused; the message is for the user."""


def may_change_deadline_calendar(user: User) -> bool:
    """Diskominfo evaluators and administrators set the working calendar; nobody else."""
    return scope_for(user).all_agencies and user.has_role(Role.EVALUATOR, Role.ADMINISTRATOR)


def deadline_calendar_update(*, by: User, now: datetime, **fields: object) -> DeadlineCalendar:
    """Change the working calendar of the reply deadline (:class:`DeadlineCalendar`).

    ``fields`` are some of ``DeadlineCalendar.EDITABLE`` (enabled, day_start,
    day_end, include_cuti_bersama). Preconditions: ``by`` may change it
    (:func:`may_change_deadline_calendar`) and the working day ends after it starts;
    otherwise :class:`CalendarError`. Side effects, only when a value changes: the
    row (made on the first save), one audit event, and every open forwarding not yet
    due is handed to the next deadline sweep, which re-derives its reminder marks
    with the new calendar. Their ``due_at`` stays: a deadline already given to an
    agency is not moved; the calendar applies to forwardings made from now on.
    """
    unknown = set(fields) - set(DeadlineCalendar.EDITABLE)
    if unknown:
        raise TypeError(f"not a field of the working calendar: {', '.join(sorted(unknown))}")
    if not may_change_deadline_calendar(by):
        raise CalendarError(
            _("Only Diskominfo evaluators and administrators can change the working calendar.")
        )
    editable = list(DeadlineCalendar.EDITABLE)
    with transaction.atomic():
        calendar = DeadlineCalendar.objects.select_for_update().get_or_create(
            pk=DeadlineCalendar.SINGLETON_PK
        )[0]
        before = DeadlineCalendar(**{name: getattr(calendar, name) for name in editable})
        for name, value in fields.items():
            setattr(calendar, name, value)
        if calendar.day_end <= calendar.day_start:
            raise CalendarError(_("The working day must end after it starts."))
        changes = changed_fields(before, calendar, editable)
        if not changes:
            return calendar
        calendar.updated_by = by
        calendar.updated_at = now
        calendar.save()
        audit_record(
            actor=by, action="deadline_calendar.update", obj=calendar, changes=changes, now=now
        )
        # The deadline itself and the escalations after it do not depend on the calendar;
        # only the reminder marks of a forwarding not yet due do.
        Forwarding.objects.filter(status=ForwardingStatus.OPEN, due_at__gt=now).update(
            next_notice_at=now
        )
    return calendar
