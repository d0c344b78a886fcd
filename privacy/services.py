"""Writes of personal data protection: reveals, anonymisation, retention, subject requests.

Every function here writes its audit event (``audit.services.audit_record``) in the
same transaction as the change, and never puts a citizen's data into the event: the
record is named by id and tracking code, the reason is the officer's words.
"""

import datetime as dt
import logging
import re
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent
from audit.services import audit_record
from inquiries.models import OPEN_STATUSES, Forwarding, Inquiry, InquiryEvent
from inquiries.privacy import handles_inquiry
from katingan_sosmed import clock

from .models import RetentionRun, SubjectRequest, SubjectRequestKind, SubjectRequestStatus

log = logging.getLogger(__name__)

# What an anonymised inquiry's author becomes; the figures keep counting it.
ANONYMOUS = "Anonim"
REDACTED = "[dihapus]"
BATCH = 500

# A citizen's contact details written into free text: e-mail addresses, telephone
# numbers (7+ digits, with spaces, dots or dashes, +62 or 0), social media handles.
_CONTACT_IN_TEXT = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])"
    r"|(?:\+?62|0)[\s.-]?\d(?:[\s.-]?\d){6,}"
)


class PrivacyError(Exception):
    """A refused step; the message is for the user."""


def is_evaluator(user: User) -> bool:
    return user.is_authenticated and user.is_active and Role.EVALUATOR in user.roles


def scrub(text: str, name: str = "") -> str:
    """``text`` with every e-mail address, telephone number and handle replaced, and
    the words of the citizen's ``name`` (when given) cut to their initial."""
    if not text:
        return text
    text = _CONTACT_IN_TEXT.sub(REDACTED, text)
    words = {word for word in re.findall(r"\w+", name.lstrip("@")) if len(word) >= 3}
    if words:
        pattern = (
            r"\b("
            + "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
            + r")\b"
        )
        text = re.sub(pattern, lambda match: match.group(0)[0] + ".", text, flags=re.IGNORECASE)
    return text


# --- Reveal ---------------------------------------------------------------------------


def may_reveal(user: User, inquiry: Inquiry) -> bool:
    """Officers of a handling agency, and evaluators (who must give a reason)."""
    return handles_inquiry(user, inquiry) or is_evaluator(user)


def contact_reveal(*, inquiry: Inquiry, by: User, reason: str, now: dt.datetime) -> str:
    """The author's full contact, for ``by``; writes the audit event of the reveal."""
    reason = reason.strip()
    if inquiry.anonymised_at is not None:
        raise PrivacyError(_("This inquiry was anonymised; its contact no longer exists."))
    handler = handles_inquiry(by, inquiry)
    if not handler and not is_evaluator(by):
        raise PrivacyError(_("Only the handling agencies and evaluators may see the contact."))
    if not handler and not reason:
        raise PrivacyError(_("Give the reason for seeing the citizen's contact."))
    audit_record(actor=by, action="reveal_contact", obj=inquiry, note=reason, now=now, changes={})
    return inquiry.author_contact


def export_record(*, by: User, personal: bool, count: int, reason: str, now: dt.datetime):
    """The audit event of one export of inquiries (with or without personal data)."""
    return AuditEvent.objects.create(
        at=now,
        actor=by,
        action="export_personal_data" if personal else "export",
        object_type="inquiries.inquiry",
        object_id="*",
        object_repr=f"{count} inquiries",
        agency_id=None if personal else by.agency_id,
        changes={"rows": count},
        note=reason,
    )


# --- Anonymisation --------------------------------------------------------------------


