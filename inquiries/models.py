"""Inquiries from the public and their forwarding between agencies (Lampiran B).

Glossary: an *inquiry* is a pertanyaan, komentar, kritik or saran that an agency
receives on one of its official accounts (Lampiran B angka 1). A *forwarding*
(penerusan) hands it to the agency with authority (angka 3), which must reply
within 24 hours (angka 4); the receiving officer then answers the public
(angka 5). The state machine lives in :mod:`inquiries.flow`.
"""

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, OfficialAccount

from .workcalendar import DEFAULT_DAY_END, DEFAULT_DAY_START, WorkingCalendar

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
TRACKING_LENGTH = 8


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


class InquiryKind(models.TextChoices):
    """The four kinds of Lampiran B angka 1."""

    QUESTION = "pertanyaan", _("Question")
    COMMENT = "komentar", _("Comment")
    CRITICISM = "kritik", _("Criticism")
    SUGGESTION = "saran", _("Suggestion")


class InquiryStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    ANSWERED_DIRECTLY = "answered_directly", _("Answered directly")
    FORWARDED = "forwarded", _("Forwarded")
    REPLIED = "replied", _("Reply received")
    ANSWERED = "answered", _("Answered to the public")
    CLOSED = "closed", _("Closed")
    DISMISSED = "dismissed", _("Closed as spam or duplicate")


OPEN_STATUSES = (InquiryStatus.RECORDED, InquiryStatus.FORWARDED, InquiryStatus.REPLIED)


class DismissReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    DUPLICATE = "duplicate", _("Duplicate")


