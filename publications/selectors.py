"""Reads of posts, always through the user's scope (:mod:`accounts.access`)."""

from django.db.models import QuerySet

from accounts.access import scope_for, scoped
from accounts.models import User

from .models import Post, PostStatus


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
