import ast
import datetime as dt
import inspect
import io
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from pypdf import PdfReader

from accounts import demo
from accounts.management.commands import seed_demo
from accounts.models import Agency, Appointment, Decree, OfficialAccount, Sop, User
from accounts.roles import Role
from accounts.selectors import compliance_for
from accounts.services import decree_expiry_remind
from accounts.validators import validate_nip, validate_pdf
from inquiries import demo as inquiries_demo
from inquiries.models import (
    Answer,
    DismissReason,
    Forwarding,
    ForwardingStatus,
    Inquiry,
    InquiryEvent,
    InquiryStatus,
)
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
    assert client.login(
        request=HttpRequest(), username="petugas.dinkes", password=demo.DEMO_PASSWORD
    )


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

    decree_notices = Notification.objects.filter(key__startswith="decree:")
    assert list(decree_notices.values_list("recipient__username", "key")) == [
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
            assert client.login(
                request=HttpRequest(), username=spec.username, password=demo.DEMO_PASSWORD
            )
            assert client.get(home).status_code == 200, spec.username
            client.logout()
        assert client.login(
            request=HttpRequest(), username="petugas.rsud", password=demo.DEMO_PASSWORD
        )
        response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:ethics"))


# --- The apps' own demo data, found by seed_demo -----------------------------------------


def test_seed_demo_runs_each_apps_seeder_in_installed_apps_order():
    assert [label for label, _seed in seed_demo.demo_seeders()] == [
        "accounts",
        "inquiries",
        "publications",
        "reports",
    ]
    # accounts does not know the apps built on it: it finds them.
    tree = ast.parse(inspect.getsource(seed_demo))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "accounts" in imported
    assert not any(name.startswith("inquiries") for name in imported)


def inquiry_snapshot():
    return (
        sorted(
            Inquiry.objects.values_list(
                "agency__slug", "idempotency_key", "status", "version", "received_at", "due_at"
            )
        ),
        Forwarding.objects.count(),
        InquiryEvent.objects.count(),
        sorted(Answer.objects.values_list("agency__slug", "question", "times_used")),
    )


def test_the_demo_inquiries_are_seeded_once():
    out = io.StringIO()
    with time_machine.travel(SEEDED_AT, tick=False):
        call_command("seed_demo", stdout=out)
    assert "inquiries, " in out.getvalue() and " 0 inquiries" not in out.getvalue()
    first = inquiry_snapshot()
    assert len(first[0]) >= 200

    out = io.StringIO()
    with time_machine.travel(SEEDED_AT + dt.timedelta(days=3), tick=False):
        call_command("seed_demo", stdout=out)
    assert inquiry_snapshot() == first
    assert "0 inquiries, 0 forwardings, 0 library answers" in out.getvalue()


def test_the_demo_inquiries_show_every_state_of_the_flow_and_deadlines_due_and_overdue():
    seed()
    counts = Counter(Inquiry.objects.values_list("status", flat=True))
    assert set(counts) == set(InquiryStatus.values)
    assert all(count >= 5 for count in counts.values()), counts
    assert set(Forwarding.objects.values_list("status", flat=True)) == set(ForwardingStatus.values)
    assert set(
        Inquiry.objects.filter(status=InquiryStatus.DISMISSED).values_list(
            "dismiss_reason", flat=True
        )
    ) == set(DismissReason.values)
    assert not Inquiry.objects.filter(
        dismiss_reason=DismissReason.DUPLICATE, duplicate_of__isnull=True
    ).exists()
    # Closed both after a direct answer and after a forwarding.
    closed = Inquiry.objects.filter(status=InquiryStatus.CLOSED)
    assert closed.filter(forwardings__isnull=True).exists()
    assert closed.filter(forwardings__status=ForwardingStatus.REPLIED).exists()
    # Re-routed ones, some already answered by the last agency.
    rerouted = Inquiry.objects.filter(forwardings__status=ForwardingStatus.REROUTED).distinct()
    assert rerouted.count() >= 5
    assert rerouted.filter(status__in=[InquiryStatus.ANSWERED, InquiryStatus.CLOSED]).exists()
    assert rerouted.filter(status=InquiryStatus.FORWARDED).exists()
    # Late replies as well as replies on time.
    replied = Forwarding.objects.filter(status=ForwardingStatus.REPLIED)
    assert replied.filter(replied_at__gt=F("due_at")).exists()
    assert replied.filter(replied_at__lte=F("due_at")).exists()
    # Each agency with demo officers has approved library answers, and some were used.
    for slug in ("diskominfo", "dinkes", "disdukcapil", "setda", "disdik", "rsud-mas-amsyar"):
        assert Answer.objects.filter(agency__slug=slug, is_approved=True).exists(), slug
    assert Answer.objects.filter(times_used__gt=0).exists()
    # On the seed's day: forwardings overdue, due within hours, and just forwarded.
    open_forwardings = Inquiry.objects.filter(current_forwarding__status=ForwardingStatus.OPEN)
    overdue = open_forwardings.filter(due_at__lt=SEEDED_AT)
    assert overdue.count() >= 10
    assert overdue.filter(agency__slug__in=["setda", "diskominfo"]).exists()
    due_soon = open_forwardings.filter(
        due_at__gte=SEEDED_AT, due_at__lt=SEEDED_AT + dt.timedelta(hours=6)
    )
    assert due_soon.count() >= 3
    assert open_forwardings.filter(due_at__gte=SEEDED_AT + dt.timedelta(hours=12)).exists()


def test_the_demo_history_is_what_the_flow_writes_about_invented_people():
    seed()
    events: dict[int, list] = {}
    for event in InquiryEvent.objects.order_by("at", "pk"):
        events.setdefault(event.inquiry_id, []).append(event)
    for inquiry in Inquiry.objects.select_related("channel"):
        history = events[inquiry.pk]
        assert inquiry.channel.agency_id == inquiry.agency_id
        assert inquiry.idempotency_key.startswith("demo-")
        assert inquiry.received_at <= inquiry.recorded_at == history[0].at
        assert [e.action for e in history][0] == "record"
        assert inquiry.version == len(history)
        for previous, event in zip(history, history[1:], strict=False):
            assert event.from_status == previous.to_status
        assert history[-1].to_status == inquiry.status
        assert history[-1].at <= SEEDED_AT
    # Some came in through the social listening integration, with no officer.
    assert InquiryEvent.objects.filter(action="record", actor__isnull=True).exists()
    # The people are invented: fake numbers and e-mail addresses only.
    contacts = set(
        Inquiry.objects.exclude(author_contact="").values_list("author_contact", flat=True)
    )
    assert contacts
    for contact in contacts:
        assert contact.startswith("0812-0000-") or contact.endswith("@example.com"), contact


def test_the_demo_plan_is_the_same_on_every_run():
    first = inquiries_demo.plan(SEEDED_AT)
    later = inquiries_demo.plan(SEEDED_AT + dt.timedelta(days=10))
    assert first == inquiries_demo.plan(SEEDED_AT)
    shifted = [
        (item.n, item.receiver, item.text, item.path, item.holders, item.author) for item in later
    ]
    assert shifted == [
        (item.n, item.receiver, item.text, item.path, item.holders, item.author) for item in first
    ]
    assert [t + dt.timedelta(days=10) for item in first for t in item.times] == [
        t for item in later for t in item.times
    ]
