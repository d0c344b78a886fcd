"""Writes and state transitions of posts: one function per step of the approval path.

Draft (petugas or pejabat) → submitted → approved (the agency's pejabat) or returned
with a note → published with its link and time. An agency whose
:class:`PublicationPolicy` does not require approval goes from submitted straight
to approved. Each step locks the post, checks its state and who acts, writes one
:class:`PostEvent` and one audit row.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import scope_for
from accounts.models import AccountStatus, AccountType, OfficialAccount, User
from accounts.roles import APPROVER_ROLES
from audit.services import audit_record
from inquiries.models import Inquiry
from inquiries.selectors import handled_by

from .models import (
    AudienceSnapshot,
    FigureSource,
    Post,
    PostEvent,
    PostMetric,
    PostStatus,
    PublicationPolicy,
    Recommendation,
    RecommendationStatus,
)

S = PostStatus


class PostError(Exception):
    """A step that is not possible now; the message is for the user."""


def normalise_tags(tags: Iterable[str]) -> list[str]:
    """Hashtags and mentions, each starting with ``#`` or ``@``, without duplicates
    (case-insensitive), in the order given."""
    seen: set[str] = set()
    result = []
    for raw in tags:
        tag = raw.strip()
        if not tag:
            continue
        if tag[0] not in "#@" or len(tag) < 2 or any(c.isspace() for c in tag):
            raise PostError(
                _("“%(tag)s” is not a hashtag (#…) or a mentioned account (@…).") % {"tag": tag}
            )
        if tag.lower() not in seen:
            seen.add(tag.lower())
            result.append(tag)
    return result


def clean_text(account: OfficialAccount, text: str) -> str:
    """The post's text without surrounding space; refused when empty or too long."""
    text = text.strip()
    if not text:
        raise PostError(_("A post needs a text."))
    check_length(account, text)
    return text


def check_length(account: OfficialAccount, text: str) -> None:
    """Lampiran A: a microblog message has at most ``MICROBLOG_MAX_CHARS`` characters."""
    limit = settings.MICROBLOG_MAX_CHARS
    if account.account_type == AccountType.MICROBLOG and len(text) > limit:
        raise PostError(
            _(
                "A microblog message has at most %(limit)s characters including spaces "
                "(Lampiran A); this one has %(length)s."
            )
            % {"limit": limit, "length": len(text)}
        )


def requires_approval(agency_id: int) -> bool:
    policy = PublicationPolicy.objects.filter(agency_id=agency_id).first()
    return True if policy is None else policy.requires_approval


def post_draft(
    *,
    account: OfficialAccount,
    category: str,
    text: str,
    by: User,
    now: datetime,
    tags: Iterable[str] = (),
    media_type: str = "text",
    planned_at: datetime | None = None,
) -> Post:
    """A petugas or pejabat of the account's agency writes a draft."""
    _require_agency_writer(by, account.agency_id)
    if account.status != AccountStatus.ACTIVE:
        raise PostError(_("Posts can only be written for an active official account."))
    text = clean_text(account, text)
    with transaction.atomic():
        post = Post.objects.create(
            agency_id=account.agency_id,
            account=account,
            category=category,
            text=text,
            tags=normalise_tags(tags),
            media_type=media_type,
            planned_at=planned_at,
            created_by=by,
            created_at=now,
        )
        _event(post, by, now, "draft", "", S.DRAFT)
    return post


def post_edit(
    *,
    post: Post,
    by: User,
    now: datetime,
    text: str,
    category: str,
    tags: Iterable[str] = (),
    media_type: str = "text",
    planned_at: datetime | None = None,
) -> Post:
    """Change a draft or a returned post; an approved or published one is not edited
    (its approval would no longer be of what goes out)."""
    with transaction.atomic():
        locked = _locked(post, by, allowed=(S.DRAFT, S.RETURNED), action=_("edit"))
        locked.text = clean_text(locked.account, text)
        locked.category = category
        locked.tags = normalise_tags(tags)
        locked.media_type = media_type
        locked.planned_at = planned_at
        locked.version += 1
        locked.save(
            update_fields=["text", "category", "tags", "media_type", "planned_at", "version"]
        )
        _event(locked, by, now, "edit", locked.status, locked.status)
    return locked


