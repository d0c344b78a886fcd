"""The publication pages through the views: one permission matrix over every URL and
role, the approval path as a petugas and pejabat click through it, the microblog limit
on the form, lists with filters, pagination, a fixed number of queries and the CSV
export, the month calendar, audience, feedback analysis and recommendations."""

import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AccountType
from accounts.tests.factories import OfficialAccountFactory
from audit.models import AuditEvent
from inquiries.models import InquiryKind
from inquiries.tests.factories import InquiryFactory
from publications.models import (
    AudienceSnapshot,
    Post,
    PostCategory,
    PostEvent,
    PostMetric,
    PostStatus,
    PublicationPolicy,
    Recommendation,
)
from publications.services import (
    post_approve,
    post_draft,
    post_publish,
    post_submit,
    recommendation_save,
)
from publications.tests.factories import PostMetricFactory, PublishedPostFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 7, 20, 2, 0, tzinfo=dt.UTC)  # Monday 20 July 2026, 09:00 WIB
WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(autouse=True)
def _fixed(settings, time_machine):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    time_machine.move_to(NOW, tick=False)


def drain(response) -> bytes:
    if not response.streaming:
        return response.content
    return b"".join(response.streaming_content)


@pytest.fixture
def pub(agency_a, officer_a, pejabat_a):
    """Agency A's posts in each state, and a recommendation."""
    account = OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan")
    at = NOW - dt.timedelta(days=3)

    def draft(text):
        return post_draft(
            account=account,
            category=PostCategory.AGENCY_ACTIVITY,
            text=text,
            by=officer_a,
            now=at,
            planned_at=NOW + dt.timedelta(days=2),
        )

    drafted = draft("Draf: jadwal vaksinasi")
    submitted = post_submit(post=draft("Diajukan: posyandu"), by=officer_a, now=at)
    approved = post_approve(
        post=post_submit(post=draft("Disetujui: DBD"), by=officer_a, now=at), by=pejabat_a, now=at
    )
    published = post_publish(
        post=post_approve(
            post=post_submit(post=draft("Terbit: imunisasi"), by=officer_a, now=at),
            by=pejabat_a,
            now=at,
        ),
        by=officer_a,
        url="https://www.instagram.com/p/terbit1/",
        published_at=at,
        now=at,
    )
    recommendation = recommendation_save(
        agency_id=agency_a.pk, by=pejabat_a, now=at, title="Perluas jam layanan", body="Rekomendasi"
    )
    return SimpleNamespace(
        agency=agency_a,
        account=account,
        draft=drafted,
        submitted=submitted,
        approved=approved,
        published=published,
        recommendation=recommendation,
    )


ROLES = [
    "anonymous",
    "officer_a",
    "pejabat_a",
    "officer_b",
    "evaluator",
    "pimpinan",
    "administrator",
    "outsider",
]


def matrix(officer_a, pejabat_a, officer_b, evaluator, pimpinan, administrator, outsider):
    values = (officer_a, pejabat_a, officer_b, evaluator, pimpinan, administrator, outsider)
    return dict(zip(ROLES[1:], values, strict=True))


LIST = matrix(200, 200, 200, 200, 200, 200, 200)
# Agency A's published post: everyone in scope reads it.
READ = matrix(200, 200, 404, 200, 200, 200, 404)
# A draft (or a post not yet out): the agency's working paper, hidden from regency roles.
UNPUBLISHED = matrix(200, 200, 404, 404, 404, 200, 404)
CREATE = matrix(200, 200, 200, 403, 403, 200, 403)
# Steps of the approval path (302 and the state changed) on an unpublished post.
STEP = matrix(302, 302, 404, 404, 404, 302, 404)
# Recording figures of the published post.
RECORD = matrix(302, 302, 404, 403, 403, 302, 404)
# The pejabat's own work: recommendations.
PEJABAT_CREATE = matrix(403, 200, 403, 403, 403, 200, 403)
PEJABAT_EDIT = matrix(403, 200, 404, 403, 403, 200, 404)
# The pejabat's decision: a petugas is refused by the service (302, nothing changes).
DECIDE = matrix("refused", 302, 404, 404, 404, 302, 404)

# Changing the approval setting: the pejabat; a petugas is refused by the service.
POLICY = matrix("refused", 302, "refused", 403, 403, 200, 403)  # admin: the agency chooser

METRIC = {"read_on": "2026-07-19", "comments": "4", "shares": "2", "forwards": "1"}
PUBLISH = {"url": "https://www.instagram.com/p/baru/", "published_at": "2026-07-20T08:00"}

