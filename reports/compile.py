"""The figures of one agency's annual report (Pasal 15 ayat (3)), computed from the
portal's own data.

:func:`compile_report` returns a plain, JSON-ready dict with one entry per section
letter. While a report is a draft the page shows it live; at submission the same dict
is frozen into ``AnnualReport.snapshot`` and from then on everything (page, PDF,
exports) reads the snapshot. A year is the local (WIB) calendar year.

Every count comes from an aggregate of the apps that own the data:
:mod:`publications.figures` (audience, posts, comments, shares, forwards),
:mod:`inquiries.figures` (inquiries by kind and topic) and :mod:`inquiries.board`
(the 24-hour reply rate), so the report, the board and the dashboard agree.
"""

import datetime as dt

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from accounts.models import Agency, Appointment, Decree, OfficialAccount, Sop
from inquiries import figures as inquiry_figures
from inquiries.board import on_time_rates
from inquiries.models import Forwarding, ForwardingStatus, Inquiry
from publications import figures as post_figures
from publications.models import Post, PostCategory, PostStatus, Recommendation

SCHEMA = 1
TOP_POSTS = 5
TOP_TOPICS = 20


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The local year as ``[start, end)`` aware datetimes."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=tz),
        dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def report_figures(report, *, now: dt.datetime) -> dict:
    """What a report shows and prints: its frozen snapshot once submitted, the figures
    compiled ``now`` while it is a draft."""
    return report.snapshot or compile_report(report.agency, report.year, now=now)


def compile_report(agency: Agency, year: int, *, now: dt.datetime) -> dict:
    start, end = year_bounds(year)
    first_day, last_day = dt.date(year, 1, 1), dt.date(year, 12, 31)
    engagement = post_figures.engagement(start=start, end=end, agency_ids=[agency.pk]).get(
        agency.pk
    )
    return {
        "schema": SCHEMA,
        "agency": {"id": agency.pk, "name": agency.name, "short_name": agency.short_name},
        "year": year,
        "compiled_at": now.isoformat(),
        "a": _overview(agency, first_day, last_day),
        "b": _audience(agency, first_day, last_day),
        "c": _content(agency, start, end, engagement),
        "d": _comments(agency, first_day, last_day, engagement),
        "e": _shares_and_messages(agency, start, end, engagement),
        "f": _forwarded(agency, start, end, now, engagement),
        "h": _recommendations(agency, start, end),
    }


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _overview(agency: Agency, first_day: dt.date, last_day: dt.date) -> dict:
    """Section a: the accounts, decrees, SOP and appointments behind the policy."""
    accounts = OfficialAccount.objects.filter(agency=agency).select_related("decree")
    decrees = Decree.objects.filter(agency=agency, valid_from__lte=last_day).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=first_day)
    )
    sop = (
        Sop.objects.filter(agency=agency, effective_from__lte=last_day)
        .order_by("-effective_from", "-pk")
        .first()
    )
    appointments = (
        Appointment.objects.filter(agency=agency, starts_on__lte=last_day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first_day))
        .select_related("user", "decree")
    )
    return {
        "accounts": [
            {
                "id": a.pk,
                "platform": a.get_platform_display(),
                "type": a.get_account_type_display(),
                "handle": a.handle,
                "url": a.url,
                "status": a.get_status_display(),
                "decree": a.decree.number if a.decree else None,
            }
            for a in accounts.order_by("platform", "handle", "pk")
        ],
        "decrees": [
            {
                "number": d.number,
                "title": d.title,
                "valid_from": _date(d.valid_from),
                "valid_until": _date(d.valid_until),
            }
            for d in decrees.order_by("valid_from", "pk")
        ],
        "sop": {"title": sop.title, "effective_from": _date(sop.effective_from)} if sop else None,
        "appointments": [
            {
                "name": ap.user.get_full_name(),
                "role": ap.get_role_display(),
                "decree": ap.decree.number if ap.decree else None,
            }
            for ap in appointments.order_by("role", "user__full_name", "pk")
        ],
    }


def _audience(agency: Agency, first_day: dt.date, last_day: dt.date) -> dict:
    """Section b: each account's audience at the end of the year (its latest snapshot
    on or before 31 December) and at the start (on or before 31 December before)."""
    at_end = post_figures.audience(on=last_day, agency_ids=[agency.pk])
    at_start = post_figures.audience(on=first_day - dt.timedelta(days=1), agency_ids=[agency.pk])
    rows = []
    for account in OfficialAccount.objects.filter(agency=agency).order_by(
        "platform", "handle", "pk"
    ):
        end, begin = at_end.get(account.pk), at_start.get(account.pk)
        rows.append(
            {
                "id": account.pk,
                "platform": account.get_platform_display(),
                "handle": account.handle,
                "followers": end,
                "followers_at_start": begin,
                "growth": end - begin if end is not None and begin is not None else None,
            }
        )
    return {
        "accounts": rows,
        "total": sum(at_end.values()),
        "total_at_start": sum(at_start.values()),
        "accounts_without_figure": sum(1 for row in rows if row["followers"] is None),
    }


