"""The world the security suite attacks: agency A's records of every kind, agency B's
counterparts, and a signed-in client for each role of the root ``conftest.py``.

Agency A's records carry the marker :data:`SECRET_A` in their text, so a page shown to
agency B's officer can be searched for it; agency B's carry :data:`MARK_B`. One inquiry
of A is forwarded to B (:data:`SHARED_AB`): B handles it, so B may see it.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings

from accounts.roles import Role
from accounts.tests.factories import (
    AgencyFactory,
    AppointmentFactory,
    OfficialAccountFactory,
    UserFactory,
)
from accounts.tests.registry_factories import PDF, DecreeWithFileFactory, SopWithFileFactory
from health.models import Heartbeat
from health.services import BEAT
from inquiries import flow, tokens
from inquiries.tests.factories import AnswerFactory, InquiryFactory
from notifications.services import notification_create
from privacy import services as privacy_services
from publications import services as post_services
from publications.tests.factories import PublishedPostFactory
from reports import services as report_services
from reports.models import ReportFile, ReportFileKind, ReportFileStatus

from .constants import MARK_B, NOW, ROLES, SECRET_A, SHARED_AB
from .helpers import client_for

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_and_fixed(settings, time_machine):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    time_machine.move_to(NOW, tick=False)
    # The clock stands still, so the per-minute throttles (tracking page, API) would
    # count every test's requests in one window: start each test with an empty cache.
    cache.clear()
    yield
    cache.clear()


def _narrate(report, by, text: str):
    return report_services.report_edit(
        report=report,
        by=by,
        now=NOW,
        expected_version=report.version,
        policy_overview=f"Kebijakan {text}.",
        constraints_internal=f"Kendala internal {text}.",
        facilities={"computer": True},
    )


def _done_file(*, kind, year, report=None, by, name: str) -> ReportFile:
    report_file = ReportFile(
        kind=kind,
        report=report,
        year=year,
        status=ReportFileStatus.DONE,
        requested_by=by,
        requested_at=NOW,
        finished_at=NOW,
        report_version=report.version if report else 0,
    )
    report_file.document.save(name, ContentFile(PDF), save=False)
    report_file.save()
    return report_file


def _agency_records(agency, *, officer, pejabat, mark: str) -> SimpleNamespace:
    """One record of every kind for ``agency``, each carrying ``mark``."""
    decree = DecreeWithFileFactory(agency=agency, number=f"800/{mark}/2026")
    account = OfficialAccountFactory(agency=agency, decree=decree, handle=f"@akun.{mark.lower()}")
    sop = SopWithFileFactory(agency=agency, title=f"SOP {mark}")
    appointment = AppointmentFactory(
        decree=decree, agency=agency, user__full_name=f"Pegawai {mark}"
    )
    inquiry = InquiryFactory(
        agency=agency,
        channel=account,
        author_name=f"Warga {mark}",
        author_contact="081299990001",
        text=f"Pertanyaan {mark}: kapan puskesmas buka?",
        recorded_by=officer,
    )
    answer = AnswerFactory(agency=agency, question=f"Pertanyaan umum {mark}")
    post = PublishedPostFactory(account=account, created_by=officer, text=f"Unggahan {mark}")
    post_services.post_metric_record(
        post=post, read_on=NOW.date(), comments=3, shares=2, forwards=1, by=officer, now=NOW
    )
    post_services.audience_record(
        account=account, taken_on=NOW.date(), followers=1234, by=officer, now=NOW
    )
    recommendation = post_services.recommendation_save(
        agency_id=agency.pk,
        by=pejabat,
        now=NOW,
        title=f"Rekomendasi {mark}",
        body=f"Isi rekomendasi {mark}.",
        inquiries=[inquiry],
        posts=[post],
    )
    report = _narrate(
        report_services.report_create(agency=agency, year=2026, by=officer, now=NOW), officer, mark
    )
    report_file = _done_file(
        kind=ReportFileKind.ANNUAL, year=2026, report=report, by=officer, name=f"{mark}.pdf"
    )
    token, key = tokens.token_create(agency=agency, name=f"Alat {mark}", by=pejabat, now=NOW)
    notification = notification_create(
        recipient=officer,
        key=f"uji:{mark}",
        kind="uji",
        title=f"Pemberitahuan {mark}",
        body=f"Isi pemberitahuan {mark}.",
        url="/",
        now=NOW,
    )
    return SimpleNamespace(
        agency=agency,
        decree=decree,
        account=account,
        sop=sop,
        appointment=appointment,
        inquiry=inquiry,
        answer=answer,
        post=post,
        recommendation=recommendation,
        report=report,
        report_file=report_file,
        token=token,
        key=key,
        notification=notification,
    )


def _cast() -> dict:
    """The root conftest's cast (same names), plus agency B's pejabat."""
    dinas = AgencyFactory(
        name="Dinas Komunikasi, Informatika, Persandian dan Statistik",
        short_name="Diskominfo",
        slug="diskominfo",
        is_dinas=True,
    )
    agency_a = AgencyFactory(name="Dinas Kesehatan", short_name="Dinkes", slug="dinkes")
    agency_b = AgencyFactory(
        name="Dinas Kependudukan dan Pencatatan Sipil",
        short_name="Disdukcapil",
        slug="disdukcapil",
    )
    return {
        "agency_a": agency_a,
        "agency_b": agency_b,
        "dinas": dinas,
        "officer_a": UserFactory(username="petugas_a", agency=agency_a, roles=[Role.PETUGAS]),
        "pejabat_a": UserFactory(username="pejabat_a", agency=agency_a, roles=[Role.PEJABAT]),
        "officer_b": UserFactory(username="petugas_b", agency=agency_b, roles=[Role.PETUGAS]),
        "pejabat_b": UserFactory(username="pejabat_b", agency=agency_b, roles=[Role.PEJABAT]),
        "evaluator": UserFactory(username="evaluator", agency=dinas, roles=[Role.EVALUATOR]),
        "pimpinan": UserFactory(username="pimpinan", roles=[Role.PIMPINAN]),
        "administrator": UserFactory(
            username="administrator",
            agency=dinas,
            roles=[Role.ADMINISTRATOR],
            is_staff=True,
            is_superuser=True,
        ),
        "outsider": UserFactory(username="orang_luar"),
    }


def _build_world() -> SimpleNamespace:
    cast = _cast()
    agency_a, agency_b = cast["agency_a"], cast["agency_b"]
    officer_a, pejabat_a, evaluator = cast["officer_a"], cast["pejabat_a"], cast["evaluator"]
    a = _agency_records(agency_a, officer=officer_a, pejabat=pejabat_a, mark=SECRET_A)
    b = _agency_records(agency_b, officer=cast["officer_b"], pejabat=cast["pejabat_b"], mark=MARK_B)
    # Agency A's 2025 report, submitted and under evaluation at Diskominfo.
    evaluating = _narrate(
        report_services.report_create(agency=agency_a, year=2025, by=officer_a, now=NOW),
        officer_a,
        SECRET_A,
    )
    report_services.report_submit(report=evaluating, by=pejabat_a, now=NOW)
    report_services.evaluation_start(report=evaluating, by=evaluator, now=NOW)
    evaluating.refresh_from_db()
    # An inquiry of A forwarded to B: both agencies handle it.
    general = OfficialAccountFactory(agency=agency_a, decree=a.decree, handle="@dinkes.umum")
    shared = InquiryFactory(
        agency=agency_a,
        channel=general,
        author_name=f"Warga {SHARED_AB}",
        text=f"Pertanyaan {SHARED_AB}: KTP saya hilang.",
        recorded_by=officer_a,
    )
    flow.inquiry_forward(
        inquiry=shared, to_agency=agency_b, by=officer_a, now=NOW - dt.timedelta(hours=2)
    )
    shared.refresh_from_db()
    # A citizen of A asks Diskominfo what the portal holds on them.
    subject_request = privacy_services.subject_request_create(
        by=evaluator,
        now=NOW,
        kind="access",
        requester_name=a.inquiry.author_name,
        identifier=a.inquiry.author_name,
        received_at=NOW - dt.timedelta(hours=1),
    )
    regency_file = _done_file(
        kind=ReportFileKind.REGENCY, year=2026, by=evaluator, name="kabupaten-2026.pdf"
    )
    # /healthz is healthy: the beat has ticked.
    Heartbeat.objects.update_or_create(name=BEAT, defaults={"seen_at": NOW})
    users = {name: cast[name] for name in ROLES if name != "anonymous"}
    users["pejabat_b"] = cast["pejabat_b"]
    return SimpleNamespace(
        a=a,
        b=b,
        evaluating=evaluating,
        subject_request=subject_request,
        shared=shared,
        regency_file=regency_file,
        dinas=cast["dinas"],
        users=users,
    )


@pytest.fixture(scope="session")
def _security_media(tmp_path_factory):
    return tmp_path_factory.mktemp("security-media")


@pytest.fixture(autouse=True)
def _private_media_root(settings, _security_media):
    """Overrides the root conftest's: the module's world keeps its files for every test."""
    settings.MEDIA_ROOT = _security_media


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, _security_media):
    """Agency A's records (``world.a``), agency B's (``world.b``) and the shared ones,
    built once per module inside a transaction that is rolled back at its end. Each
    test runs in a savepoint inside it (pytest-django's ``db``), so what a test writes
    is undone before the next one, like Django's ``setUpTestData``."""
    with (
        django_db_blocker.unblock(),
        time_machine.travel(NOW, tick=False),
        override_settings(MEDIA_ROOT=_security_media, PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        built = _build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def clients(world, django_db_blocker):
    """A client per role of :data:`ROLES`, signed in (none for ``anonymous``). Their
    sessions live in the module's transaction."""
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        return {
            role: client_for(None if role == "anonymous" else world.users[role]) for role in ROLES
        }