ROUTES = [
    # (URL name, target, method, expected, POST data)
    ("post_list", None, "get", LIST, None),
    ("post_export", None, "get", LIST, None),
    ("calendar", None, "get", LIST, None),
    ("audience_list", None, "get", LIST, None),
    ("feedback", None, "get", LIST, None),
    ("recommendation_list", None, "get", LIST, None),
    ("post_create", None, "get", CREATE, None),
    ("post_create", None, "post", CREATE, {}),
    ("import", None, "get", CREATE, None),
    ("import", None, "post", CREATE, {}),
    ("import_template", None, "get", CREATE, None),
    ("audience_create", None, "get", CREATE, None),
    ("audience_create", None, "post", CREATE, {}),
    ("post_detail", "published", "get", READ, None),
    ("post_detail", "draft", "get", UNPUBLISHED, None),
    ("post_edit", "draft", "get", UNPUBLISHED, None),
    ("post_edit", "draft", "post", UNPUBLISHED, {}),
    ("post_submit", "draft", "post", STEP, {}),
    ("post_approve", "submitted", "post", DECIDE, {}),
    ("post_return", "submitted", "post", DECIDE, {"note": "Perbaiki ejaan."}),
    ("post_publish", "approved", "post", STEP, PUBLISH),
    ("post_metric", "published", "post", RECORD, METRIC),
    ("policy", None, "get", CREATE, None),
    ("policy", None, "post", POLICY, {"requires_approval": "no"}),
    ("recommendation_create", None, "get", PEJABAT_CREATE, None),
    ("recommendation_create", None, "post", PEJABAT_CREATE, {}),
    ("recommendation_edit", "recommendation", "get", PEJABAT_EDIT, None),
    ("recommendation_edit", "recommendation", "post", PEJABAT_EDIT, {}),
]


def state(pub) -> tuple:
    """Everything a request in the matrix could change."""
    return (
        tuple(Post.objects.order_by("pk").values_list("status", "version")),
        PostEvent.objects.count(),
        PostMetric.objects.count(),
        AudienceSnapshot.objects.count(),
        tuple(Recommendation.objects.values_list("title", "updated_at")),
        tuple(PublicationPolicy.objects.values_list("agency", "requires_approval")),
    )


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize(
    ("name", "target", "method", "expected", "data"),
    ROUTES,
    ids=[f"{method}-{name}-{target}" for name, target, method, _e, _d in ROUTES],
)
def test_permission_matrix(client, request, pub, who, name, target, method, expected, data):
    args = [getattr(pub, target).pk] if target else []
    url = reverse(f"publications:{name}", args=args)
    before = state(pub)
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(url, data) if method == "post" else client.get(url)
    drain(response)
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert state(pub) == before
        return
    want = expected[who]
    if want == "refused":
        assert response.status_code == 302
        assert state(pub) == before
        return
    assert response.status_code == want, (who, name, method)
    if method == "post" and want == 302:
        assert state(pub) != before
    elif want != 200 or method == "get":
        assert state(pub) == before


@pytest.mark.parametrize(
    ("name", "target"),
    [("post_submit", "draft"), ("post_approve", "submitted"), ("post_metric", "published")],
)
def test_state_changes_are_post_only(client, pub, pejabat_a, name, target):
    client.force_login(pejabat_a)
    before = state(pub)
    assert (
        client.get(reverse(f"publications:{name}", args=[getattr(pub, target).pk])).status_code
        == 405
    )
    assert state(pub) == before


# --- The approval path as the officers use it -----------------------------------------


