"""The approval path of posts (Pasal 3, 8 huruf e, 10, 12; Lampiran A's microblog limit)."""

import datetime as dt

import pytest

from accounts.models import AccountStatus, AccountType
from accounts.roles import Role
from accounts.tests.factories import OfficialAccountFactory, UserFactory
from audit.models import AuditEvent
from publications.models import Post, PostCategory, PostEvent, PostStatus, PublicationPolicy
from publications.services import (
    PostError,
    normalise_tags,
    post_approve,
    post_draft,
    post_publish,
    post_return,
    post_submit,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC)  # 09:00 WIB
M = dt.timedelta(minutes=1)


@pytest.fixture
def account(agency_a):
    return OfficialAccountFactory(agency=agency_a)


@pytest.fixture
def microblog(agency_a):
    return OfficialAccountFactory(agency=agency_a, account_type=AccountType.MICROBLOG)


def draft(account, by, **extra):
    fields = {
        "category": PostCategory.AGENCY_ACTIVITY,
        "text": "Posyandu balita di Kasongan, Sabtu pukul 08.00 WIB.",
        "tags": ["#KatinganSehat", "@dinkes.katingan"],
    }
    fields.update(extra)
    return post_draft(account=account, by=by, now=NOW, **fields)


@pytest.mark.parametrize("category", PostCategory.values)
def test_each_pasal_10_category_is_recorded(account, officer_a, category):
    post = draft(account, officer_a, category=category)
    assert Post.objects.get(pk=post.pk).category == category


def test_a_microblog_message_over_the_lampiran_a_limit_is_refused(microblog, officer_a, account):
    assert draft(microblog, officer_a, text="x" * 140).status == PostStatus.DRAFT
    with pytest.raises(PostError, match="140 karakter.*141"):
        draft(microblog, officer_a, text="x" * 141)
    # The limit is for microblogs only.
    assert draft(account, officer_a, text="x" * 500).status == PostStatus.DRAFT


def test_tags_are_hashtags_or_mentions_without_duplicates():
    assert normalise_tags([" #Katingan ", "@bupati", "#katingan", ""]) == ["#Katingan", "@bupati"]
    for bad in ("Katingan", "#", "# spasi"):
        with pytest.raises(PostError):
            normalise_tags([bad])


def test_the_approval_path_keeps_every_step(account, officer_a, pejabat_a):
    post = draft(account, officer_a)
    post_submit(post=post, by=officer_a, now=NOW + M)
    post_return(post=post, by=pejabat_a, note="Tambahkan lokasi lengkap.", now=NOW + 2 * M)
    post_submit(post=post, by=officer_a, now=NOW + 3 * M)
    post_approve(post=post, by=pejabat_a, now=NOW + 4 * M)
    post = post_publish(
        post=post,
        by=officer_a,
        url="https://www.instagram.com/p/abc/",
        published_at=NOW + 5 * M,
        now=NOW + 6 * M,
        platform_post_id="abc",
    )
    assert (post.status, post.published_at, post.platform_post_id) == (
        PostStatus.PUBLISHED,
        NOW + 5 * M,
        "abc",
    )
    steps = list(PostEvent.objects.filter(post=post).values_list("action", "to_status", "note"))
    assert steps == [
        ("draft", "draft", ""),
        ("submit", "submitted", ""),
        ("return", "returned", "Tambahkan lokasi lengkap."),
        ("submit", "submitted", ""),
        ("approve", "approved", ""),
        ("publish", "published", ""),
    ]
    assert AuditEvent.objects.filter(object_type="publications.post").count() == 6


def test_a_petugas_cannot_approve_or_return(account, officer_a):
    post = draft(account, officer_a)
    post_submit(post=post, by=officer_a, now=NOW)
    for step in (
        lambda: post_approve(post=post, by=officer_a, now=NOW),
        lambda: post_return(post=post, by=officer_a, note="Tidak.", now=NOW),
    ):
        with pytest.raises(PostError, match="pejabat"):
            step()
    assert Post.objects.get(pk=post.pk).status == PostStatus.SUBMITTED