def _anonymise_batch(ids: list[int], *, by: User | None, now: dt.datetime, reason: str) -> int:
    with transaction.atomic():
        rows = list(
            Inquiry.objects.select_for_update()
            .filter(pk__in=ids, anonymised_at__isnull=True)
            .only(
                "pk",
                "agency_id",
                "tracking_code",
                "kind",
                "status",
                "author_name",
                "text",
                "answer_text",
            )
        )
        if not rows:
            return 0
        names = {inquiry.pk: inquiry.author_name for inquiry in rows}
        for inquiry in rows:
            inquiry.text = scrub(inquiry.text, inquiry.author_name)
            inquiry.answer_text = scrub(inquiry.answer_text, inquiry.author_name)
            inquiry.author_name = ANONYMOUS
            inquiry.author_contact = ""
            inquiry.source_url = ""
            inquiry.anonymised_at = now
        Inquiry.objects.bulk_update(
            rows,
            ["author_name", "author_contact", "source_url", "text", "answer_text", "anonymised_at"],
        )
        done = [inquiry.pk for inquiry in rows]
        forwardings = list(
            Forwarding.objects.filter(inquiry_id__in=done).only(
                "pk", "inquiry_id", "note", "reply_text"
            )
        )
        for forwarding in forwardings:
            name = names[forwarding.inquiry_id]
            forwarding.note = scrub(forwarding.note, name)
            forwarding.reply_text = scrub(forwarding.reply_text, name)
        Forwarding.objects.bulk_update(forwardings, ["note", "reply_text"])
        events = list(
            InquiryEvent.objects.filter(inquiry_id__in=done)
            .exclude(note="")
            .only("pk", "inquiry_id", "note")
        )
        for event in events:
            event.note = scrub(event.note, names[event.inquiry_id])
        # The history is append-only for the flow; anonymisation is the one rewrite of
        # its notes, done in SQL (bulk_update, one statement per batch) so the model's
        # save() guard stays for everyone else.
        InquiryEvent.objects.bulk_update(events, ["note"], batch_size=BATCH)
        InquiryEvent.objects.bulk_create(
            InquiryEvent(
                inquiry=inquiry,
                at=now,
                actor=by,
                agency_id=None,
                action="anonymise",
                from_status=inquiry.status,
                to_status=inquiry.status,
                note=reason,
            )
            for inquiry in rows
        )
        AuditEvent.objects.bulk_create(
            AuditEvent(
                at=now,
                actor=by,
                action="anonymise",
                object_type="inquiries.inquiry",
                object_id=str(inquiry.pk),
                object_repr=str(inquiry)[:200],
                agency_id=inquiry.agency_id,
                changes={"fields": ["author_name", "author_contact", "source_url", "text"]},
                note=reason,
            )
            for inquiry in rows
        )
    return len(rows)


def inquiries_anonymise(
    inquiries: QuerySet[Inquiry] | Iterable[int], *, by: User | None, now: dt.datetime, reason: str
) -> int:
    """Replace the citizen's name, contact and link of ``inquiries`` and scrub contact
    details out of their texts, in batches; kind, status, dates, topics and agencies
    stay, so every figure counted from them stays. Returns how many were anonymised
    (those already anonymised are left alone, so running it twice is harmless)."""
    if isinstance(inquiries, QuerySet):
        ids = list(inquiries.filter(anonymised_at__isnull=True).values_list("pk", flat=True))
    else:
        ids = list(inquiries)
    total = 0
    for start in range(0, len(ids), BATCH):
        total += _anonymise_batch(ids[start : start + BATCH], by=by, now=now, reason=reason)
    return total


# --- Retention ------------------------------------------------------------------------


def retention_cutoff(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)


def expired_inquiries(now: dt.datetime) -> QuerySet[Inquiry]:
    """Closed inquiries whose handling ended before the retention cutoff: closed (or
    dismissed) before it, or answered before it and never closed."""
    cutoff = retention_cutoff(now)
    ended = Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, answered_at__lt=cutoff)
    return Inquiry.objects.filter(ended, anonymised_at__isnull=True).exclude(
        status__in=OPEN_STATUSES
    )


