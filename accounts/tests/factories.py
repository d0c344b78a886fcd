"""Deterministic factories for users, agencies and the registry (sequences, fixed dates,
no random data)."""

import datetime as dt

import factory
from django.contrib.auth.models import Group

from accounts.models import (
    AccountStatus,
    AccountType,
    Agency,
    Appointment,
    AppointmentRole,
    Decree,
    OfficialAccount,
    Platform,
    Sop,
    User,
)

PASSWORD = "sandi-uji-yang-panjang-2026"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    short_name = factory.Sequence(lambda n: f"Uji{n}")
    slug = factory.Sequence(lambda n: f"dinas-uji-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    full_name = factory.Sequence(lambda n: f"Pengguna Uji {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@contoh.katingankab.go.id")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: a transactional test flushes the groups the data migration made.
            self.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in extracted))


def nip(n: int) -> str:
    """A valid, distinct NIP for each ``n`` from 0 to 998 (born 1 Jan 1990, CPNS Jan 2015)."""
    return f"199001012015011{n % 999 + 1:03d}"


class AsnUserFactory(UserFactory):
    """A civil servant: a user with a valid NIP."""

    nip = factory.Sequence(nip)


class DecreeFactory(factory.django.DjangoModelFactory):
    """A decree valid through 2026. ``document`` is only a stored name: no file is written."""

    class Meta:
        model = Decree

    agency = factory.SubFactory(AgencyFactory)
    number = factory.Sequence(lambda n: f"800/{n + 1:03d}/UJI/2026")
    title = factory.LazyAttribute(
        lambda d: f"Penunjukan Akun Resmi dan Pengelola Media Sosial {d.agency.name}"
    )
    signed_on = dt.date(2026, 1, 2)
    valid_from = dt.date(2026, 1, 2)
    valid_until = dt.date(2026, 12, 31)
    document = factory.Sequence(lambda n: f"decrees/uji/sk-{n}.pdf")


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A petugas appointed by a decree of the same agency from the decree's first day."""

    class Meta:
        model = Appointment

    decree = factory.SubFactory(DecreeFactory)
    agency = factory.SelfAttribute("decree.agency")
    user = factory.SubFactory(AsnUserFactory, agency=factory.SelfAttribute("..agency"))
    role = AppointmentRole.PETUGAS
    starts_on = factory.SelfAttribute("decree.valid_from")
    ends_on = None
    ethics_acknowledged_at = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)


class OfficialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficialAccount

    agency = factory.SubFactory(AgencyFactory)
    decree = factory.SubFactory(DecreeFactory, agency=factory.SelfAttribute("..agency"))
    account_type = AccountType.MEDIA_SHARING
    platform = Platform.INSTAGRAM
    handle = factory.Sequence(lambda n: f"@akun.uji{n}")
    url = factory.LazyAttribute(lambda a: f"https://www.instagram.com/{a.handle.lstrip('@')}/")
    status = AccountStatus.ACTIVE


class SopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sop

    agency = factory.SubFactory(AgencyFactory)
    title = factory.LazyAttribute(
        lambda s: f"SOP Pelayanan Informasi melalui Media Sosial {s.agency.short_name}"
    )
    effective_from = dt.date(2026, 1, 10)
    document = factory.Sequence(lambda n: f"sop/uji/sop-{n}.pdf")