def test_another_agency_can_neither_write_nor_approve(account, officer_a, officer_b, agency_b):
    pejabat_b = UserFactory(username="pejabat_b", agency=agency_b, roles=[Role.PEJABAT])
    with pytest.raises(PostError):
        draft(account, officer_b)
    post = draft(account, officer_a)
    post_submit(post=post, by=officer_a, now=NOW)
    with pytest.raises(PostError):
        post_approve(post=post, by=pejabat_b, now=NOW)
    assert Post.objects.get(pk=post.pk).status == PostStatus.SUBMITTED


@pytest.mark.parametrize("reader", ["evaluator", "pimpinan", "outsider"])
def test_read_only_roles_write_no_post(account, cast, reader):
    with pytest.raises(PostError):
        draft(account, cast[reader])
    assert not Post.objects.exists()


def test_without_the_approval_setting_a_submitted_post_is_approved(account, officer_a, agency_a):
    PublicationPolicy.objects.create(agency=agency_a, requires_approval=False)
    post = post_submit(post=draft(account, officer_a), by=officer_a, now=NOW)
    assert post.status == PostStatus.APPROVED


def test_steps_out_of_order_are_refused(account, officer_a, pejabat_a):
    post = draft(account, officer_a)
    with pytest.raises(PostError, match="Draf"):
        post_approve(post=post, by=pejabat_a, now=NOW)
    with pytest.raises(PostError):
        post_publish(post=post, by=officer_a, url="https://x.test/1", published_at=NOW, now=NOW)
    with pytest.raises(PostError):
        post_return(post=post, by=pejabat_a, note="", now=NOW)


def test_publishing_needs_a_link_and_a_time_not_in_the_future(account, officer_a, pejabat_a):
    post = draft(account, officer_a)
    post_submit(post=post, by=officer_a, now=NOW)
    post_approve(post=post, by=pejabat_a, now=NOW)
    with pytest.raises(PostError):
        post_publish(post=post, by=officer_a, url=" ", published_at=NOW, now=NOW)
    with pytest.raises(PostError):
        post_publish(post=post, by=officer_a, url="https://x.test/1", published_at=NOW + M, now=NOW)
    assert Post.objects.get(pk=post.pk).status == PostStatus.APPROVED


def test_only_an_active_account_takes_posts(account, officer_a):
    account.status = AccountStatus.INACTIVE
    account.save(update_fields=["status"])
    with pytest.raises(PostError):
        draft(account, officer_a)


def test_post_events_are_append_only(account, officer_a):
    event = PostEvent.objects.get(post=draft(account, officer_a))
    with pytest.raises(ValueError):
        event.save()


def test_a_returned_post_is_edited_and_an_approved_one_is_not(microblog, officer_a, pejabat_a):
    from publications.services import post_edit

    post = draft(microblog, officer_a, text="Jadwal vaksin")
    post_submit(post=post, by=officer_a, now=NOW)
    post_return(post=post, by=pejabat_a, note="Sebutkan tempatnya.", now=NOW + M)
    edited = post_edit(
        post=post,
        by=officer_a,
        now=NOW + 2 * M,
        text="Jadwal vaksin di Puskesmas Kasongan",
        category=PostCategory.CURRENT_ISSUE,
        tags=["#Vaksin"],
    )
    assert (edited.text, edited.category, edited.tags, edited.status) == (
        "Jadwal vaksin di Puskesmas Kasongan",
        PostCategory.CURRENT_ISSUE,
        ["#Vaksin"],
        PostStatus.RETURNED,
    )
    with pytest.raises(PostError):  # still the microblog limit
        post_edit(post=post, by=officer_a, now=NOW, text="x" * 141, category="kegiatan")
    post_submit(post=post, by=officer_a, now=NOW + 3 * M)
    post_approve(post=post, by=pejabat_a, now=NOW + 4 * M)
    with pytest.raises(PostError):
        post_edit(post=post, by=officer_a, now=NOW, text="Lain", category="kegiatan")
    assert Post.objects.get(pk=post.pk).text == "Jadwal vaksin di Puskesmas Kasongan"
    assert list(post.events.values_list("action", flat=True)) == [
        "draft",
        "submit",
        "return",
        "edit",
        "submit",
        "approve",
    ]
