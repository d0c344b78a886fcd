"""Forms of the publication pages. They parse and check the shape of what is typed;
the rules of the approval path live in :mod:`publications.services`."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountStatus, Agency, OfficialAccount
from inquiries.models import Inquiry
from inquiries.selectors import handled_by

from .models import (
    MediaType,
    Post,
    PostCategory,
    PostStatus,
    RecommendationStatus,
)

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def active_accounts(agency: Agency):
    return OfficialAccount.objects.filter(agency=agency, status=AccountStatus.ACTIVE).order_by(
        "platform", "handle", "pk"
    )


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OfficialAccount) -> str:
        return f"{obj.get_platform_display()} · {obj.handle} ({obj.get_account_type_display()})"


class PostForm(forms.Form):
    account = AccountChoiceField(label=_("Official account"), queryset=OfficialAccount.objects)
    category = forms.ChoiceField(label=_("Category (Pasal 10)"), choices=PostCategory.choices)
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A microblog message has at most 140 characters including spaces."),
    )
    tags = forms.CharField(
        label=_("Hashtags and mentions"),
        required=False,
        help_text=_("Separated by spaces or commas, e.g. #KatinganSehat @dinkes.katingan"),
    )
    media_type = forms.ChoiceField(label=_("Media type"), choices=MediaType.choices)
    planned_at = forms.DateTimeField(
        label=_("Planned for (WIB)"),
        required=False,
        widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, agency: Agency, post: Post | None = None, **kwargs):
        if post is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "account": post.account_id,
                "category": post.category,
                "text": post.text,
                "tags": " ".join(post.tags),
                "media_type": post.media_type,
                "planned_at": post.planned_at
                and timezone.localtime(post.planned_at).replace(tzinfo=None),
            }
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = active_accounts(agency)
        if post is not None:
            # The account of a post does not change: it was written for that platform.
            self.fields["account"].disabled = True
            self.fields["account"].queryset = OfficialAccount.objects.filter(pk=post.account_id)

    def tag_list(self) -> list[str]:
        return self.cleaned_data["tags"].replace(",", " ").split()


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What should be changed"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PublishForm(forms.Form):
    url = forms.URLField(label=_("Link to the post"), max_length=500, assume_scheme="https")
    published_at = forms.DateTimeField(
        label=_("Published at (WIB)"),
        widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    platform_post_id = forms.CharField(
        label=_("Post id on the platform"),
        max_length=100,
        required=False,
        help_text=_("Optional; a later import of the platform's export then updates this post."),
    )


class MetricForm(forms.Form):
    read_on = forms.DateField(label=_("Read on"), widget=DATE_WIDGET)
    comments = forms.IntegerField(label=_("Comments"), min_value=0)
    shares = forms.IntegerField(label=_("Shares"), min_value=0)
    forwards = forms.IntegerField(label=_("Forwards (reposts)"), min_value=0)


class AudienceForm(forms.Form):
    account = AccountChoiceField(label=_("Official account"), queryset=OfficialAccount.objects)
    taken_on = forms.DateField(label=_("Taken on"), widget=DATE_WIDGET)
    followers = forms.IntegerField(label=_("Followers or subscribers"), min_value=0)

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = active_accounts(agency)


class PostImportForm(forms.Form):
    account = AccountChoiceField(label=_("Official account"), queryset=OfficialAccount.objects)
    file = forms.FileField(label=_("CSV file exported from the platform"))
    format = forms.ChoiceField(label=_("Layout of the file"), required=False)
    default_category = forms.ChoiceField(
        label=_("Category for rows without one"),
        choices=PostCategory.choices,
        help_text=_("Platform exports do not know Pasal 10; posts already recorded keep theirs."),
    )

    def __init__(self, *args, agency: Agency, formats: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = active_accounts(agency)
        self.fields["format"].choices = [("", _("Detect from the header"))] + [
            (name, fmt.label) for name, fmt in formats.items()
        ]


class PeriodForm(forms.Form):
    """A period of local dates: the start inclusive, the end inclusive as typed."""

    dari = forms.DateField(label=_("From"), widget=DATE_WIDGET, required=False)
    sampai = forms.DateField(label=_("Until"), widget=DATE_WIDGET, required=False)

    def period(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """``(start, end)`` with ``end`` exclusive; by default this year up to today."""
        start = dt.date(today.year, 1, 1)
        last = today
        if self.is_valid():
            start = self.cleaned_data.get("dari") or start
            last = self.cleaned_data.get("sampai") or last
        if last < start:
            start, last = last, start
        return start, last + dt.timedelta(days=1)


class RecommendationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 4}))
    follow_up = forms.CharField(
        label=_("Follow-up plan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(label=_("Status"), choices=RecommendationStatus.choices)
    inquiry_codes = forms.CharField(
        label=_("Inquiries behind it"),
        required=False,
        help_text=_("Their tracking codes, separated by spaces or commas."),
    )
    posts = forms.ModelMultipleChoiceField(
        label=_("Posts that disseminated the follow-up"),
        queryset=Post.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    # The post picker offers the agency's latest published posts.
    POST_CHOICES = 200

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        recent = (
            Post.objects.filter(agency=agency, status=PostStatus.PUBLISHED)
            .order_by("-published_at", "-pk")
            .values("pk")[: self.POST_CHOICES]
        )
        chosen = self.initial.get("posts") or []
        self.fields["posts"].queryset = Post.objects.filter(
            pk__in=list(recent.values_list("pk", flat=True)) + [p.pk for p in chosen]
        ).select_related("account")
        self.fields["posts"].label_from_instance = lambda post: (
            f"{timezone.localtime(post.published_at):%d-%m-%Y} · "
            f"{post.account.handle} · {post.text[:60]}"
        )

    def clean_inquiry_codes(self) -> list[Inquiry]:
        codes = [
            c.strip().upper() for c in self.cleaned_data["inquiry_codes"].replace(",", " ").split()
        ]
        codes = list(dict.fromkeys(c for c in codes if c))
        found = {
            inquiry.tracking_code: inquiry
            for inquiry in Inquiry.objects.filter(
                handled_by(self.agency.pk), tracking_code__in=codes
            )
        }
        missing = [code for code in codes if code not in found]
        if missing:
            raise forms.ValidationError(
                _("No inquiry handled by this agency has the tracking code %(codes)s.")
                % {"codes": ", ".join(missing)}
            )
        return [found[code] for code in codes]
