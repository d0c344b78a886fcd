"""Reads of posts, always through the user's scope (:mod:`accounts.access`)."""

from django.db.models import OuterRef, QuerySet, Subquery

from accounts.access import scope_for, scoped
from accounts.models import User

from .models import AudienceSnapshot, Post, PostMetric, PostStatus, Recommendation


def posts_for(user: User) -> QuerySet[Post]:
    """The posts ``user`` may see.

    An agency's own petugas and pejabat see all its posts, drafts included. Regency
    roles (evaluator, Pimpinan) see only what was published: a draft is the agency's
    working paper until it is out. Administrators see everything.
    """
    posts = scoped(Post.objects.select_related("account", "agency"), user)
    scope = scope_for(user)
    if scope.all_agencies and not scope.can_write:
        posts = posts.filter(status=PostStatus.PUBLISHED)
    return posts


def recommendations_for(user: User) -> QuerySet[Recommendation]:
    """The recommendations ``user`` may see: their agency's, or every agency's for a
    regency role."""
    return scoped(Recommendation.objects.select_related("agency", "created_by"), user)


def audience_for(user: User) -> QuerySet[AudienceSnapshot]:
    """The audience snapshots of the accounts ``user`` may see."""
    return scoped(
        AudienceSnapshot.objects.select_related("account__agency", "recorded_by"),
        user,
        lookups=("account__agency",),
    )


def latest_figures(posts: QuerySet[Post]) -> QuerySet[Post]:
    """``posts`` with the figures of their latest reading (``last_*``; None when never
    read)."""
    latest = PostMetric.objects.filter(post=OuterRef("pk")).order_by("-read_on")
    return posts.annotate(
        last_read_on=Subquery(latest.values("read_on")[:1]),
        last_comments=Subquery(latest.values("comments")[:1]),
        last_shares=Subquery(latest.values("shares")[:1]),
        last_forwards=Subquery(latest.values("forwards")[:1]),
    )
