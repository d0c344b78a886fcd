"""The figures of the annual report (Pasal 15 ayat (3) b–f, and the lists of a and h),
each against a hand-counted fixture; and a submitted report frozen against new data."""

import datetime as dt

import pytest

from accounts.tests.factories import OfficialAccountFactory, UserFactory
from inquiries.models import ForwardingStatus, InquiryKind
from inquiries.tests.factories import InquiryFactory, forwarding_made
from publications.models import AudienceSnapshot, PostCategory, Recommendation
from publications.tests.factories import PostMetricFactory, PublishedPostFactory
from reports.compile import compile_report

pytestmark = pytest.mark.django_db

WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2027, 1, 10, 2, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at(month, day, hour=9, year=2026):
    return dt.datetime(year, month, day, hour, tzinfo=WIB)


@pytest.fixture
def year_of_work(agency_a, agency_b, officer_a, officer_b):
    """Agency A's 2026, counted by hand in the comments."""
    ig = OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan")
    fb = OfficialAccountFactory(agency=agency_a, platform="facebook", handle="dinkes.katingan")

    def snap(account, day, followers):
        AudienceSnapshot.objects.create(
            account=account,
            taken_on=day,
            followers=followers,
            source="manual",
            recorded_by=officer_a,
            recorded_at=NOW,
        )

    # b: audience at the end of 2026 = 1,500 + 800; at its start = 1,000 (fb had none).
    snap(ig, dt.date(2025, 12, 31), 1000)
    snap(ig, dt.date(2026, 12, 31), 1500)
    snap(ig, dt.date(2027, 1, 5), 9999)  # after the year: ignored
    snap(fb, dt.date(2026, 6, 1), 800)

    # c: five posts in 2026 — 3 kegiatan (Jan, Jan, Mar), 1 isu aktual (Mar), 1 kebijakan
    # (Dec, 23:30 WIB on the 31st); one on 1 Jan 2027 00:30 WIB and one of agency B: ignored.
    k, i, p = (
        PostCategory.AGENCY_ACTIVITY,
        PostCategory.CURRENT_ISSUE,
        PostCategory.GOVERNMENT_POLICY,
    )
    posts = [
        PublishedPostFactory(account=ig, category=k, published_at=at(1, 5)),
        PublishedPostFactory(account=ig, category=k, published_at=at(1, 20)),
        PublishedPostFactory(account=fb, category=k, published_at=at(3, 2)),
        PublishedPostFactory(account=fb, category=i, published_at=at(3, 9)),
        PublishedPostFactory(
            account=ig, category=p, published_at=at(12, 31, 23) + 30 * dt.timedelta(minutes=1)
        ),
    ]
    PublishedPostFactory(
        account=ig, category=k, published_at=dt.datetime(2027, 1, 1, 0, 30, tzinfo=WIB)
    )
    PublishedPostFactory(account=OfficialAccountFactory(agency=agency_b), published_at=at(5, 5))
    # d–f: latest readings before 1 Jan 2027: comments 4+10+0+2+0 = 16, shares 1+5+0+0+0 = 6,
    # forwards 0+3+0+1+0 = 4. Post 0 read twice: only its latest (4, 1, 0) counts.
    PostMetricFactory(post=posts[0], read_on=dt.date(2026, 1, 6), comments=2, shares=1)
    PostMetricFactory(post=posts[0], read_on=dt.date(2026, 1, 12), comments=4, shares=1)
    PostMetricFactory(post=posts[1], read_on=dt.date(2026, 2, 1), comments=10, shares=5, forwards=3)
    PostMetricFactory(post=posts[3], read_on=dt.date(2026, 3, 10), comments=2, forwards=1)
    PostMetricFactory(post=posts[4], read_on=dt.date(2027, 1, 2), comments=50)  # after the year

    # d: inquiries received by A in 2026: 3 questions (KTP ×2, Jadwal), 1 criticism (KTP),
    # 1 comment (no topic); one in 2025 and one of B are ignored.
    Q, C, K = InquiryKind.QUESTION, InquiryKind.COMMENT, InquiryKind.CRITICISM
    received = [
        InquiryFactory(agency=agency_a, channel=ig, kind=Q, topics=["KTP"], received_at=at(2, 1)),
        InquiryFactory(agency=agency_a, channel=ig, kind=Q, topics=["KTP"], received_at=at(2, 2)),
        InquiryFactory(
            agency=agency_a, channel=ig, kind=Q, topics=["Jadwal"], received_at=at(4, 1)
        ),
        InquiryFactory(agency=agency_a, channel=ig, kind=K, topics=["ktp"], received_at=at(5, 1)),
        InquiryFactory(agency=agency_a, channel=ig, kind=C, topics=[], received_at=at(6, 1)),
    ]
    InquiryFactory(
        agency=agency_a, channel=ig, kind=Q, topics=["KTP"], received_at=at(12, 31, year=2025)
    )
    InquiryFactory(agency=agency_b, kind=Q, topics=["KTP"], received_at=at(2, 1))
    # The two inquiries A forwards below (questions without a topic) count as received too:
    # 7 in all, 5 questions, 3 without a topic.
    # e: two answers to the public given by A in 2026.
    for inquiry in received[:2]:
        inquiry.answered_at = inquiry.received_at + H
        inquiry.save(update_fields=["answered_at"])

    # f: forwardings received by A in 2026: 2 replied on time, 1 late, 1 open and overdue,
    # 1 cancelled (not counted); forwardings sent by A: 2, one replied on time.
    def forward(sender, receiver, by, when, *, status=ForwardingStatus.OPEN, replied_after=None):
        channel = ig if sender == agency_a else b_account
        inquiry = InquiryFactory(agency=sender, channel=channel, received_at=when - H)
        return forwarding_made(
            inquiry=inquiry,
            from_agency=sender,
            to_agency=receiver,
            forwarded_by=by,
            forwarded_at=when,
            due_at=when + 24 * H,
            status=status,
            replied_at=when + replied_after if replied_after else None,
            replied_by=by if replied_after else None,
        )

    b_account = OfficialAccountFactory(agency=agency_b)
    R = ForwardingStatus.REPLIED
    forward(agency_b, agency_a, officer_b, at(7, 1), status=R, replied_after=2 * H)
    forward(agency_b, agency_a, officer_b, at(7, 2), status=R, replied_after=24 * H)
    forward(agency_b, agency_a, officer_b, at(7, 3), status=R, replied_after=30 * H)
    forward(agency_b, agency_a, officer_b, at(12, 30))
    forward(agency_b, agency_a, officer_b, at(8, 1), status=ForwardingStatus.CANCELLED)
    forward(agency_a, agency_b, officer_a, at(9, 1), status=R, replied_after=H)
    forward(agency_a, agency_b, officer_a, at(9, 2))

    # h: one recommendation of 2026, one of 2025 (ignored).
    for created in (at(10, 1), at(10, 1, year=2025)):
        Recommendation.objects.create(
            agency=agency_a,
            title=f"Rekomendasi {created.year}",
            body="Isi",
            created_by=officer_a,
            created_at=created,
            updated_at=created,
        )
    return {"ig": ig, "fb": fb}


