"""The audience and engagement figures the annual report counts (Pasal 15 ayat 3).

Pure reads with the period given by the caller, each one aggregate query. Platform
figures are running totals, so a post counts with its latest reading up to the end
of the period (never the sum of its readings), and an account's audience is its
latest snapshot on or before the day asked.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import AudienceSnapshot, Post, PostCategory, PostMetric, PostStatus


@dataclass(frozen=True)
class Engagement:
    agency_id: int
    posts: int
    by_category: dict[str, int]
    comments: int
    shares: int
    forwards: int


def latest_reading(field: str, end: dt.datetime) -> Coalesce:
    """A post's ``field`` at its latest reading dated before the local day of ``end``
    (0 when never read), as an expression to annotate posts with."""
    last_day = timezone.localdate(end)  # exclusive: readings dated before the local end
    reading = PostMetric.objects.filter(post=OuterRef("pk"), read_on__lt=last_day).order_by(
        "-read_on"
    )
    return Coalesce(Subquery(reading.values(field)[:1], output_field=IntegerField()), Value(0))


def engagement(
    *, start: dt.datetime, end: dt.datetime, agency_ids: Iterable[int] | None = None
) -> dict[int, Engagement]:
    """Per agency: posts published in ``[start, end)``, by Pasal 10 category, and the
    comments, shares and forwards of those posts at their latest reading before
    ``end``. ``end`` should be a local midnight (readings are dated)."""
    posts = Post.objects.filter(
        status=PostStatus.PUBLISHED, published_at__gte=start, published_at__lt=end
    )
    if agency_ids is not None:
        posts = posts.filter(agency_id__in=list(agency_ids))
    posts = posts.annotate(
        latest_comments=latest_reading("comments", end),
        latest_shares=latest_reading("shares", end),
        latest_forwards=latest_reading("forwards", end),
    )
    rows = (
        posts.order_by()
        .values("agency_id")
        .annotate(
            total=Count("pk"),
            comments=Sum("latest_comments"),
            shares=Sum("latest_shares"),
            forwards=Sum("latest_forwards"),
            **{f"category_{c}": Count("pk", filter=Q(category=c)) for c in PostCategory.values},
        )
    )
    return {
        row["agency_id"]: Engagement(
            agency_id=row["agency_id"],
            posts=row["total"],
            by_category={c: row[f"category_{c}"] for c in PostCategory.values},
            comments=row["comments"] or 0,
            shares=row["shares"] or 0,
            forwards=row["forwards"] or 0,
        )
        for row in rows
    }


def audience(*, on: dt.date, agency_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Per official account: its followers or subscribers by its latest snapshot on
    or before ``on``; accounts without one are absent."""
    rows = latest_snapshots(on, agency_ids).values_list("account_id", "followers")
    return dict(rows)


def latest_snapshots(on: dt.date, agency_ids: Iterable[int] | None):
    """Each account's latest audience snapshot on or before ``on``."""
    snapshots = AudienceSnapshot.objects.filter(taken_on__lte=on)
    if agency_ids is not None:
        snapshots = snapshots.filter(account__agency_id__in=list(agency_ids))
    latest = AudienceSnapshot.objects.filter(
        account=OuterRef("account"), taken_on__lte=on
    ).order_by("-taken_on")
    return snapshots.filter(pk=Subquery(latest.values("pk")[:1]))


def audience_by_agency(*, on: dt.date, agency_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Per agency: the sum of its accounts' audience by :func:`audience`'s rule."""
    rows = (
        latest_snapshots(on, agency_ids)
        .order_by()
        .values("account__agency_id")
        .annotate(total=Sum("followers"))
    )
    return {row["account__agency_id"]: row["total"] for row in rows}
