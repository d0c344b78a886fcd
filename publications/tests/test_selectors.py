"""Who sees which posts: another agency never sees a draft."""

import datetime as dt

import pytest

from accounts.tests.factories import OfficialAccountFactory
from publications.models import PostCategory, PostStatus
from publications.selectors import posts_for
from publications.services import post_approve, post_draft, post_publish, post_submit

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def posts(agency_a, officer_a, pejabat_a):
    account = OfficialAccountFactory(agency=agency_a)

    def make(text):
        return post_draft(
            account=account, category=PostCategory.CURRENT_ISSUE, text=text, by=officer_a, now=NOW
        )

    draft = make("Draf pengumuman banjir")
    published = make("Pengumuman banjir")
    post_submit(post=published, by=officer_a, now=NOW)
    post_approve(post=published, by=pejabat_a, now=NOW)
    post_publish(post=published, by=officer_a, url="https://x.test/p/1", published_at=NOW, now=NOW)
    return {"draft": draft, "published": published}


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("officer_a", {"draft", "published"}),
        ("pejabat_a", {"draft", "published"}),
        ("officer_b", set()),
        ("evaluator", {"published"}),
        ("pimpinan", {"published"}),
        ("administrator", {"draft", "published"}),
        ("outsider", set()),
    ],
)
def test_each_role_sees_its_posts(posts, cast, who, sees):
    names = {pk: name for name, pk in ((n, p.pk) for n, p in posts.items())}
    assert {names[p.pk] for p in posts_for(cast[who])} == sees
    assert all(p.status == PostStatus.PUBLISHED for p in posts_for(cast["evaluator"]))


def test_the_admin_shows_posts_read_only_and_scoped(client, posts, administrator):
    from django.urls import reverse

    client.force_login(administrator)
    listing = client.get(reverse("admin:publications_post_changelist"))
    assert listing.status_code == 200
    assert "Pengumuman banjir" in listing.content.decode()
    change = client.get(reverse("admin:publications_post_change", args=[posts["draft"].pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert client.get(reverse("admin:publications_post_add")).status_code == 403