def test_the_approval_path_through_the_pages(client, agency_a, officer_a, pejabat_a):
    account = OfficialAccountFactory(agency=agency_a)
    client.force_login(officer_a)
    response = client.post(
        reverse("publications:post_create"),
        {
            "account": account.pk,
            "category": PostCategory.CURRENT_ISSUE,
            "text": "Waspada banjir di Sungai Katingan.",
            "tags": "#KatinganSiaga, @bpbd.katingan",
            "media_type": "image",
            "planned_at": "2026-07-21T08:00",
        },
    )
    post = Post.objects.get()
    assert response["Location"] == reverse("publications:post_detail", args=[post.pk])
    assert post.tags == ["#KatinganSiaga", "@bpbd.katingan"]
    assert post.planned_at == dt.datetime(2026, 7, 21, 8, 0, tzinfo=WIB)
    client.post(reverse("publications:post_submit", args=[post.pk]))

    client.force_login(pejabat_a)
    page = client.get(reverse("publications:post_detail", args=[post.pk])).content.decode()
    assert reverse("publications:post_approve", args=[post.pk]) in page
    client.post(reverse("publications:post_return", args=[post.pk]), {"note": "Sebutkan desa."})
    post.refresh_from_db()
    assert post.status == PostStatus.RETURNED

    client.force_login(officer_a)
    edit = client.get(reverse("publications:post_edit", args=[post.pk])).content.decode()
    assert "Sebutkan desa." in edit
    client.post(
        reverse("publications:post_edit", args=[post.pk]),
        {
            "category": PostCategory.CURRENT_ISSUE,
            "text": "Waspada banjir di Desa Tumbang Samba.",
            "tags": "#KatinganSiaga",
            "media_type": "image",
        },
    )
    client.post(reverse("publications:post_submit", args=[post.pk]))
    client.force_login(pejabat_a)
    client.post(reverse("publications:post_approve", args=[post.pk]))
    client.force_login(officer_a)
    client.post(
        reverse("publications:post_publish", args=[post.pk]),
        {"url": "https://www.instagram.com/p/abc/", "published_at": "2026-07-20T08:30"},
    )
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert post.text == "Waspada banjir di Desa Tumbang Samba."
    assert post.account == account  # the account field of the edit form is ignored
    assert post.published_at == dt.datetime(2026, 7, 20, 8, 30, tzinfo=WIB)
    assert list(post.events.values_list("action", flat=True)) == [
        "draft",
        "submit",
        "return",
        "edit",
        "submit",
        "approve",
        "publish",
    ]
    history = client.get(reverse("publications:post_detail", args=[post.pk])).content.decode()
    assert history.count("data-event=") == 7
    assert "Sebutkan desa." in history
    assert AuditEvent.objects.filter(action__startswith="post_").count() == 7


def test_a_petugas_cannot_approve_and_is_told_why(client, pub, officer_a):
    client.force_login(officer_a)
    page = client.get(reverse("publications:post_detail", args=[pub.submitted.pk])).content.decode()
    assert reverse("publications:post_approve", args=[pub.submitted.pk]) not in page
    response = client.post(
        reverse("publications:post_approve", args=[pub.submitted.pk]), follow=True
    )
    assert "Hanya pejabat" in response.content.decode()
    pub.submitted.refresh_from_db()
    assert pub.submitted.status == PostStatus.SUBMITTED


def test_returning_needs_a_note(client, pub, pejabat_a):
    client.force_login(pejabat_a)
    response = client.post(
        reverse("publications:post_return", args=[pub.submitted.pk]), {"note": " "}, follow=True
    )
    assert "Sebutkan apa yang perlu diperbaiki" in response.content.decode()
    pub.submitted.refresh_from_db()
    assert pub.submitted.status == PostStatus.SUBMITTED


def test_a_microblog_text_over_the_limit_is_refused_on_the_form(client, agency_a, officer_a):
    microblog = OfficialAccountFactory(agency=agency_a, account_type=AccountType.MICROBLOG)
    client.force_login(officer_a)
    data = {"account": microblog.pk, "category": "kegiatan", "media_type": "text"}
    response = client.post(reverse("publications:post_create"), {**data, "text": "x" * 141})
    assert response.status_code == 200
    assert "paling banyak 140 karakter" in response.content.decode()
    assert not Post.objects.exists()
    client.post(reverse("publications:post_create"), {**data, "text": "x" * 140})
    assert Post.objects.count() == 1


def test_publishing_without_a_link_is_refused(client, pub, officer_a):
    client.force_login(officer_a)
    response = client.post(
        reverse("publications:post_publish", args=[pub.approved.pk]),
        {"url": "", "published_at": "2026-07-20T08:00"},
        follow=True,
    )
    assert response.status_code == 200
    pub.approved.refresh_from_db()
    assert pub.approved.status == PostStatus.APPROVED
    assert "alert-danger" in response.content.decode() or "alert-error" in response.content.decode()


def test_another_agencys_officer_never_sees_a_draft(client, pub, officer_b, evaluator):
    for who in (officer_b, evaluator):
        client.force_login(who)
        page = client.get(reverse("publications:post_list")).content.decode()
        assert "Draf: jadwal vaksinasi" not in page
        assert "Diajukan: posyandu" not in page
    # The evaluator sees what was published.
    assert "Terbit: imunisasi" in page


