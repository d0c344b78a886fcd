"""Posts, their approval history and the per-agency approval setting."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, OfficialAccount


class PostCategory(models.TextChoices):
    """The three kinds of content of Pasal 10."""

    AGENCY_ACTIVITY = "kegiatan", _("Agency activities")
    CURRENT_ISSUE = "isu_aktual", _("Current issues in Kabupaten Katingan")
    GOVERNMENT_POLICY = "kebijakan", _("Policies of the central and regional government")


class MediaType(models.TextChoices):
    TEXT = "text", _("Text")
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")
    LINK = "link", _("Link")
    DOCUMENT = "document", _("Document")


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class PublicationPolicy(models.Model):
    """Whether an agency's posts need its pejabat's approval before they are published
    (Pasal 3 and 12). Without a row, they do: the safer reading."""

    agency = models.OneToOneField(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+"
    )
    requires_approval = models.BooleanField(_("posts need the pejabat's approval"), default=True)

    class Meta:
        verbose_name = _("publication policy")
        verbose_name_plural = _("publication policies")

    def __str__(self) -> str:
        return str(self.agency)


class Post(models.Model):
    """One post of an official account (Pasal 8 huruf e), in one Pasal 10 category.

    ``tags`` holds the hashtags and mentioned accounts, the "tagging" of Pasal 8 huruf e.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="posts"
    )
    account = models.ForeignKey(
        OfficialAccount,
        verbose_name=_("official account"),
        on_delete=models.PROTECT,
        related_name="posts",
    )
    category = models.CharField(_("category (Pasal 10)"), max_length=12, choices=PostCategory)
    text = models.TextField(_("text"))
    tags = models.JSONField(_("hashtags and mentions"), default=list, blank=True)
    media_type = models.CharField(
        _("media type"), max_length=10, choices=MediaType, default=MediaType.TEXT
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PostStatus, default=PostStatus.DRAFT
    )
    planned_at = models.DateTimeField(_("planned for"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    url = models.URLField(_("link to the post"), max_length=500, blank=True)
    platform_post_id = models.CharField(_("post id on the platform"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-published_at", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "platform_post_id"],
                condition=~Q(platform_post_id=""),
                name="publications_unique_platform_post",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="publications_published_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "published_at"], name="post_agency_idx"),
            models.Index(fields=["account", "published_at"], name="post_account_idx"),
            # "Posts this year" per agency on the dashboard: published posts only.
            models.Index(
                fields=["published_at"],
                include=["id", "agency"],
                condition=models.Q(status="published"),
                name="post_published_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class PostEvent(models.Model):
    """One step of a post's approval path; append-only (who, when, from, to, note)."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("post event")
        verbose_name_plural = _("post events")
        ordering = ["at", "pk"]

    ACTION_LABELS = {
        "draft": _("Draft written"),
        "edit": _("Edited"),
        "submit": _("Sent on"),
        "approve": _("Approved"),
        "return": _("Returned for changes"),
        "publish": _("Recorded as published"),
        "import": _("Imported from the platform's export"),
    }

    def __str__(self) -> str:
        return f"{self.post_id} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("post events are append-only")
        super().save(*args, **kwargs)

    @property
    def action_label(self) -> str:
        return self.ACTION_LABELS.get(self.action, self.action)

    @property
    def to_status_label(self) -> str:
        return PostStatus(self.to_status).label if self.to_status in PostStatus.values else ""


class FigureSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Imported from the platform")


class RecordedFigure(models.Model):
    """Where a figure came from, and who recorded it when."""

    source = models.CharField(_("source"), max_length=10, choices=FigureSource)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        abstract = True


class PostMetric(RecordedFigure):
    """A post's engagement as read on one day: comments, shares and forwards (reposts),
    the figures Pasal 15 ayat (3) asks the annual report to count. One reading per
    post and day; a later reading of the same day replaces it."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="metrics"
    )
    read_on = models.DateField(_("read on"))
    comments = models.PositiveIntegerField(_("comments"), default=0)
    shares = models.PositiveIntegerField(_("shares"), default=0)
    forwards = models.PositiveIntegerField(_("forwards (reposts)"), default=0)

    class Meta:
        verbose_name = _("post figures")
        verbose_name_plural = _("post figures")
        ordering = ["post", "read_on"]
        constraints = [
            models.UniqueConstraint(fields=["post", "read_on"], name="publications_one_reading")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {self.read_on}"


class AudienceSnapshot(RecordedFigure):
    """An account's audience (followers or subscribers) on one day."""

    account = models.ForeignKey(
        OfficialAccount,
        verbose_name=_("official account"),
        on_delete=models.CASCADE,
        related_name="audience",
    )
    taken_on = models.DateField(_("taken on"))
    followers = models.PositiveIntegerField(_("followers or subscribers"))

    class Meta:
        verbose_name = _("audience snapshot")
        verbose_name_plural = _("audience snapshots")
        ordering = ["account", "taken_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "taken_on"], name="publications_one_snapshot_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.taken_on}: {self.followers}"


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Follow-up planned")
    IN_PROGRESS = "in_progress", _("Follow-up under way")
    DONE = "done", _("Followed up")


class Recommendation(models.Model):
    """A rekomendasi tindak lanjut (Pasal 8 huruf h–j): what the agency will do about
    what the public said, recorded by its pejabat.

    It is linked to the inquiries behind it and to the posts that disseminated the
    follow-up; the annual report (Pasal 15 ayat (3) huruf h) lists these.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="recommendations"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("recommendation"))
    follow_up = models.TextField(_("follow-up plan"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RecommendationStatus,
        default=RecommendationStatus.OPEN,
    )
    inquiries = models.ManyToManyField(
        "inquiries.Inquiry",
        verbose_name=_("inquiries behind it"),
        blank=True,
        related_name="recommendations",
    )
    posts = models.ManyToManyField(
        Post,
        verbose_name=_("posts that disseminated the follow-up"),
        blank=True,
        related_name="recommendations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"))
    updated_at = models.DateTimeField(_("last change"))

    class Meta:
        verbose_name = _("recommendation for follow-up")
        verbose_name_plural = _("recommendations for follow-up")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "created_at"], name="rec_agency_idx")]

    def __str__(self) -> str:
        return self.title
