"""The cast every test can use: named users of two agencies and the regency roles."""

import os

import pytest
from django.conf import settings

from accounts.roles import Role
from accounts.tests.factories import AgencyFactory, UserFactory


def pytest_configure(config):
    # CI runs against the real services; a missing one must fail, never skip.
    if os.environ.get("CI", "").lower() == "true":
        engine = settings.DATABASES["default"]["ENGINE"]
        problems = []
        if "postgresql" not in engine:
            problems.append(f"DATABASE_URL must point to PostgreSQL in CI (engine: {engine})")
        if not settings.CELERY_BROKER_URL.startswith("redis://"):
            problems.append("REDIS_URL must be set in CI (the broker is not Redis)")
        if problems:
            raise pytest.UsageError("; ".join(problems))


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path_factory):
    """Uploaded and generated files of a test go to a temporary folder, never var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def dinas(db):
    return AgencyFactory(
        name="Dinas Komunikasi, Informatika, Persandian dan Statistik",
        short_name="Diskominfo",
        slug="diskominfo",
        is_dinas=True,
    )


@pytest.fixture
def agency_a(db):
    return AgencyFactory(name="Dinas Kesehatan", short_name="Dinkes", slug="dinkes")


@pytest.fixture
def agency_b(db):
    return AgencyFactory(
        name="Dinas Kependudukan dan Pencatatan Sipil",
        short_name="Disdukcapil",
        slug="disdukcapil",
    )


@pytest.fixture
def officer_a(agency_a):
    return UserFactory(username="petugas_a", agency=agency_a, roles=[Role.PETUGAS])


@pytest.fixture
def officer_b(agency_b):
    return UserFactory(username="petugas_b", agency=agency_b, roles=[Role.PETUGAS])


@pytest.fixture
def pejabat_a(agency_a):
    return UserFactory(username="pejabat_a", agency=agency_a, roles=[Role.PEJABAT])


@pytest.fixture
def evaluator(dinas):
    return UserFactory(username="evaluator", agency=dinas, roles=[Role.EVALUATOR])


@pytest.fixture
def pimpinan(db):
    return UserFactory(username="pimpinan", roles=[Role.PIMPINAN])


@pytest.fixture
def administrator(dinas):
    return UserFactory(
        username="administrator",
        agency=dinas,
        roles=[Role.ADMINISTRATOR],
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def outsider(db):
    """Signed in, but with no role and no agency."""
    return UserFactory(username="orang_luar")


@pytest.fixture
def cast(officer_a, officer_b, pejabat_a, evaluator, pimpinan, administrator, outsider):
    return {
        "officer_a": officer_a,
        "officer_b": officer_b,
        "pejabat_a": pejabat_a,
        "evaluator": evaluator,
        "pimpinan": pimpinan,
        "administrator": administrator,
        "outsider": outsider,
    }


def pytest_report_header(config):
    database = settings.DATABASES["default"]
    broker = settings.CELERY_BROKER_URL.split("@")[-1]
    return [f"database: {database['ENGINE'].rsplit('.', 1)[-1]}, broker: {broker}"]
