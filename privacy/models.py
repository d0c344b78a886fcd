"""Subject requests of citizens (UU 27/2022 Pasal 5-9) and the log of retention runs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SubjectRequestKind(models.TextChoices):
    ACCESS = "access", _("Access to their data")
    CORRECTION = "correction", _("Correction of their data")
    ERASURE = "erasure", _("Deletion of their data")


class SubjectRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Completed")
    REFUSED = "refused", _("Refused")


class SubjectRequest(models.Model):
    """A citizen asks to see, correct or delete the data the portal holds on them.

    Answered within 3×24 hours (``due_at``, fixed when it is recorded). The citizen's
    name and identifier are personal data too: they are shown to evaluators only, and
    cleared by the retention run once the request has been closed for the retention
    period.
    """

    kind = models.CharField(_("request"), max_length=12, choices=SubjectRequestKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SubjectRequestStatus.choices,
        default=SubjectRequestStatus.OPEN,
    )
    requester_name = models.CharField(_("citizen's name"), max_length=150)
    identifier = models.CharField(
        _("handle or contact"),
        max_length=150,
        help_text=_(
            "The social media handle, telephone number or e-mail address the citizen "
            "used: the portal finds their inquiries by it."
        ),
    )
    received_via = models.CharField(
        _("received via"),
        max_length=200,
        blank=True,
        help_text=_("For example: letter, e-mail to Diskominfo, visit to the office."),
    )
    details = models.TextField(_("what the citizen asks"), blank=True)
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("answer due at"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.TextField(_("answer to the citizen"), blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("subject request")
        verbose_name_plural = _("subject requests")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(status="open"),
                name="subject_request_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == SubjectRequestStatus.OPEN


class RetentionRun(models.Model):
    """One run of the retention rule: what it anonymised, up to which moment."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    cutoff = models.DateTimeField(
        _("closed before"), help_text=_("Inquiries closed before this moment were anonymised.")
    )
    retention_days = models.PositiveIntegerField(_("retention period (days)"))
    inquiries = models.PositiveIntegerField(_("inquiries anonymised"), default=0)
    subject_requests = models.PositiveIntegerField(_("subject requests anonymised"), default=0)
    sign_in_records = models.PositiveIntegerField(_("sign-in records deleted"), default=0)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}: {self.inquiries}"
