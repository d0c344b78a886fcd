"""The annual report of Pasal 15, its evaluation of Pasal 16 and the files built from them.

An :class:`AnnualReport` is one agency's report for one year. Its figures (sections
b–f and the registry lists of a and h) are computed by :mod:`reports.compile`, never
typed; its narrative (a, g, h) is written by the agency. At submission the figures are
frozen into ``snapshot``: from then on the report shows and prints the snapshot, so a
submitted report never changes when new data arrives.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to Diskominfo")
    UNDER_EVALUATION = "evaluating", _("Under evaluation")
    RETURNED = "returned", _("Returned for revision")
    EVALUATED = "evaluated", _("Evaluated")
    SENT = "sent", _("Sent to the Bupati")


# Pasal 15 ayat (3): the sections of the report, by letter.
SECTIONS = {
    "a": _("General overview of the policy on information services through social media"),
    "b": _("Audience"),
    "c": _("Discussion of message content"),
    "d": _("Comments on message content"),
    "e": _("Shares and messages sent"),
    "f": _("Messages forwarded"),
    "g": _("External and internal constraints"),
    "h": _("Recommendations and follow-up plan"),
}

# Pasal 14: the facilities that support the service, asked as a checklist in section g.
FACILITIES = {
    "computer": _("Computers"),
    "electricity": _("Electricity network"),
    "internet": _("Internet connection (modem, wifi or mobile phone)"),
}


class AnnualReport(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus, default=ReportStatus.DRAFT
    )
    policy_overview = models.TextField(_("policy overview (a)"), blank=True)
    constraints_external = models.TextField(_("external constraints (g)"), blank=True)
    constraints_internal = models.TextField(_("internal constraints (g)"), blank=True)
    facilities = models.JSONField(_("facilities (Pasal 14)"), default=dict, blank=True)
    recommendations_text = models.TextField(_("recommendations and follow-up plan (h)"), blank=True)
    # The figures as they were at submission; empty while a draft (computed live).
    snapshot = models.JSONField(_("frozen figures"), default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("last change"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent to the Bupati at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "agency__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="reports_one_report_a_year"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(status="returned") | ~Q(snapshot={}),
                name="reports_submitted_has_snapshot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ReportEvent(models.Model):
    """One step of a report's workflow; append-only."""

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["at", "pk"]

    ACTION_LABELS = {
        "create": _("Started"),
        "edit": _("Narrative written"),
        "submit": _("Submitted"),
        "evaluate_start": _("Evaluation started"),
        "return": _("Returned for revision"),
        "evaluated": _("Evaluated"),
        "send": _("Sent to the Bupati"),
    }

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("report events are append-only")
        super().save(*args, **kwargs)

    @property
    def action_label(self) -> str:
        return self.ACTION_LABELS.get(self.action, self.action)


class Evaluation(models.Model):
    """Diskominfo's evaluation of one report (Pasal 16): findings and recommendations per
    section, an overall conclusion and, when the rubric is switched on, a score."""

    report = models.OneToOneField(
        AnnualReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="evaluation"
    )
    # {"a": {"findings": "...", "recommendations": "...", "score": 3}, ...}
    sections = models.JSONField(_("findings per section"), default=dict, blank=True)
    conclusion = models.TextField(_("overall conclusion"), blank=True)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last change"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return str(self.report)


class ReportFileKind(models.TextChoices):
    ANNUAL = "annual", _("Annual report")
    REGENCY = "regency", _("Regency report")


class ReportFileStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportFile(models.Model):
    """A PDF built by a Celery task: one agency's annual report, or the regency report."""

    kind = models.CharField(_("kind"), max_length=10, choices=ReportFileKind)
    report = models.ForeignKey(
        AnnualReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportFileStatus, default=ReportFileStatus.PENDING
    )
    document = models.FileField(_("file"), upload_to="reports/%Y/", blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The report's version the file was built from: a newer version needs a new file.
    report_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="regency", report__isnull=True)
                | Q(kind="annual", report__isnull=False),
                name="reports_file_kind_matches",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"