def post_submit(*, post: Post, by: User, now: datetime) -> Post:
    """Send a draft (or a returned post) for approval; without approval, approve it."""
    with transaction.atomic():
        locked = _locked(post, by, allowed=(S.DRAFT, S.RETURNED), action=_("submit"))
        target = S.SUBMITTED if requires_approval(locked.agency_id) else S.APPROVED
        return _move(locked, by, now, "submit", target)


def post_approve(*, post: Post, by: User, now: datetime) -> Post:
    """The agency's pejabat approves a submitted post (Pasal 3 and 12)."""
    with transaction.atomic():
        locked = _locked(post, by, allowed=(S.SUBMITTED,), action=_("approve"))
        _require_pejabat(by)
        return _move(locked, by, now, "approve", S.APPROVED)


def post_return(*, post: Post, by: User, note: str, now: datetime) -> Post:
    """The agency's pejabat returns a submitted post, saying what to change."""
    if not note.strip():
        raise PostError(_("Say what should be changed."))
    with transaction.atomic():
        locked = _locked(post, by, allowed=(S.SUBMITTED,), action=_("return"))
        _require_pejabat(by)
        return _move(locked, by, now, "return", S.RETURNED, note=note.strip())


def post_publish(
    *,
    post: Post,
    by: User,
    url: str,
    published_at: datetime,
    now: datetime,
    platform_post_id: str = "",
) -> Post:
    """Record that an approved post is out, with its link and time."""
    if not url.strip():
        raise PostError(_("A published post needs its link."))
    if published_at > now:
        raise PostError(_("The publication time cannot be in the future."))
    with transaction.atomic():
        locked = _locked(post, by, allowed=(S.APPROVED,), action=_("publish"))
        locked.url = url.strip()
        locked.published_at = published_at
        locked.platform_post_id = platform_post_id.strip()
        locked.save(update_fields=["url", "published_at", "platform_post_id"])
        return _move(locked, by, now, "publish", S.PUBLISHED)


# --- Internals ------------------------------------------------------------------------


def _require_agency_writer(user: User, agency_id: int) -> None:
    if not scope_for(user).may_write_agency(agency_id):
        raise PostError(_("You may not write posts for this agency."))


def _require_pejabat(user: User) -> None:
    if not user.roles & APPROVER_ROLES:
        raise PostError(_("Only the agency's pejabat approves or returns a post."))


def _locked(post: Post, by: User, *, allowed: tuple[str, ...], action: str) -> Post:
    locked = Post.objects.select_for_update().get(pk=post.pk)
    _require_agency_writer(by, locked.agency_id)
    if locked.status not in allowed:
        raise PostError(
            _("“%(action)s” is not possible while the post is “%(status)s”.")
            % {"action": action, "status": S(locked.status).label}
        )
    return locked


def _move(post: Post, by: User, now: datetime, action: str, to: str, note: str = "") -> Post:
    before = post.status
    post.status = to
    post.version += 1
    post.save(update_fields=["status", "version"])
    _event(post, by, now, action, before, to, note)
    return post


def _event(post: Post, by: User, now: datetime, action: str, before: str, to: str, note=""):
    PostEvent.objects.create(
        post=post, at=now, actor=by, action=action, from_status=before, to_status=to, note=note
    )
    audit_record(
        actor=by,
        action=f"post_{action}",
        obj=post,
        changes={"status": [before, to]},
        note=note,
        now=now,
    )


def post_metric_record(
    *,
    post: Post,
    read_on: date,
    comments: int,
    shares: int,
    forwards: int,
    by: User,
    now: datetime,
    source: str = FigureSource.MANUAL,
) -> PostMetric:
    """Record a published post's figures as read on ``read_on`` (replacing that day's)."""
    _require_agency_writer(by, post.agency_id)
    if post.status != S.PUBLISHED:
        raise PostError(_("Figures are recorded for published posts only."))
    if read_on < timezone.localdate(post.published_at) or read_on > timezone.localdate(now):
        raise PostError(_("The figures must be read between publication and today."))
    if min(comments, shares, forwards) < 0:
        raise PostError(_("Figures cannot be negative."))
    with transaction.atomic():
        metric, _created = PostMetric.objects.update_or_create(
            post=post,
            read_on=read_on,
            defaults={
                "comments": comments,
                "shares": shares,
                "forwards": forwards,
                "source": source,
                "recorded_by": by,
                "recorded_at": now,
            },
        )
        audit_record(
            actor=by,
            action="post_metric_record",
            obj=metric,
            agency_id=post.agency_id,
            changes={"comments": comments, "shares": shares, "forwards": forwards},
            now=now,
        )
    return metric


