"""Factories of posts for list, export and calendar tests; the approval path itself is
always exercised through :mod:`publications.services`."""

import datetime as dt

import factory

from accounts.tests.factories import OfficialAccountFactory, UserFactory
from publications.models import Post, PostCategory, PostMetric, PostStatus

BASE = dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC)  # 09:00 WIB


class PublishedPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    account = factory.SubFactory(OfficialAccountFactory)
    agency = factory.SelfAttribute("account.agency")
    category = PostCategory.AGENCY_ACTIVITY
    text = factory.Sequence(lambda n: f"Kegiatan pelayanan nomor {n} di Kasongan.")
    tags = factory.LazyFunction(lambda: ["#Katingan"])
    status = PostStatus.PUBLISHED
    published_at = factory.Sequence(lambda n: BASE + dt.timedelta(hours=n))
    url = factory.Sequence(lambda n: f"https://www.instagram.com/p/uji{n}/")
    created_by = factory.SubFactory(UserFactory, agency=factory.SelfAttribute("..agency"))
    created_at = factory.LazyAttribute(lambda o: o.published_at - dt.timedelta(hours=1))


class PostMetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostMetric

    post = factory.SubFactory(PublishedPostFactory)
    read_on = dt.date(2026, 7, 10)
    comments = 0
    shares = 0
    forwards = 0
    source = "manual"
    recorded_by = factory.SelfAttribute("post.created_by")
    recorded_at = BASE