# --- Lists, filters, export -----------------------------------------------------------


def test_filters_search_and_ordering(client, agency_a, officer_a):
    account = OfficialAccountFactory(agency=agency_a)
    PublishedPostFactory(account=account, text="Vaksin gratis", tags=["#Sehat"])
    PublishedPostFactory(
        account=account, text="Harga sembako", category=PostCategory.CURRENT_ISSUE, tags=[]
    )
    PublishedPostFactory(
        account=account,
        text="Pengumuman Juni",
        published_at=dt.datetime(2026, 6, 30, 23, 0, tzinfo=WIB),
    )
    client.force_login(officer_a)

    def shown(**params):
        page = client.get(reverse("publications:post_list"), params).content.decode()
        return {t for t in ("Vaksin gratis", "Harga sembako", "Pengumuman Juni") if t in page}

    assert shown(q="#sehat") == {"Vaksin gratis"}
    assert shown(kategori="isu_aktual") == {"Harga sembako"}
    assert shown(dari="2026-07-01") == {"Vaksin gratis", "Harga sembako"}
    assert shown(sampai="2026-06-30") == {"Pengumuman Juni"}
    assert shown(urutan="-terbit") == {"Vaksin gratis", "Harga sembako", "Pengumuman Juni"}
    # An ordering outside the allow-list is a form error, not an ORDER BY.
    response = client.get(reverse("publications:post_list"), {"urutan": "created_by__password"})
    assert response.status_code == 200


def test_the_list_paginates_with_a_fixed_number_of_queries(client, agency_a, officer_a):
    account = OfficialAccountFactory(agency=agency_a)
    client.force_login(officer_a)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("publications:post_list")).status_code == 200
        return len(queries)

    client.get(reverse("home"))  # the first request of a session stores the ethics check
    PublishedPostFactory.create_batch(3, account=account)
    few = count_queries()
    for post in PublishedPostFactory.create_batch(30, account=account):
        PostMetricFactory(post=post, comments=1)
    assert count_queries() == few
    page = client.get(reverse("publications:post_list"), {"halaman": 2}).content.decode()
    assert page.count("data-post=") == 33 - 25


def test_the_export_holds_every_filtered_row_with_its_latest_figures(client, agency_a, officer_a):
    account = OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan")
    post = PublishedPostFactory(account=account, text='=HYPERLINK("http://x")', tags=["#A"])
    PostMetricFactory(post=post, read_on=dt.date(2026, 7, 5), comments=3, shares=1, forwards=0)
    PostMetricFactory(post=post, read_on=dt.date(2026, 7, 9), comments=7, shares=2, forwards=1)
    PublishedPostFactory.create_batch(30, account=account, category=PostCategory.GOVERNMENT_POLICY)
    client.force_login(officer_a)
    body = drain(client.get(reverse("publications:post_export"), {"kategori": "kegiatan"}))
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 2
    row = rows[1]
    assert row[5].startswith("'=")  # a formula is neutralised
    assert row[-4:] == ["2026-07-09", "7", "2", "1"]
    everything = drain(client.get(reverse("publications:post_export")))
    assert len(everything.decode("utf-8-sig").strip().splitlines()) == 32  # not one page


# --- The month calendar ---------------------------------------------------------------


def test_the_calendar_shows_planned_and_published_posts_by_day(client, pub, officer_a, evaluator):
    client.force_login(officer_a)
    page = client.get(reverse("publications:calendar"), {"bulan": "2026-07"}).content.decode()
    # Published on 17 July (NOW - 3 days), planned on 22 July for the rest.
    published_cell = page.split('data-day="2026-07-17"')[1].split("</td>")[0]
    assert f'data-post="{pub.published.pk}"' in published_cell
    planned_cell = page.split('data-day="2026-07-22"')[1].split("</td>")[0]
    for post in (pub.draft, pub.submitted, pub.approved):
        assert f'data-post="{post.pk}"' in planned_cell
    assert (
        'data-post="'
        not in client.get(reverse("publications:calendar"), {"bulan": "2026-08"}).content.decode()
    )

    client.force_login(evaluator)
    page = client.get(reverse("publications:calendar"), {"bulan": "2026-07"}).content.decode()
    assert page.count("data-post=") == 1  # drafts stay the agency's own
    other = client.get(
        reverse("publications:calendar"), {"bulan": "2026-07", "instansi": "dinas-lain"}
    )
    assert other.status_code == 404