def audience_record(
    *,
    account: OfficialAccount,
    taken_on: date,
    followers: int,
    by: User,
    now: datetime,
    source: str = FigureSource.MANUAL,
) -> AudienceSnapshot:
    """Record an account's audience on ``taken_on`` (replacing that day's)."""
    _require_agency_writer(by, account.agency_id)
    if taken_on > timezone.localdate(now):
        raise PostError(_("An audience figure cannot be dated in the future."))
    if followers < 0:
        raise PostError(_("Figures cannot be negative."))
    with transaction.atomic():
        snapshot, _created = AudienceSnapshot.objects.update_or_create(
            account=account,
            taken_on=taken_on,
            defaults={
                "followers": followers,
                "source": source,
                "recorded_by": by,
                "recorded_at": now,
            },
        )
        audit_record(
            actor=by,
            action="audience_record",
            obj=snapshot,
            agency_id=account.agency_id,
            changes={"followers": followers},
            now=now,
        )
    return snapshot


# --- Recommendations (Pasal 8 huruf h–j) ------------------------------------------------


def recommendation_save(
    *,
    agency_id: int,
    by: User,
    now: datetime,
    title: str,
    body: str,
    follow_up: str = "",
    status: str = RecommendationStatus.OPEN,
    inquiries: Iterable[Inquiry] = (),
    posts: Iterable[Post] = (),
    recommendation: Recommendation | None = None,
) -> Recommendation:
    """Record (or change) a recommendation for follow-up of the agency's pejabat.

    The inquiries behind it must be ones the agency handled (received or was forwarded),
    the posts the agency's own published posts: a recommendation cannot point into
    another agency's work.
    """
    _require_agency_writer(by, agency_id)
    _require_pejabat(by)
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise PostError(_("A recommendation needs a title and its text."))
    inquiries, posts = list(inquiries), list(posts)
    handled = set(
        Inquiry.objects.filter(handled_by(agency_id), pk__in=[i.pk for i in inquiries]).values_list(
            "pk", flat=True
        )
    )
    if any(inquiry.pk not in handled for inquiry in inquiries):
        raise PostError(_("Only inquiries this agency received or was forwarded can be linked."))
    if any(post.agency_id != agency_id or post.status != S.PUBLISHED for post in posts):
        raise PostError(_("Only the agency's own published posts can be linked."))
    with transaction.atomic():
        if recommendation is None:
            recommendation = Recommendation(agency_id=agency_id, created_by=by, created_at=now)
            action = "recommendation_create"
        else:
            recommendation = Recommendation.objects.select_for_update().get(
                pk=recommendation.pk, agency_id=agency_id
            )
            action = "recommendation_edit"
        recommendation.title = title
        recommendation.body = body
        recommendation.follow_up = follow_up.strip()
        recommendation.status = status
        recommendation.updated_at = now
        recommendation.save()
        recommendation.inquiries.set(inquiries)
        recommendation.posts.set(posts)
        audit_record(
            actor=by,
            action=action,
            obj=recommendation,
            agency_id=agency_id,
            changes={
                "status": status,
                "inquiries": sorted(i.pk for i in inquiries),
                "posts": sorted(p.pk for p in posts),
            },
            now=now,
        )
    return recommendation


def publication_policy_set(
    *, agency_id: int, requires: bool, by: User, now: datetime
) -> PublicationPolicy:
    """The agency's pejabat (or an administrator) decides whether posts need approval."""
    _require_agency_writer(by, agency_id)
    _require_pejabat(by)
    with transaction.atomic():
        policy, _created = PublicationPolicy.objects.select_for_update().get_or_create(
            agency_id=agency_id, defaults={"requires_approval": requires}
        )
        before = policy.requires_approval if not _created else None
        policy.requires_approval = requires
        policy.save(update_fields=["requires_approval"])
        audit_record(
            actor=by,
            action="publication_policy_set",
            obj=policy,
            agency_id=agency_id,
            changes={"requires_approval": [before, requires]},
            now=now,
        )
    return policy