def sign_in_records_delete(now: dt.datetime) -> int:
    """Delete django-axes' sign-in records (user name, IP address) past their period."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    before = now - dt.timedelta(days=settings.SIGN_IN_LOG_RETENTION_DAYS)
    deleted = 0
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        deleted += model.objects.filter(attempt_time__lt=before).delete()[0]
    return deleted


def retention_apply(*, now: dt.datetime | None = None) -> RetentionRun:
    """Anonymise what the retention period has run out on, and log the run."""
    now = now or clock.now()
    run = RetentionRun.objects.create(
        started_at=now,
        cutoff=retention_cutoff(now),
        retention_days=settings.PERSONAL_DATA_RETENTION_DAYS,
    )
    run.inquiries = inquiries_anonymise(
        expired_inquiries(now), by=None, now=now, reason=_("Retention period ended")
    )
    run.subject_requests = SubjectRequest.objects.filter(
        anonymised_at__isnull=True, resolved_at__lt=run.cutoff
    ).update(requester_name=ANONYMOUS, identifier=REDACTED, details="", anonymised_at=now)
    run.sign_in_records = sign_in_records_delete(now)
    run.finished_at = clock.now()
    run.save(update_fields=["inquiries", "subject_requests", "sign_in_records", "finished_at"])
    log.info(
        "retention run %s: %s inquiries and %s subject requests anonymised (closed before "
        "%s), %s sign-in records deleted",
        run.pk,
        run.inquiries,
        run.subject_requests,
        run.cutoff.isoformat(),
        run.sign_in_records,
    )
    return run


# --- Subject requests -----------------------------------------------------------------


def subject_request_due(received_at: dt.datetime) -> dt.datetime:
    return received_at + dt.timedelta(hours=settings.SUBJECT_REQUEST_HOURS)


def _require_evaluator(user: User) -> None:
    if not is_evaluator(user):
        raise PrivacyError(_("Only Diskominfo's evaluators handle subject requests."))


def subject_request_create(
    *,
    by: User,
    now: dt.datetime,
    kind: str,
    requester_name: str,
    identifier: str,
    received_at: dt.datetime,
    received_via: str = "",
    details: str = "",
) -> SubjectRequest:
    _require_evaluator(by)
    if received_at > now:
        raise PrivacyError(_("The request cannot have been received in the future."))
    with transaction.atomic():
        request = SubjectRequest.objects.create(
            kind=SubjectRequestKind(kind),
            requester_name=requester_name.strip(),
            identifier=identifier.strip(),
            received_via=received_via.strip(),
            details=details.strip(),
            received_at=received_at,
            due_at=subject_request_due(received_at),
            recorded_at=now,
            recorded_by=by,
        )
        audit_record(actor=by, action="create", obj=request, now=now)
    return request


def _digits(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return "0" + digits[2:] if digits.startswith("62") else digits


def inquiries_of(identifier: str, among: QuerySet[Inquiry] | None = None) -> QuerySet[Inquiry]:
    """Every inquiry of one citizen (of ``among``, by default all), by the handle or name
    they wrote under, or by the telephone number or e-mail address they left (a number
    matches however it was written: ``+62 812-...`` and ``0812...``)."""
    among = Inquiry.objects.all() if among is None else among
    identifier = identifier.strip()
    if not identifier:
        return among.none()
    condition = Q(author_name__iexact=identifier) | Q(author_contact__iexact=identifier)
    if identifier.startswith("@"):
        condition |= Q(author_name__iexact=identifier[1:])
    else:
        condition |= Q(author_name__iexact="@" + identifier)
    digits = _digits(identifier)
    if len(digits) >= 7 and "@" not in identifier:
        # Any separators between the digits, and the +62 or 0 prefix.
        pattern = r"^\s*(\+?62|0)[\s.-]*" + r"[\s.-]*".join(digits[1:]) + r"\s*$"
        condition |= Q(author_contact__regex=pattern)
    return among.filter(condition, anonymised_at__isnull=True)


def subject_request_correct(
    *,
    request: SubjectRequest,
    inquiries: list[Inquiry],
    by: User,
    now: dt.datetime,
    author_name: str,
    author_contact: str,
) -> int:
    """Correct the citizen's name and contact on ``inquiries`` (found by the request)."""
    _require_evaluator(by)
    if not request.is_open:
        raise PrivacyError(_("This request is already closed."))
    author_name, author_contact = author_name.strip(), author_contact.strip()
    if not author_name:
        raise PrivacyError(_("The corrected name cannot be empty."))
    with transaction.atomic():
        rows = list(
            Inquiry.objects.select_for_update().filter(
                pk__in=[inquiry.pk for inquiry in inquiries], anonymised_at__isnull=True
            )
        )
        for inquiry in rows:
            changed = [
                field
                for field, value in (
                    ("author_name", author_name),
                    ("author_contact", author_contact),
                )
                if getattr(inquiry, field) != value
            ]
            if not changed:
                continue
            inquiry.author_name, inquiry.author_contact = author_name, author_contact
            inquiry.save(update_fields=["author_name", "author_contact"])
            # Which fields changed, never their values: the audit holds no citizen data.
            audit_record(
                actor=by,
                action="correct_personal_data",
                obj=inquiry,
                changes={"fields": changed},
                note=_("Subject request #%(number)s") % {"number": request.pk},
                now=now,
            )
    return len(rows)


def subject_request_erase(
    *, request: SubjectRequest, inquiries: list[Inquiry], by: User, now: dt.datetime
) -> int:
    _require_evaluator(by)
    if not request.is_open:
        raise PrivacyError(_("This request is already closed."))
    return inquiries_anonymise(
        [inquiry.pk for inquiry in inquiries],
        by=by,
        now=now,
        reason=_("Subject request #%(number)s") % {"number": request.pk},
    )


def subject_request_export_record(
    *, request: SubjectRequest, count: int, by: User, now: dt.datetime
) -> None:
    _require_evaluator(by)
    audit_record(
        actor=by,
        action="export_personal_data",
        obj=request,
        changes={"rows": count},
        note=_("Subject request #%(number)s") % {"number": request.pk},
        now=now,
    )


def subject_request_close(
    *, request: SubjectRequest, by: User, now: dt.datetime, status: str, resolution: str
) -> SubjectRequest:
    _require_evaluator(by)
    status = SubjectRequestStatus(status)
    if status == SubjectRequestStatus.OPEN:
        raise PrivacyError(_("Choose how the request ends."))
    if not resolution.strip():
        raise PrivacyError(_("Write the answer given to the citizen."))
    with transaction.atomic():
        locked = SubjectRequest.objects.select_for_update().get(pk=request.pk)
        if not locked.is_open:
            raise PrivacyError(_("This request is already closed."))
        locked.status = status
        locked.resolution = resolution.strip()
        locked.resolved_at = now
        locked.resolved_by = by
        locked.save(update_fields=["status", "resolution", "resolved_at", "resolved_by"])
        audit_record(
            actor=by, action=f"close_{status}", obj=locked, changes={"status": status}, now=now
        )
    return locked