def test_a_malformed_month_shows_this_month(client, officer_a):
    client.force_login(officer_a)
    page = client.get(reverse("publications:calendar"), {"bulan": "abc"}).content.decode()
    assert 'data-calendar="2026-07"' in page


# --- Audience -------------------------------------------------------------------------


def test_audience_is_recorded_and_totalled(client, agency_a, officer_a):
    one = OfficialAccountFactory(agency=agency_a)
    two = OfficialAccountFactory(agency=agency_a)
    client.force_login(officer_a)
    url = reverse("publications:audience_create")
    client.post(url, {"account": one.pk, "taken_on": "2026-07-01", "followers": "1000"})
    client.post(url, {"account": one.pk, "taken_on": "2026-07-15", "followers": "1200"})
    client.post(url, {"account": two.pk, "taken_on": "2026-07-10", "followers": "300"})
    future = client.post(url, {"account": two.pk, "taken_on": "2026-07-21", "followers": "5"})
    assert future.status_code == 200  # refused, shown again
    assert AudienceSnapshot.objects.count() == 3
    page = client.get(reverse("publications:audience_list")).content.decode()
    assert 'data-audience-total="1500"' in page
    assert page.count("data-snapshot=") == 3


# --- Feedback analysis and recommendations --------------------------------------------


def test_feedback_counts_inquiries_by_topic_and_kind(client, agency_a, agency_b, officer_a):
    at = dt.datetime(2026, 7, 10, 3, 0, tzinfo=dt.UTC)
    InquiryFactory(agency=agency_a, kind=InquiryKind.QUESTION, topics=["KTP"], received_at=at)
    InquiryFactory(
        agency=agency_a, kind=InquiryKind.CRITICISM, topics=["ktp ", "Antrean"], received_at=at
    )
    InquiryFactory(agency=agency_a, kind=InquiryKind.COMMENT, topics=[], received_at=at)
    InquiryFactory(
        agency=agency_a,
        kind=InquiryKind.QUESTION,
        topics=["KTP"],
        received_at=at.replace(year=2025),
    )
    InquiryFactory(agency=agency_b, kind=InquiryKind.QUESTION, topics=["KTP"], received_at=at)
    post = PublishedPostFactory(account=OfficialAccountFactory(agency=agency_a), published_at=at)
    PostMetricFactory(post=post, read_on=dt.date(2026, 7, 12), comments=9, shares=4, forwards=2)
    client.force_login(officer_a)
    page = client.get(
        reverse("publications:feedback"), {"dari": "2026-07-01", "sampai": "2026-07-31"}
    )
    html = page.content.decode()
    ktp = html.split('data-topic="KTP"')[1].split("</tr>")[0]
    # question, comment, criticism, suggestion, total
    assert [c.split(">")[1] for c in ktp.split("<td")[1:]] == [
        "1</td",
        "0</td",
        "1</td",
        "0</td",
        "2</td",
    ]
    assert 'data-topic="Antrean"' in html
    total = html.split("data-topic-total")[1].split("</tr>")[0]
    assert total.count('class="text-end fw-semibold">3<') == 1
    assert '<dd class="col-sm-7" data-figure="comments">9</dd>' in html
    assert '<dd class="col-sm-7" data-figure="shares">4</dd>' in html