def test_section_b_audience(year_of_work, agency_a):
    b = compile_report(agency_a, 2026, now=NOW)["b"]
    rows = {row["handle"]: row for row in b["accounts"]}
    assert rows["@dinkes.katingan"]["followers"] == 1500
    assert rows["@dinkes.katingan"]["growth"] == 500
    assert rows["dinkes.katingan"]["followers"] == 800
    assert rows["dinkes.katingan"]["growth"] is None
    assert (b["total"], b["total_at_start"]) == (2300, 1000)


def test_section_c_posts_by_category_and_month(year_of_work, agency_a):
    c = compile_report(agency_a, 2026, now=NOW)["c"]
    assert c["posts"] == 5
    assert c["by_category"] == {"kegiatan": 3, "isu_aktual": 1, "kebijakan": 1}
    months = {row["month"]: row for row in c["by_month"]}
    assert (months[1]["kegiatan"], months[1]["total"]) == (2, 2)
    assert (months[3]["kegiatan"], months[3]["isu_aktual"], months[3]["total"]) == (1, 1, 2)
    assert months[12]["kebijakan"] == 1  # 31 December 23:30 WIB is still 2026
    assert sum(row["total"] for row in c["by_month"]) == 5
    top = c["top_posts"][0]
    assert (top["comments"], top["shares"], top["forwards"], top["engagement"]) == (10, 5, 3, 18)


def test_section_d_comments_and_inquiries(year_of_work, agency_a):
    d = compile_report(agency_a, 2026, now=NOW)["d"]
    assert d["comments"] == 16
    assert d["inquiries"] == 7
    assert d["inquiries_by_kind"] == {"pertanyaan": 5, "komentar": 1, "kritik": 1, "saran": 0}
    topics = {row["topic"]: row["total"] for row in d["topics"]}
    assert topics == {"KTP": 3, "Jadwal": 1, "": 3}


def test_section_e_shares_and_messages_sent(year_of_work, agency_a):
    e = compile_report(agency_a, 2026, now=NOW)["e"]
    assert e == {"shares": 6, "posts": 5, "answers": 2, "messages_sent": 7}


def test_section_f_forwarded(year_of_work, agency_a):
    f = compile_report(agency_a, 2026, now=NOW)["f"]
    assert f["forwards"] == 4
    assert f["received"] == {
        "total": 4,
        "replied": 3,
        "replied_on_time": 2,
        "replied_late": 1,
        "overdue_open": 1,
        "on_time_rate": 0.5,
    }
    assert f["sent"] == {"total": 2, "replied": 1, "replied_on_time": 1}


def test_sections_a_and_h_list_the_registry_and_recommendations(year_of_work, agency_a):
    report = compile_report(agency_a, 2026, now=NOW)
    assert {a["handle"] for a in report["a"]["accounts"]} == {"@dinkes.katingan", "dinkes.katingan"}
    assert [r["title"] for r in report["h"]["recommendations"]] == ["Rekomendasi 2026"]


def test_an_agency_without_data_compiles_to_zeros(agency_b):
    report = compile_report(agency_b, 2026, now=NOW)
    assert report["c"]["posts"] == 0
    assert report["f"]["received"]["on_time_rate"] is None
    assert report["b"]["total"] == 0


def test_compiling_takes_a_fixed_number_of_queries(
    year_of_work, agency_a, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        compile_report(agency_a, 2026, now=NOW)
    UserFactory()  # unrelated rows change nothing
