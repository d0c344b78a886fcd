"""The report's audience and engagement figures against hand-counted fixtures."""

import datetime as dt

import pytest

from accounts.tests.factories import OfficialAccountFactory
from publications import figures
from publications.models import PostCategory
from publications.services import (
    PostError,
    audience_record,
    post_approve,
    post_draft,
    post_metric_record,
    post_publish,
    post_submit,
)

pytestmark = pytest.mark.django_db

YEAR_START = dt.datetime(2025, 12, 31, 17, 0, tzinfo=dt.UTC)  # 1 Jan 2026 00:00 WIB
YEAR_END = dt.datetime(2026, 12, 31, 17, 0, tzinfo=dt.UTC)  # 1 Jan 2027 00:00 WIB
NOW = dt.datetime(2027, 1, 10, 2, 0, tzinfo=dt.UTC)
D = dt.date


@pytest.fixture
def world(agency_a, agency_b, officer_a, pejabat_a, officer_b):
    a1 = OfficialAccountFactory(agency=agency_a)
    a2 = OfficialAccountFactory(agency=agency_a)
    b1 = OfficialAccountFactory(agency=agency_b)

    def published(account, by, category, at):
        post = post_draft(account=account, category=category, text="Kabar", by=by, now=at)
        post_submit(post=post, by=by, now=at)
        approver = pejabat_a if account.agency_id == agency_a.pk else by
        if post.agency_id == agency_a.pk:
            post_approve(post=post, by=approver, now=at)
        return post_publish(post=post, by=by, url="https://x.test/p", published_at=at, now=at)

    from publications.models import PublicationPolicy

    PublicationPolicy.objects.create(agency=agency_b, requires_approval=False)
    march = dt.datetime(2026, 3, 5, 3, 0, tzinfo=dt.UTC)
    p1 = published(a1, officer_a, PostCategory.AGENCY_ACTIVITY, march)
    p2 = published(a2, officer_a, PostCategory.CURRENT_ISSUE, march)
    p3 = published(a1, officer_a, PostCategory.AGENCY_ACTIVITY, march)
    last_year = published(
        a1, officer_a, PostCategory.GOVERNMENT_POLICY, YEAR_START - dt.timedelta(days=2)
    )
    pb = published(b1, officer_b, PostCategory.GOVERNMENT_POLICY, march)
    # A draft never counts.
    post_draft(
        account=a1, category=PostCategory.CURRENT_ISSUE, text="Draf", by=officer_a, now=march
    )

    def reading(post, day, c, s, f, by=officer_a):
        post_metric_record(post=post, read_on=day, comments=c, shares=s, forwards=f, by=by, now=NOW)

    reading(p1, D(2026, 3, 6), 3, 1, 0)
    reading(p1, D(2026, 4, 1), 10, 4, 2)  # running totals: this one counts for p1
    reading(p2, D(2026, 3, 6), 5, 0, 1)
    reading(p1, D(2027, 1, 5), 99, 99, 99)  # after the year: not in 2026's report
    reading(last_year, D(2026, 1, 2), 50, 50, 50)  # a 2025 post: not counted in 2026
    reading(pb, D(2026, 6, 1), 7, 7, 7, by=officer_b)
    reading(p3, D(2026, 12, 31), 2, 1, 1)  # the year's last day (WIB) still counts

    for account, day, followers, by in (
        (a1, D(2026, 1, 1), 1000, officer_a),
        (a1, D(2026, 12, 31), 1500, officer_a),
        (a1, D(2027, 1, 2), 9999, officer_a),
        (a2, D(2026, 6, 30), 200, officer_a),
        (b1, D(2026, 12, 1), 300, officer_b),
    ):
        audience_record(account=account, taken_on=day, followers=followers, by=by, now=NOW)
    return {"a1": a1, "a2": a2, "b1": b1, "p3": p3}


def test_engagement_per_agency_in_a_year(world, agency_a, agency_b, django_assert_num_queries):
    with django_assert_num_queries(1):
        result = figures.engagement(start=YEAR_START, end=YEAR_END)
    a, b = result[agency_a.pk], result[agency_b.pk]
    # Hand count: agency A published p1, p2, p3 in 2026; p1 at its April reading
    # (10, 4, 2), p2 (5, 0, 1), p3 on 31 December (2, 1, 1).
    assert (a.posts, a.comments, a.shares, a.forwards) == (3, 17, 5, 4)
    assert a.by_category == {"kegiatan": 2, "isu_aktual": 1, "kebijakan": 0}
    assert (b.posts, b.comments, b.shares, b.forwards, b.by_category["kebijakan"]) == (
        1,
        7,
        7,
        7,
        1,
    )
    assert figures.engagement(start=YEAR_START, end=YEAR_END, agency_ids=[agency_b.pk]).keys() == {
        agency_b.pk
    }


def test_audience_per_account_and_agency_on_a_day(
    world, agency_a, agency_b, django_assert_num_queries
):
    with django_assert_num_queries(1):
        per_account = figures.audience(on=D(2026, 12, 31))
    assert per_account == {world["a1"].pk: 1500, world["a2"].pk: 200, world["b1"].pk: 300}
    assert figures.audience(on=D(2026, 6, 1)) == {world["a1"].pk: 1000}
    with django_assert_num_queries(1):
        per_agency = figures.audience_by_agency(on=D(2026, 12, 31))
    assert per_agency == {agency_a.pk: 1700, agency_b.pk: 300}


def test_a_reading_of_the_same_day_replaces_the_earlier(world, officer_a):
    p3 = world["p3"]
    for comments in (4, 6):
        post_metric_record(
            post=p3,
            read_on=D(2026, 3, 7),
            comments=comments,
            shares=0,
            forwards=0,
            by=officer_a,
            now=NOW,
        )
    assert p3.metrics.get(read_on=D(2026, 3, 7)).comments == 6


def test_figures_are_refused_before_publication_or_in_the_future(world, officer_a, officer_b):
    p3 = world["p3"]
    for day in (D(2026, 3, 4), D(2027, 2, 1)):
        with pytest.raises(PostError):
            post_metric_record(
                post=p3, read_on=day, comments=1, shares=0, forwards=0, by=officer_a, now=NOW
            )
    with pytest.raises(PostError):
        post_metric_record(
            post=p3, read_on=D(2026, 3, 8), comments=1, shares=0, forwards=0, by=officer_b, now=NOW
        )
    with pytest.raises(PostError):
        audience_record(
            account=world["a1"], taken_on=D(2027, 2, 1), followers=1, by=officer_a, now=NOW
        )
