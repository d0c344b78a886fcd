import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from accounts import demo
from accounts.models import Agency, Appointment, Decree, OfficialAccount, Sop, User
from accounts.roles import Role
from accounts.selectors import compliance_for
from accounts.services import decree_expiry_remind
from accounts.validators import validate_nip, validate_pdf
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Agency.objects.values_list("slug", "name", "is_dinas")),
        sorted(User.objects.values_list("username", "full_name", "agency__slug", "password")),
    )


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first
    assert Agency.objects.count() == len(demo.AGENCIES)
    assert User.objects.count() == len(demo.DEMO_USERS)


def test_seed_demo_keeps_local_changes():
    call_command("seed_demo")
    User.objects.filter(username="petugas.dinkes").update(full_name="Nama Baru")
    call_command("seed_demo")
    assert User.objects.get(username="petugas.dinkes").full_name == "Nama Baru"


def test_seed_demo_flags_diskominfo_as_the_dinas_and_gives_each_role_a_user():
    call_command("seed_demo")
    assert Agency.objects.get(is_dinas=True).name == (
        "Dinas Komunikasi, Informatika, Persandian dan Statistik"
    )
    roles = {user.username: user.roles for user in User.objects.prefetch_related("groups")}
    assert {role for held in roles.values() for role in held} == set(demo.Role.values)


def test_demo_users_can_sign_in(client):
    call_command("seed_demo")
    assert client.login(username="petugas.dinkes", password=demo.DEMO_PASSWORD)


# --- The demo registry --------------------------------------------------------------

WIB = ZoneInfo("Asia/Jakarta")
SEEDED_AT = dt.datetime(2026, 6, 15, 9, 0, tzinfo=WIB)
TODAY = SEEDED_AT.date()


def seed(moment=SEEDED_AT):
    with time_machine.travel(moment, tick=False):
        call_command("seed_demo", stdout=io.StringIO())


def registry_snapshot():
    return (
        sorted(
            Decree.objects.values_list(
                "agency__slug", "number", "title", "valid_from", "valid_until", "document"
            )
        ),
        sorted(OfficialAccount.objects.values_list("agency__slug", "platform", "handle", "status")),
        sorted(
            Appointment.objects.values_list(
                "user__username",
                "role",
                "decree__number",
                "starts_on",
                "ends_on",
                "ethics_acknowledged_at",
            )
        ),
        sorted(Sop.objects.values_list("agency__slug", "title", "effective_from", "document")),
    )


def stored_files(settings) -> list[Path]:
    return sorted(path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())


def test_the_registry_seed_is_idempotent_even_on_a_later_day(settings):
    seed()
    first, files = registry_snapshot(), stored_files(settings)
    assert len(first[0]) == len(demo.DECREES)
    assert len(first[1]) == len(demo.ACCOUNTS)
    assert len(first[2]) == len(demo.APPOINTMENTS)
    assert len(first[3]) == len(demo.SOPS)
    assert len(files) == len(demo.DECREES) + len(demo.SOPS)

    out = io.StringIO()
    with time_machine.travel(SEEDED_AT + dt.timedelta(days=3), tick=False):
        call_command("seed_demo", stdout=out)

    assert registry_snapshot() == first
    assert stored_files(settings) == files
    assert "created: 0 agencies, 0 users, 0 decrees, 0 accounts, 0 appointments, 0 sops" in (
        out.getvalue()
    )


def test_the_seed_keeps_local_registry_changes():
    seed()
    Appointment.objects.filter(user__username="petugas.dinkes").update(ends_on=TODAY)
    OfficialAccount.objects.filter(handle="@dinkes_katingan").update(status="archived")
    Decree.objects.filter(number="800/045/DINKES/2025").update(valid_until=TODAY)
    seed()
    assert Appointment.objects.get(user__username="petugas.dinkes").ends_on == TODAY
    assert OfficialAccount.objects.get(handle="@dinkes_katingan").status == "archived"
    assert Decree.objects.get(number="800/045/DINKES/2025").valid_until == TODAY
    assert Appointment.objects.filter(user__username="petugas.dinkes").count() == 1


def test_demo_documents_are_real_pdfs_naming_their_decree():
    seed()
    for decree in Decree.objects.all():
        with decree.document.open("rb") as stored:
            content = stored.read()
        validate_pdf(SimpleUploadedFile("sk.pdf", content))
        text = " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())
        assert decree.number in text
        assert "DEMO" in text
    for sop in Sop.objects.all():
        with sop.document.open("rb") as stored:
            validate_pdf(SimpleUploadedFile("sop.pdf", stored.read()))


def test_demo_people_are_civil_servants_with_valid_nips():
    seed()
    for spec in demo.DEMO_USERS:
        if spec.nip:
            validate_nip(spec.nip)
    appointed = User.objects.filter(appointments__isnull=False).distinct()
    assert appointed.count() == len({spec.username for spec in demo.APPOINTMENTS})
    for person in appointed:
        validate_nip(person.nip)
        assert {a.agency_id for a in person.appointments.all()} == {person.agency_id}


def test_the_demo_registry_shows_compliant_and_failing_agencies():
    seed()
    agencies = {agency.slug: agency.pk for agency in Agency.objects.all()}
    result = compliance_for(agencies.values(), day=TODAY)

    def failing(slug):
        return {item.code for item in result[agencies[slug]].items if not item.ok}

    assert failing("diskominfo") == set()
    assert failing("setda") == set()
    assert failing("dinkes") == set()
    assert failing("disdukcapil") == {"sop"}
    assert failing("disdik") == {"accounts_decree", "pejabat", "petugas"}
    assert failing("rsud-mas-amsyar") == {"pejabat", "ethics"}


def test_the_dinkes_decree_is_due_for_its_30_day_reminder():
    seed()
    dinkes = Decree.objects.get(number="800/045/DINKES/2025")
    assert dinkes.valid_until == TODAY + dt.timedelta(days=20)

    assert decree_expiry_remind(today=TODAY, now=SEEDED_AT) == 1

    assert list(Notification.objects.values_list("recipient__username", "key")) == [
        ("pejabat.dinkes", f"decree:{dinkes.pk}:expiry:30")
    ]


def test_every_demo_login_but_one_has_acknowledged_the_ethics():
    seed()
    pending = set(
        Appointment.objects.filter(ethics_acknowledged_at__isnull=True).values_list(
            "user__username", flat=True
        )
    )
    assert pending == {"petugas.rsud"}
    assert set(
        Appointment.objects.exclude(user__username="petugas.rsud").values_list(
            "ethics_acknowledged_at", flat=True
        )
    ) == {SEEDED_AT}


def test_appointed_demo_users_hold_the_matching_role():
    seed()
    for appointment in Appointment.objects.select_related("user"):
        expected = Role.PEJABAT if appointment.role == "pejabat" else Role.PETUGAS
        assert expected in appointment.user.roles


def test_demo_logins_reach_the_portal_and_only_one_meets_the_ethics_page_first(client):
    seed()
    home = reverse("home")
    # On the seed's day, while every demo decree but Disdik's is in force.
    with time_machine.travel(SEEDED_AT + dt.timedelta(hours=1), tick=False):
        for spec in demo.DEMO_USERS:
            if spec.username == "petugas.rsud":
                continue
            assert client.login(username=spec.username, password=demo.DEMO_PASSWORD)
            assert client.get(home).status_code == 200, spec.username
            client.logout()
        assert client.login(username="petugas.rsud", password=demo.DEMO_PASSWORD)
        response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:ethics"))