def _published(agency: Agency, start: dt.datetime, end: dt.datetime):
    return Post.objects.filter(
        agency=agency, status=PostStatus.PUBLISHED, published_at__gte=start, published_at__lt=end
    )


def _content(agency: Agency, start: dt.datetime, end: dt.datetime, engagement) -> dict:
    """Section c: posts by Pasal 10 category and month, and the most engaging posts."""
    by_month = {m: dict.fromkeys(PostCategory.values, 0) for m in range(1, 13)}
    rows = (
        _published(agency, start, end)
        .annotate(month=ExtractMonth("published_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("month", "category")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        by_month[row["month"]][row["category"]] = row["n"]
    top = (
        _published(agency, start, end)
        .select_related("account")
        .annotate(
            comments=post_figures.latest_reading("comments", end),
            shares=post_figures.latest_reading("shares", end),
            forwards=post_figures.latest_reading("forwards", end),
        )
        .annotate(engagement=F("comments") + F("shares") + F("forwards"))
        .order_by("-engagement", "-published_at", "pk")[:TOP_POSTS]
    )
    return {
        "posts": engagement.posts if engagement else 0,
        "by_category": engagement.by_category
        if engagement
        else dict.fromkeys(PostCategory.values, 0),
        "by_month": [
            {"month": month, **counts, "total": sum(counts.values())}
            for month, counts in by_month.items()
        ],
        "top_posts": [
            {
                "id": post.pk,
                "account": f"{post.account.get_platform_display()} {post.account.handle}",
                "published_at": timezone.localtime(post.published_at).isoformat(),
                "category": post.category,
                "text": post.text[:280],
                "url": post.url,
                "comments": post.comments,
                "shares": post.shares,
                "forwards": post.forwards,
                "engagement": post.engagement,
            }
            for post in top
        ],
    }


def _comments(agency: Agency, first_day: dt.date, last_day: dt.date, engagement) -> dict:
    """Section d: comments on the posts, and the inquiries by kind and topic."""
    end_day = last_day + dt.timedelta(days=1)
    topics = inquiry_figures.topics_in(first_day, end_day, [agency.pk], limit=TOP_TOPICS)
    return {
        "comments": engagement.comments if engagement else 0,
        "inquiries": topics.total,
        "inquiries_by_kind": topics.by_kind,
        "topics": [
            {"topic": row.topic, "by_kind": row.by_kind, "total": row.total} for row in topics.rows
        ],
    }


def _shares_and_messages(agency: Agency, start: dt.datetime, end: dt.datetime, engagement) -> dict:
    """Section e: shares of the posts, and the messages the agency sent: its posts and
    its answers to the public."""
    answers = Inquiry.objects.filter(
        agency=agency, answered_at__gte=start, answered_at__lt=end
    ).count()
    posts = engagement.posts if engagement else 0
    return {
        "shares": engagement.shares if engagement else 0,
        "posts": posts,
        "answers": answers,
        "messages_sent": posts + answers,
    }


def _forwarded(agency: Agency, start: dt.datetime, end: dt.datetime, now, engagement) -> dict:
    """Section f: forwards of the posts (reposts), and the inquiries forwarded between
    agencies (Lampiran B): sent, received, replied within 24 hours, overdue."""
    sent = (
        Forwarding.objects.filter(from_agency=agency, forwarded_at__gte=start, forwarded_at__lt=end)
        .exclude(status=ForwardingStatus.CANCELLED)
        .aggregate(
            total=Count("pk"),
            replied=Count("pk", filter=Q(replied_at__isnull=False)),
            replied_on_time=Count("pk", filter=Q(replied_at__lte=F("due_at"))),
        )
    )
    # "Overdue" is as of compiling: a forwarding still open past its deadline.
    rate = on_time_rates(start=start, end=end, now=now, agency_ids=[agency.pk]).get(agency.pk)
    received = {
        "total": rate.total if rate else 0,
        "replied": rate.replied if rate else 0,
        "replied_on_time": rate.replied_on_time if rate else 0,
        "replied_late": rate.replied_late if rate else 0,
        "overdue_open": rate.overdue_open if rate else 0,
        "on_time_rate": rate.rate if rate else None,
    }
    return {
        "forwards": engagement.forwards if engagement else 0,
        "sent": sent,
        "received": received,
    }


def _recommendations(agency: Agency, start: dt.datetime, end: dt.datetime) -> dict:
    """Section h: the recommendations for follow-up recorded in the year."""
    recommendations = (
        Recommendation.objects.filter(agency=agency, created_at__gte=start, created_at__lt=end)
        .annotate(
            inquiry_count=Count("inquiries", distinct=True),
            post_count=Count("posts", distinct=True),
        )
        .order_by("created_at", "pk")
    )
    return {
        "recommendations": [
            {
                "title": r.title,
                "body": r.body,
                "follow_up": r.follow_up,
                "status": r.get_status_display(),
                "inquiries": r.inquiry_count,
                "posts": r.post_count,
            }
            for r in recommendations
        ]
    }