class Inquiry(models.Model):
    """One pertanyaan, komentar, kritik or saran from the public."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("receiving agency"),
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    channel = models.ForeignKey(
        OfficialAccount,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="inquiries",
        help_text=_("The official account on which it was received."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=InquiryKind.choices)
    author_name = models.CharField(_("author's name or handle"), max_length=150)
    author_contact = models.CharField(
        _("author's contact"),
        max_length=150,
        blank=True,
        help_text=_(
            "Optional telephone or e-mail. Personal data: shown only to the handling agencies."
        ),
    )
    text = models.TextField(_("text"))
    source_url = models.URLField(
        _("link to the original post or comment"), max_length=500, blank=True
    )
    received_at = models.DateTimeField(_("received on social media at"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    topics = models.JSONField(_("topics"), default=list, blank=True)
    tracking_code = models.CharField(
        _("tracking code"), max_length=TRACKING_LENGTH, unique=True, default=new_tracking_code
    )
    status = models.CharField(
        _("status"), max_length=20, choices=InquiryStatus.choices, default=InquiryStatus.RECORDED
    )
    # Bumped by every transition: a form that was loaded before someone else's
    # change is refused instead of overwriting it.
    version = models.PositiveIntegerField(default=1)
    # Denormalised from the open forwarding so the inbox can sort by urgency
    # without a join; null when nothing is awaited from another agency.
    due_at = models.DateTimeField(_("reply due at"), null=True, blank=True)
    # Denormalised: when it was first forwarded (null: never). The dashboard counts
    # "answered directly" and "forwarded" per agency without a join.
    forwarded_at = models.DateTimeField(_("first forwarded at"), null=True, blank=True)
    current_forwarding = models.ForeignKey(
        "Forwarding",
        verbose_name=_("current forwarding"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answer_text = models.TextField(_("answer to the public"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    dismiss_reason = models.CharField(
        _("reason for closing"), max_length=10, choices=DismissReason.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # UU 27/2022: when the citizen's details were replaced (retention or their request).
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    # 0 while open, 1 once closed: the inbox's first sort key, kept by the database
    # itself so the "most urgent first" order walks an index instead of sorting every
    # row of the agency (inquiries.selectors.by_urgency).
    closed_rank = models.GeneratedField(
        expression=models.Case(
            models.When(status__in=[str(s) for s in OPEN_STATUSES], then=models.Value(0)),
            default=models.Value(1),
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )
    # NULL, not "", when absent: the unique constraint must ignore inquiries without one.
    idempotency_key = models.CharField(  # noqa: DJ001
        max_length=80, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="inquiries_unique_idempotency_key",
            )
        ]
        indexes = [
            models.Index(fields=["agency", "status", "received_at"], name="inq_agency_status_idx"),
            # The inbox, most urgent first: of one agency, and regency-wide.
            models.Index(
                fields=["agency", "closed_rank", "due_at", "-received_at", "-id"],
                name="inq_agency_urgency_idx",
            ),
            models.Index(
                fields=["closed_rank", "due_at", "-received_at", "-id"], name="inq_urgency_idx"
            ),
            # ... and of one status (the status filter).
            models.Index(
                fields=["agency", "status", "closed_rank", "due_at", "-received_at", "-id"],
                name="inq_agency_status_urgency_idx",
            ),
            models.Index(fields=["agency", "received_at"], name="inq_agency_received_idx"),
            models.Index(fields=["due_at"], condition=Q(due_at__isnull=False), name="inq_due_idx"),
            # The annual report counts an agency's answers to the public per year.
            models.Index(
                fields=["agency", "answered_at"],
                condition=Q(answered_at__isnull=False),
                name="inq_agency_answered_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} ({self.get_kind_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ForwardingStatus(models.TextChoices):
    OPEN = "open", _("Awaiting reply")
    REPLIED = "replied", _("Replied")
    REROUTED = "rerouted", _("Re-routed")
    CANCELLED = "cancelled", _("Cancelled")


class Forwarding(models.Model):
    """The hand-over of an inquiry to the agency with authority (Lampiran B angka 3-4).

    Each forwarding keeps its own clock: ``due_at`` is fixed when it is created
    (24 hours by default, wall-clock, as the regulation says).
    """

    inquiry = models.ForeignKey(
        Inquiry, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="forwardings"
    )
    from_agency = models.ForeignKey(
        Agency, verbose_name=_("from agency"), on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        Agency,
        verbose_name=_("to agency"),
        on_delete=models.PROTECT,
        related_name="forwardings_received",
    )
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("forwarded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    forwarded_at = models.DateTimeField(_("forwarded at"))
    due_at = models.DateTimeField(_("reply due at"))
    # When the deadline sweep must look at this forwarding again (the next reminder
    # mark, the deadline, the second escalation), derived from due_at; NULL when no
    # notice can become due any more. See inquiries.deadlines.
    next_notice_at = models.DateTimeField(_("next deadline notice at"), null=True, blank=True)
    note = models.TextField(_("note to the agency"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ForwardingStatus.choices, default=ForwardingStatus.OPEN
    )
    reply_text = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("forwarding")
        verbose_name_plural = _("forwardings")
        ordering = ["forwarded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_agency=models.F("to_agency")),
                name="inquiries_forwarding_not_to_self",
            ),
            models.UniqueConstraint(
                fields=["inquiry"],
                condition=Q(status="open"),
                name="inquiries_one_open_forwarding",
            ),
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(status="open"), name="fwd_open_due_idx"),
            models.Index(
                fields=["next_notice_at", "id"],
                condition=Q(status="open", next_notice_at__isnull=False),
                name="fwd_open_notice_idx",
            ),
            models.Index(fields=["to_agency", "forwarded_at"], name="fwd_to_agency_idx"),
            # The dashboard's "overdue at the end of each week" reads only the
            # forwardings replied late or not at all (a quarter of them, or fewer).
            models.Index(
                fields=["forwarded_at"],
                include=["id", "to_agency", "due_at", "replied_at", "status"],
                condition=Q(replied_at__isnull=True) | Q(replied_at__gt=models.F("due_at")),
                name="fwd_late_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inquiry_id}: {self.from_agency_id} → {self.to_agency_id}"

    @property
    def replied_on_time(self) -> bool | None:
        if self.replied_at is None:
            return None
        return self.replied_at <= self.due_at


class InquiryEvent(models.Model):
    """One step in an inquiry's history; append-only (who, when, from, to, note)."""

    inquiry = models.ForeignKey(
        Inquiry, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("acting agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    forwarding = models.ForeignKey(
        Forwarding, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("inquiry event")
        verbose_name_plural = _("inquiry events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["inquiry", "at"], name="inq_event_idx")]

    def __str__(self) -> str:
        return f"{self.inquiry_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("inquiry events are append-only")
        super().save(*args, **kwargs)


class Answer(models.Model):
    """A reusable answer of the library (Lampiran B angka 2, "jawaban sudah tersedia")."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="answers"
    )
    topic = models.CharField(_("topic"), max_length=100)
    question = models.CharField(_("typical question"), max_length=300)
    text = models.TextField(_("answer"))
    is_approved = models.BooleanField(_("approved"), default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    source_inquiry = models.ForeignKey(
        Inquiry,
        verbose_name=_("first given for"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    times_used = models.PositiveIntegerField(_("times used"), default=0)

    class Meta:
        verbose_name = _("library answer")
        verbose_name_plural = _("library answers")
        ordering = ["topic", "question"]
        indexes = [models.Index(fields=["agency", "is_approved"], name="answer_agency_idx")]

    def __str__(self) -> str:
        return f"{self.topic}: {self.question}"


class IntegrationToken(models.Model):
    """An API key of one integration (a social listening tool) bound to one agency.

    Only a hash of the key is stored; the key itself is shown once, when made.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("key prefix"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("integration token")
        verbose_name_plural = _("integration tokens")
        ordering = ["agency", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class DeadlineCalendar(models.Model):
    """The working calendar of the 24-hour reply deadline (Lampiran B angka 4).

    Off by default: the regulation says 24 hours, and they run on the wall clock.
    Diskominfo may switch it on; the reply clock of a forwarding then pauses outside
    the working hours of working days (Monday to Friday, except Indonesia's public
    holidays and, if chosen, the government's cuti bersama). One row at most, with
    pk 1; no row means off. Changed only through
    :func:`inquiries.services.deadline_calendar_update`, which audits it. See
    :mod:`inquiries.workcalendar`.
    """

    SINGLETON_PK = 1
    EDITABLE = ("enabled", "day_start", "day_end", "include_cuti_bersama")

    enabled = models.BooleanField(_("working calendar on"), default=False)
    day_start = models.TimeField(_("working day starts at (WIB)"), default=DEFAULT_DAY_START)
    day_end = models.TimeField(_("working day ends at (WIB)"), default=DEFAULT_DAY_END)
    include_cuti_bersama = models.BooleanField(_("cuti bersama days are days off"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("working calendar of the reply deadline")
        verbose_name_plural = _("working calendar of the reply deadline")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="deadline_calendar_singleton"),
            models.CheckConstraint(
                condition=Q(day_end__gt=models.F("day_start")),
                name="deadline_calendar_day_order",
            ),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def load(cls) -> "DeadlineCalendar":
        """The saved setting, or the default one (off, unsaved) when none is saved."""
        return cls.objects.filter(pk=cls.SINGLETON_PK).first() or cls(pk=cls.SINGLETON_PK)

    @classmethod
    def calendar_of(
        cls,
        *,
        enabled: bool | None,
        day_start: dt.time | None,
        day_end: dt.time | None,
        include_cuti_bersama: bool | None,
    ) -> WorkingCalendar:
        """The :class:`WorkingCalendar` of these field values; ``enabled`` None (no row
        saved) is off."""
        if not enabled or day_start is None or day_end is None:
            return WorkingCalendar()
        return WorkingCalendar(
            enabled=True,
            day_start=day_start,
            day_end=day_end,
            include_cuti_bersama=bool(include_cuti_bersama),
            tz=ZoneInfo(settings.TIME_ZONE),
        )

    def as_calendar(self) -> WorkingCalendar:
        return self.calendar_of(**{name: getattr(self, name) for name in self.EDITABLE})

    @classmethod
    def current(cls) -> WorkingCalendar:
        """The calendar in force (one query); off when no setting is saved."""
        row = cls.objects.filter(pk=cls.SINGLETON_PK).values(*cls.EDITABLE).first()
        return cls.calendar_of(**row) if row else WorkingCalendar()


class DailyCount(models.Model):
    """Inquiries received per agency and local day (WIB), by kind, with how many of
    them were answered directly and how many forwarded: the stored counters behind
    the dashboard's inquiry figures, so a year's figures read a few thousand rows
    instead of scanning every inquiry.

    Written only by :mod:`inquiries.counts`, in the same transaction as the
    inquiry's own change (so the counters and the inquiries never disagree), and
    rebuilt from the inquiries by ``manage.py rebuild_inquiry_counts``.
    """

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day received (WIB)"))
    week = models.DateField(_("week (its Monday)"))
    # One column per kind of Lampiran B; received = their sum.
    questions = models.IntegerField(_("questions"), default=0)
    comments = models.IntegerField(_("comments"), default=0)
    criticisms = models.IntegerField(_("criticisms"), default=0)
    suggestions = models.IntegerField(_("suggestions"), default=0)
    answered_directly = models.IntegerField(_("answered directly"), default=0)
    forwarded = models.IntegerField(_("forwarded"), default=0)

    class Meta:
        verbose_name = _("daily inquiry count")
        verbose_name_plural = _("daily inquiry counts")
        ordering = ["-day", "agency"]
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="inq_daily_key")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}"


class ForwardingDailyCount(models.Model):
    """Forwardings received per agency and local day (WIB) of forwarding, not
    cancelled, with how many were replied, on time and late: the stored counters
    behind the 24-hour rates of the board, the dashboard and the annual report.
    Kept like :class:`DailyCount`; "overdue now" depends on the moment and is always
    counted from the open forwardings themselves.
    """

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("receiving agency"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField(_("day forwarded (WIB)"))
    total = models.IntegerField(_("forwardings"), default=0)
    replied = models.IntegerField(_("replied"), default=0)
    replied_on_time = models.IntegerField(_("replied on time"), default=0)
    replied_late = models.IntegerField(_("replied late"), default=0)

    class Meta:
        verbose_name = _("daily forwarding count")
        verbose_name_plural = _("daily forwarding counts")
        ordering = ["-day", "agency"]
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="fwd_daily_key")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}"