def test_a_pejabat_records_a_recommendation_linked_to_inquiries_and_posts(
    client, pub, pejabat_a, agency_b
):
    mine = InquiryFactory(agency=pub.agency, topics=["Jam layanan"])
    theirs = InquiryFactory(agency=agency_b)
    client.force_login(pejabat_a)
    url = reverse("publications:recommendation_create")
    data = {
        "title": "Buka layanan Sabtu",
        "body": "Banyak warga meminta layanan hari Sabtu.",
        "follow_up": "Uji coba Agustus 2026.",
        "status": "in_progress",
        "inquiry_codes": f"{mine.tracking_code.lower()}, {theirs.tracking_code}",
        "posts": [pub.published.pk],
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert theirs.tracking_code in refused.content.decode()
    assert Recommendation.objects.count() == 1
    client.post(url, {**data, "inquiry_codes": mine.tracking_code})
    recommendation = Recommendation.objects.get(title="Buka layanan Sabtu")
    assert list(recommendation.inquiries.all()) == [mine]
    assert list(recommendation.posts.all()) == [pub.published]
    listing = client.get(reverse("publications:recommendation_list")).content.decode()
    assert mine.tracking_code in listing
    detail = client.get(reverse("publications:post_detail", args=[pub.published.pk]))
    assert "Buka layanan Sabtu" in detail.content.decode()
    assert AuditEvent.objects.filter(action="recommendation_create").count() == 2


def test_a_draft_cannot_be_linked_to_a_recommendation(pub, pejabat_a):
    from publications.services import PostError

    with pytest.raises(PostError):
        recommendation_save(
            agency_id=pub.agency.pk,
            by=pejabat_a,
            now=NOW,
            title="X",
            body="Y",
            posts=[pub.draft],
        )


def test_the_demo_data_shows_every_step_and_links_a_recommendation(db):
    from accounts import demo as accounts_demo
    from inquiries import demo as inquiries_demo
    from publications import demo

    accounts_demo.seed(now=NOW)
    inquiries_demo.seed(now=NOW)
    first = demo.seed(now=NOW)
    assert first["posts"] > 100
    assert set(Post.objects.values_list("status", flat=True)) == set(PostStatus.values)
    assert set(Post.objects.values_list("category", flat=True)) == set(PostCategory.values)
    recommendation = Recommendation.objects.first()
    assert recommendation.inquiries.exists() and recommendation.posts.exists()
    # Idempotent: a second run adds nothing.
    assert sum(demo.seed(now=NOW).values()) == 0


def test_the_pejabat_switches_approval_off_and_a_post_goes_straight_to_approved(
    client, pub, pejabat_a, officer_a
):
    client.force_login(pejabat_a)
    client.post(reverse("publications:policy"), {"requires_approval": "no"})
    page = client.get(reverse("publications:policy")).content.decode()
    assert 'data-requires-approval="0"' in page
    assert AuditEvent.objects.filter(action="publication_policy_set").count() == 1
    client.force_login(officer_a)
    client.post(reverse("publications:post_submit", args=[pub.draft.pk]))
    pub.draft.refresh_from_db()
    assert pub.draft.status == PostStatus.APPROVED


# --- The import page ------------------------------------------------------------------

SAMPLES = __import__("pathlib").Path(__file__).resolve().parent.parent / "samples"


def upload(name: str, content: bytes | None = None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = content if content is not None else (SAMPLES / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="text/csv")


SAMPLE_DAY = dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.UTC)  # after the samples' posts


def test_the_import_page_imports_a_platform_export_once(client, agency_a, officer_a, time_machine):
    from accounts.models import Platform

    time_machine.move_to(SAMPLE_DAY, tick=False)
    facebook = OfficialAccountFactory(
        agency=agency_a,
        platform=Platform.FACEBOOK,
        handle="Dinas Kesehatan Kabupaten Katingan",
        url="https://www.facebook.com/61557890123456",
    )
    client.force_login(officer_a)
    url = reverse("publications:import")
    rows = len((SAMPLES / "meta_business_suite.csv").read_text("utf-8-sig").splitlines()) - 1
    data = {"account": facebook.pk, "default_category": "kegiatan", "format": ""}
    response = client.post(url, {**data, "file": upload("meta_business_suite.csv")}, follow=True)
    assert Post.objects.filter(account=facebook).count() == rows
    assert f"{rows} unggahan baru" in response.content.decode()
    # The same file again: nothing is duplicated.
    response = client.post(url, {**data, "file": upload("meta_business_suite.csv")}, follow=True)
    assert Post.objects.filter(account=facebook).count() == rows
    assert "0 unggahan baru" in response.content.decode()


def test_the_import_page_reports_errors_by_row_and_column_and_writes_nothing(
    client, agency_a, officer_a, time_machine
):
    time_machine.move_to(SAMPLE_DAY, tick=False)
    account = OfficialAccountFactory(agency=agency_a)
    good = (SAMPLES / "template.csv").read_text("utf-8-sig").splitlines()
    broken = good[:2] + [good[2].replace("2026-", "2026/13/", 1)] + good[3:]
    client.force_login(officer_a)
    response = client.post(
        reverse("publications:import"),
        {
            "account": account.pk,
            "default_category": "kegiatan",
            "format": "generic",
            "file": upload("rusak.csv", "\n".join(broken).encode()),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-row="') == 1
    assert 'data-row="3" data-column="published_at"' in html
    assert "Tidak ada yang diimpor" in html or "tidak ada yang diimpor" in html
    assert not Post.objects.exists()


def test_the_import_template_downloads(client, officer_a):
    client.force_login(officer_a)
    body = client.get(reverse("publications:import_template")).content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("platform_post_id")
