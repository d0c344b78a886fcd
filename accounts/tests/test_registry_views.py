"""The registry pages through the views: who may open and change what (one matrix over
every URL and role), bad input refused with nothing changed, a fixed number of queries
per list, downloads, the CSV export and the ethics acknowledgement."""

import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from accounts.models import (
    AccountStatus,
    AccountType,
    Appointment,
    AppointmentRole,
    Decree,
    OfficialAccount,
    Platform,
    Sop,
)
from accounts.tests.factories import (
    AgencyFactory,
    AppointmentFactory,
    AsnUserFactory,
    DecreeFactory,
    OfficialAccountFactory,
    SopFactory,
    UserFactory,
)
from accounts.tests.registry_factories import (
    PDF,
    DecreeWithFileFactory,
    SopWithFileFactory,
)

pytestmark = pytest.mark.django_db

# 09:00 WIB on Monday 15 June 2026: the factories' decrees run through 2026.
NOW = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fast_and_fixed(settings, time_machine):
    # Argon2 is slow on purpose; these tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def reg(agency_a):
    """Agency A's registry: a decree and an SOP with real PDFs, an account, an appointee."""
    decree = DecreeWithFileFactory(agency=agency_a, number="800/001/DINKES/2026")
    account = OfficialAccountFactory(agency=agency_a, decree=decree, handle="@dinkes.katingan")
    appointment = AppointmentFactory(
        decree=decree, user=AsnUserFactory(username="asn_a", agency=agency_a)
    )
    sop = SopWithFileFactory(agency=agency_a)
    return SimpleNamespace(
        agency=agency_a, decree=decree, account=account, appointment=appointment, sop=sop
    )


def login(client, request, who: str):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))


def pdf_upload(content: bytes = PDF, name: str = "sk.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def drain(response) -> bytes:
    """Read a streamed download to the end; the test client then closes it (and its
    file handle) without firing ``request_finished``, which would close the test's
    database connection on PostgreSQL."""
    if not response.streaming:
        return response.content
    return b"".join(response.streaming_content)


# --- The permission matrix ----------------------------------------------------------

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

LOGIN = "login"
# What each kind of page answers to each role; agency A's objects are the targets.
EXPECTED = {
    # Lists, the export and the ethics page: every signed-in user (scoped rows).
    "list": dict.fromkeys(ROLES[1:], 200),
    # A page or download of agency A's object: 404 outside the scope.
    "read": {
        "officer_a": 200,
        "pejabat_a": 200,
        "officer_b": 404,
        "evaluator": 200,
        "pimpinan": 200,
        "administrator": 200,
        "outsider": 404,
    },
    # A form for a new record (GET, or a POST with nothing in it): agency-bound writers
    # get their own agency's form, the administrator the agency chooser.
    "create": {
        "officer_a": 200,
        "pejabat_a": 200,
        "officer_b": 200,
        "evaluator": 403,
        "pimpinan": 403,
        "administrator": 200,
        "outsider": 403,
    },
    # A form to change agency A's object (GET, or an empty POST shown with its errors).
    "edit": {
        "officer_a": 200,
        "pejabat_a": 200,
        "officer_b": 404,
        "evaluator": 403,
        "pimpinan": 403,
        "administrator": 200,
        "outsider": 404,
    },
    # A state change of agency A's object.
    "action": {
        "officer_a": 302,
        "pejabat_a": 302,
        "officer_b": 404,
        "evaluator": 403,
        "pimpinan": 403,
        "administrator": 302,
        "outsider": 404,
    },
    # Acknowledging one's own ethics.
    "self": dict.fromkeys(ROLES[1:], 302),
}

ROUTES = [
    # (URL name, object of agency A or None, method, kind, POST data)
    ("agency_list", None, "get", "list", None),
    ("agency_detail", "agency", "get", "read", None),
    ("agency_edit", "agency", "get", "edit", None),
    ("agency_edit", "agency", "post", "edit", {}),
    ("account_list", None, "get", "list", None),
    ("account_create", None, "get", "create", None),
    ("account_create", None, "post", "create", {}),
    ("account_edit", "account", "get", "edit", None),
    ("account_edit", "account", "post", "edit", {}),
    ("account_status", "account", "post", "action", {"status": "inactive"}),
    ("decree_list", None, "get", "list", None),
    ("decree_create", None, "get", "create", None),
    ("decree_create", None, "post", "create", {}),
    ("decree_detail", "decree", "get", "read", None),
    ("decree_edit", "decree", "get", "edit", None),
    ("decree_edit", "decree", "post", "edit", {}),
    ("decree_file", "decree", "get", "read", None),
    ("appointment_list", None, "get", "list", None),
    ("appointment_create", None, "get", "create", None),
    ("appointment_create", None, "post", "create", {}),
    ("appointment_end", "appointment", "post", "action", {"ends_on": "2026-06-30"}),
    ("sop_list", None, "get", "list", None),
    ("sop_create", None, "get", "create", None),
    ("sop_create", None, "post", "create", {}),
    ("sop_file", "sop", "get", "read", None),
    ("registry_export", None, "get", "list", None),
    ("ethics", None, "get", "list", None),
    ("ethics", None, "post", "self", {"accept": "yes"}),
]


def url_for(reg, name: str, target: str | None) -> str:
    if target is None:
        return reverse(f"accounts:{name}")
    obj = getattr(reg, target)
    return reverse(f"accounts:{name}", args=[obj.slug if target == "agency" else obj.pk])


def snapshot(reg) -> tuple:
    """Everything a request in the matrix could change about agency A's registry."""
    reg.agency.refresh_from_db()
    account = OfficialAccount.objects.get(pk=reg.account.pk)
    decree = Decree.objects.get(pk=reg.decree.pk)
    appointment = Appointment.objects.get(pk=reg.appointment.pk)
    return (
        reg.agency.short_name,
        reg.agency.kind,
        account.status,
        account.handle,
        decree.number,
        decree.valid_until,
        appointment.ends_on,
        OfficialAccount.objects.count(),
        Decree.objects.count(),
        Appointment.objects.count(),
        Sop.objects.count(),
    )


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize(
    ("name", "target", "method", "kind", "data"),
    ROUTES,
    ids=[f"{method}-{name}" for name, _target, method, _kind, _data in ROUTES],
)
def test_permission_matrix(client, request, reg, who, name, target, method, kind, data):
    url = url_for(reg, name, target)
    before = snapshot(reg)
    login(client, request, who)

    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    drain(response)

    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert snapshot(reg) == before
        return
    expected = EXPECTED[kind][who]
    assert response.status_code == expected, (who, name, method)
    if kind == "action" and expected == 302:
        assert snapshot(reg) != before
    else:
        # Reads, refusals and empty forms change nothing.
        assert snapshot(reg) == before


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("account_status", "account"),
        ("appointment_end", "appointment"),
    ],
)
def test_state_changes_are_post_only(client, reg, officer_a, name, target):
    client.force_login(officer_a)
    before = snapshot(reg)
    assert client.get(url_for(reg, name, target)).status_code == 405
    assert snapshot(reg) == before


def test_writes_need_the_csrf_token(reg, officer_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    before = snapshot(reg)
    response = client.post(
        reverse("accounts:account_status", args=[reg.account.pk]), {"status": "inactive"}
    )
    assert response.status_code == 403
    assert snapshot(reg) == before


def test_the_lists_show_only_the_users_agency(client, reg, officer_b, evaluator):
    OfficialAccountFactory(agency=officer_b.agency, handle="@disdukcapil.katingan")
    client.force_login(officer_b)
    html = client.get(reverse("accounts:account_list")).content.decode()
    assert "@disdukcapil.katingan" in html
    assert "@dinkes.katingan" not in html
    html = client.get(reverse("accounts:agency_list")).content.decode()
    assert 'data-agency="disdukcapil"' in html
    assert 'data-agency="dinkes"' not in html

    client.force_login(evaluator)
    html = client.get(reverse("accounts:account_list")).content.decode()
    assert "@disdukcapil.katingan" in html and "@dinkes.katingan" in html


def test_an_outsider_sees_empty_lists(client, reg, outsider):
    client.force_login(outsider)
    response = client.get(reverse("accounts:account_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0


# --- The agency comes from the scope, never from the request -------------------------


def account_data(**overrides) -> dict[str, object]:
    data = {
        "account_type": AccountType.MEDIA_SHARING,
        "platform": Platform.INSTAGRAM,
        "handle": "@dinkes.baru",
        "url": "https://www.instagram.com/dinkes.baru/",
        "target_audience": "Warga Katingan",
        "decree": "",
    }
    data.update(overrides)
    return data


def decree_data(**overrides) -> dict[str, object]:
    data = {
        "number": "800/099/DINKES/2026",
        "title": "Penunjukan Akun Resmi",
        "signed_on": "2026-06-01",
        "valid_from": "2026-06-01",
        "valid_until": "2026-12-31",
        "document": pdf_upload(),
    }
    data.update(overrides)
    return data


def test_a_posted_agency_field_changes_nothing(client, reg, officer_a, agency_b):
    client.force_login(officer_a)
    response = client.post(
        reverse("accounts:account_create") + "?instansi=disdukcapil",
        account_data(agency=agency_b.pk),
    )
    assert response.status_code == 302
    account = OfficialAccount.objects.get(handle="@dinkes.baru")
    assert account.agency == reg.agency
    assert response["Location"] == reverse("accounts:account_edit", args=[account.pk])

    response = client.post(
        reverse("accounts:decree_edit", args=[reg.decree.pk]),
        decree_data(number=reg.decree.number, title="Judul baru", agency=agency_b.pk),
    )
    assert response.status_code == 302
    reg.decree.refresh_from_db()
    assert reg.decree.title == "Judul baru"
    assert reg.decree.agency == reg.agency
    assert not agency_b.decrees.exists()


def test_the_administrator_chooses_the_agency(client, reg, administrator, agency_b):
    client.force_login(administrator)
    response = client.get(reverse("accounts:account_create"))
    assert response.status_code == 200
    assert "?instansi=disdukcapil" in response.content.decode()

    response = client.post(
        reverse("accounts:account_create") + "?instansi=disdukcapil",
        account_data(handle="@disdukcapil.baru", agency=reg.agency.pk),
    )
    assert response.status_code == 302
    assert OfficialAccount.objects.get(handle="@disdukcapil.baru").agency == agency_b
    assert client.get(reverse("accounts:account_create") + "?instansi=tidak-ada").status_code == 404


def test_a_decree_is_recorded_with_its_pdf(client, agency_a, officer_a):
    client.force_login(officer_a)
    response = client.post(reverse("accounts:decree_create"), decree_data())
    decree = Decree.objects.get(number="800/099/DINKES/2026")
    assert response["Location"] == reverse("accounts:decree_detail", args=[decree.pk])
    assert decree.agency == agency_a
    assert decree.created_by == officer_a
    assert decree.document.name.startswith(f"decrees/{agency_a.pk}/")


# --- Bad input: a clear error and nothing changed -------------------------------------


def assert_refused(response, field: str) -> None:
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    for message in form.errors[field]:
        assert escape(message) in html


def test_a_file_that_is_not_a_pdf_is_refused(client, agency_a, officer_a):
    client.force_login(officer_a)
    fake = pdf_upload(b"MZ\x90\x00 this is a program, not a PDF", name="sk.pdf")
    response = client.post(reverse("accounts:decree_create"), decree_data(document=fake))
    assert_refused(response, "document")
    assert not Decree.objects.exists()


def test_an_oversized_file_is_refused(client, agency_a, officer_a, settings):
    settings.REGISTRY_MAX_UPLOAD_BYTES = 100
    client.force_login(officer_a)
    response = client.post(
        reverse("accounts:sop_create"),
        {
            "title": "SOP Pelayanan Informasi",
            "effective_from": "2026-06-01",
            "document": pdf_upload(),
        },
    )
    assert_refused(response, "document")
    assert not Sop.objects.exists()


def test_a_duplicate_account_is_refused_whatever_the_case(client, reg, officer_a, officer_b):
    client.force_login(officer_a)
    response = client.post(
        reverse("accounts:account_create"), account_data(handle="@DINKES.Katingan")
    )
    assert_refused(response, "handle")
    # Another agency cannot register it either.
    client.force_login(officer_b)
    response = client.post(
        reverse("accounts:account_create"), account_data(handle="dinkes.katingan")
    )
    assert_refused(response, "handle")
    assert OfficialAccount.objects.count() == 1


def test_a_decree_that_ends_before_it_starts_is_refused(client, agency_a, officer_a):
    client.force_login(officer_a)
    response = client.post(
        reverse("accounts:decree_create"),
        decree_data(valid_from="2026-06-01", valid_until="2026-05-31"),
    )
    assert_refused(response, "valid_until")
    assert not Decree.objects.exists()


def test_a_person_without_a_valid_nip_cannot_be_appointed(client, reg, officer_a):
    no_nip = UserFactory(username="bukan_asn", agency=reg.agency, nip="")
    client.force_login(officer_a)
    response = client.post(
        reverse("accounts:appointment_create"),
        {
            "user": no_nip.pk,
            "role": AppointmentRole.PETUGAS,
            "decree": reg.decree.pk,
            "starts_on": "2026-06-15",
            "ends_on": "",
        },
    )
    assert_refused(response, "user")
    assert not Appointment.objects.filter(user=no_nip).exists()
    assert not no_nip.groups.exists()


def test_a_person_with_a_nip_is_appointed_and_gets_the_role(client, reg, officer_a):
    asn = AsnUserFactory(username="asn_baru", agency=reg.agency)
    client.force_login(officer_a)
    response = client.post(
        reverse("accounts:appointment_create"),
        {
            "user": asn.pk,
            "role": AppointmentRole.PEJABAT,
            "decree": reg.decree.pk,
            "starts_on": "2026-06-15",
            "ends_on": "",
        },
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get(user=asn)
    assert appointment.agency == reg.agency
    assert appointment.ethics_acknowledged_at is None
    assert asn.groups.filter(name="Pejabat").exists()


def test_another_agencys_decree_cannot_back_an_appointment(client, reg, officer_b):
    asn = AsnUserFactory(username="asn_b", agency=officer_b.agency)
    client.force_login(officer_b)
    response = client.post(
        reverse("accounts:appointment_create"),
        {"user": asn.pk, "role": "petugas", "decree": reg.decree.pk, "starts_on": "2026-06-15"},
    )
    assert_refused(response, "decree")
    assert not Appointment.objects.filter(user=asn).exists()


# --- Confirmed state changes ----------------------------------------------------------


def test_archiving_an_account_asks_for_confirmation(client, reg, officer_a):
    client.force_login(officer_a)
    url = reverse("accounts:account_status", args=[reg.account.pk])

    response = client.post(url, {"status": "archived"})
    assert response.status_code == 200
    assert 'name="confirmed" value="yes"' in response.content.decode()
    reg.account.refresh_from_db()
    assert reg.account.status == AccountStatus.ACTIVE

    response = client.post(url, {"status": "archived", "confirmed": "yes"})
    assert response.status_code == 302
    reg.account.refresh_from_db()
    assert reg.account.status == AccountStatus.ARCHIVED


def test_an_unknown_status_is_refused(client, reg, officer_a):
    client.force_login(officer_a)
    response = client.post(
        reverse("accounts:account_status", args=[reg.account.pk]),
        {"status": "deleted"},
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    reg.account.refresh_from_db()
    assert reg.account.status == AccountStatus.ACTIVE


def test_ending_an_appointment_before_it_starts_is_refused(client, reg, officer_a):
    client.force_login(officer_a)
    response = client.post(
        reverse("accounts:appointment_end", args=[reg.appointment.pk]),
        {"ends_on": "2025-12-31", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("accounts:appointment_list")
    reg.appointment.refresh_from_db()
    assert reg.appointment.ends_on is None


def test_ending_an_appointment_returns_to_the_page(client, reg, officer_a):
    client.force_login(officer_a)
    back = reverse("accounts:agency_detail", args=[reg.agency.slug])
    response = client.post(
        reverse("accounts:appointment_end", args=[reg.appointment.pk]),
        {"ends_on": "2026-06-30", "next": back},
    )
    assert response["Location"] == back
    reg.appointment.refresh_from_db()
    assert reg.appointment.ends_on == dt.date(2026, 6, 30)


# --- Pages show what the regulation asks ---------------------------------------------


def test_the_agency_profile_shows_registry_and_compliance(client, reg, evaluator):
    client.force_login(evaluator)
    response = client.get(reverse("accounts:agency_detail", args=[reg.agency.slug]))
    html = response.content.decode()
    assert reg.account.handle in html
    assert reg.account.type_description.split(",")[0] in html
    assert reg.decree.number in html
    assert reg.appointment.user.get_full_name() in html
    assert reg.sop.title in html
    assert 'data-compliance="pejabat"' in html
    compliance = response.context["compliance"]
    assert [item.code for item in compliance.items if not item.ok] == ["pejabat"]
    # Read-only: no edit links, no forms that write.
    assert reverse("accounts:agency_edit", args=[reg.agency.slug]) not in html
    assert reverse("accounts:appointment_end", args=[reg.appointment.pk]) not in html
    assert "15-06-2026" in html


def test_the_agency_list_shows_compliance_per_agency(client, reg, agency_b, pimpinan):
    client.force_login(pimpinan)
    response = client.get(reverse("accounts:agency_list"))
    rows = {agency.slug: agency.compliance.ok for agency in response.context["page"]}
    assert rows == {"dinkes": False, "disdukcapil": False}
    assert response.content.decode().count("badge text-bg-warning") >= 2


def test_list_filters_and_ordering(client, reg, evaluator, agency_b):
    OfficialAccountFactory(agency=agency_b, handle="@capil", platform=Platform.FACEBOOK)
    client.force_login(evaluator)
    url = reverse("accounts:account_list")

    page = client.get(url, {"instansi": "disdukcapil"}).context["page"]
    assert [a.handle for a in page] == ["@capil"]
    page = client.get(url, {"q": "DINKES"}).context["page"]
    assert [a.handle for a in page] == ["@dinkes.katingan"]
    page = client.get(url, {"urutan": "-akun"}).context["page"]
    assert [a.handle for a in page] == ["@dinkes.katingan", "@capil"]
    # An ordering outside the allow-list is ignored, never passed to order_by.
    response = client.get(url, {"urutan": "agency__users__password"})
    assert response.status_code == 200
    assert "urutan" in response.context["filterset"].form.errors


def test_decree_validity_filter(client, reg, officer_a):
    DecreeFactory(
        agency=reg.agency,
        number="800/000/DINKES/2025",
        valid_from=dt.date(2025, 1, 1),
        valid_until=dt.date(2025, 12, 31),
    )
    client.force_login(officer_a)
    url = reverse("accounts:decree_list")
    assert [d.number for d in client.get(url, {"keberlakuan": "berakhir"}).context["page"]] == [
        "800/000/DINKES/2025"
    ]
    assert [d.number for d in client.get(url, {"keberlakuan": "berlaku"}).context["page"]] == [
        reg.decree.number
    ]


def test_lists_paginate_by_25(client, agency_a, officer_a):
    for n in range(30):
        OfficialAccountFactory(agency=agency_a, handle=f"@akun{n:02d}")
    client.force_login(officer_a)
    url = reverse("accounts:account_list")
    first = client.get(url).context["page"]
    second = client.get(url, {"halaman": 2}).context["page"]
    assert len(first) == 25 and len(second) == 5
    assert not {a.pk for a in first} & {a.pk for a in second}
    assert client.get(url, {"halaman": "x"}).status_code == 200


def test_empty_lists_say_so(client, agency_a, officer_a):
    client.force_login(officer_a)
    for name in ("account_list", "decree_list", "appointment_list", "sop_list"):
        response = client.get(reverse(f"accounts:{name}"))
        assert response.status_code == 200
        assert 'class="alert alert-light border text-center py-4"' in response.content.decode()


def test_navigation_and_bell(client, reg, officer_a):
    from notifications.services import notification_create

    notification_create(
        recipient=officer_a, key="uji", kind="uji", title="Uji", body="Isi", url="/", now=NOW
    )
    client.force_login(officer_a)
    html = client.get(reverse("home")).content.decode()
    assert 'data-nav="accounts:agency_list"' in html
    assert 'data-nav="accounts:account_list"' in html
    assert 'data-unread="1"' in html
    html = client.get(reverse("notifications:list")).content.decode()
    assert "list-group-item-warning" in html
    assert reverse("notifications:read", args=[officer_a.notifications.get().pk]) in html


# --- Downloads ------------------------------------------------------------------------


def test_decree_download_is_a_private_pdf_attachment(client, reg, pimpinan):
    client.force_login(pimpinan)
    response = client.get(reverse("accounts:decree_file", args=[reg.decree.pk]))
    body = drain(response)
    assert body.startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == 'attachment; filename="SK-800-001-DINKES-2026.pdf"'


def test_sop_download_has_a_generated_name(client, reg, officer_a):
    client.force_login(officer_a)
    response = client.get(reverse("accounts:sop_file", args=[reg.sop.pk]))
    assert drain(response).startswith(b"%PDF-")
    assert response["Content-Disposition"] == 'attachment; filename="SOP-dinkes-2026-01-10.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_a_missing_file_is_a_404(client, agency_a, officer_a):
    decree = DecreeFactory(agency=agency_a)  # a stored name with no file behind it
    client.force_login(officer_a)
    assert client.get(reverse("accounts:decree_file", args=[decree.pk])).status_code == 404


def test_media_is_not_served_by_url(client, reg, officer_a):
    client.force_login(officer_a)
    assert client.get(f"/media/{reg.decree.document.name}").status_code == 404
    assert client.get(f"/media-not-served/{reg.decree.document.name}").status_code == 404


# --- CSV export -----------------------------------------------------------------------


def export_rows(client) -> list[list[str]]:
    response = client.get(reverse("accounts:registry_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="registri-akun-resmi.csv"'
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_neutralises_formulas_and_is_scoped(client, reg, officer_a, officer_b):
    OfficialAccountFactory(
        agency=reg.agency,
        decree=reg.decree,
        platform=Platform.OTHER,
        handle="=cmd|' /C calc'!A0",
        url="https://contoh.go.id/",
    )
    client.force_login(officer_a)
    rows = export_rows(client)
    header, body = rows[0], rows[1:]
    assert len(header) == 8
    handles = [row[3] for row in body]
    assert "'=cmd|' /C calc'!A0" in handles
    assert "'@dinkes.katingan" in handles
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in body for cell in row)
    assert {row[0] for row in body} == {reg.agency.name}
    assert {row[6] for row in body} == {reg.decree.number}
    assert {row[7] for row in body} == {"2026-12-31"}

    client.force_login(officer_b)
    rows = export_rows(client)
    # Agency B has no account: one row naming it, nothing of agency A.
    assert rows[1:] == [[officer_b.agency.name, "", "", "", "", "", "", ""]]


def test_export_for_regency_roles_covers_every_agency(client, reg, agency_b, evaluator):
    client.force_login(evaluator)
    agencies = {row[0] for row in export_rows(client)[1:]}
    assert agencies == {reg.agency.name, agency_b.name, evaluator.agency.name}


def test_export_for_a_user_without_role_is_empty(client, reg, outsider):
    client.force_login(outsider)
    assert len(export_rows(client)) == 1


# --- The ethics acknowledgement -------------------------------------------------------


@pytest.fixture
def appointee(agency_a):
    decree = DecreeFactory(agency=agency_a)
    appointment = AppointmentFactory(
        decree=decree,
        user=AsnUserFactory(username="petugas_baru", agency=agency_a, roles=["Petugas"]),
        ethics_acknowledged_at=None,
    )
    return appointment


def test_an_appointee_is_sent_to_the_ethics_page_until_acknowledged(client, appointee):
    client.force_login(appointee.user)
    ethics_url = reverse("accounts:ethics")

    response = client.get(reverse("accounts:account_list"))
    assert response.status_code == 302
    assert response["Location"] == f"{ethics_url}?next=%2Fakun-resmi%2F"
    response = client.post(reverse("accounts:account_create"), account_data())
    assert response["Location"] == ethics_url
    assert not OfficialAccount.objects.exists()

    page = client.get(f"{ethics_url}?next=/akun-resmi/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Menjunjung tinggi kehormatan instansi pemerintah kabupaten;" in html
    assert "Memperhatikan ketentuan dan peraturan perundang-undangan yang berlaku" in html

    # Without ticking the statement nothing is recorded.
    client.post(ethics_url, {"next": "/akun-resmi/"})
    appointee.refresh_from_db()
    assert appointee.ethics_acknowledged_at is None

    response = client.post(ethics_url, {"accept": "yes", "next": "/akun-resmi/"})
    assert response["Location"] == "/akun-resmi/"
    appointee.refresh_from_db()
    assert appointee.ethics_acknowledged_at == NOW
    assert client.get(reverse("accounts:account_list")).status_code == 200


def test_the_way_out_stays_open(client, appointee):
    client.force_login(appointee.user)
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"})["Location"] == "/"
    assert client.get(reverse("healthz")).status_code in (200, 503)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")


def test_htmx_requests_are_redirected_by_header(client, appointee):
    client.force_login(appointee.user)
    response = client.get(reverse("home"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("accounts:ethics"))


def test_an_appointment_not_yet_started_does_not_block(client, agency_a):
    decree = DecreeFactory(agency=agency_a)
    appointment = AppointmentFactory(
        decree=decree, starts_on=dt.date(2026, 7, 1), ethics_acknowledged_at=None
    )
    client.force_login(appointment.user)
    assert client.get(reverse("home")).status_code == 200


def test_nothing_pending_costs_no_query_for_the_rest_of_the_day(
    client, agency_a, time_machine, settings
):
    # The session outlives the day (idle timeout and absolute lifetime).
    settings.SESSION_COOKIE_AGE = settings.SESSION_ABSOLUTE_SECONDS = 7 * 24 * 3600
    person = AsnUserFactory(username="asn_lama", agency=agency_a)
    client.force_login(person)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("home"))
    # An appointment recorded later the same day is caught from the next day on.
    AppointmentFactory(
        decree=DecreeFactory(agency=agency_a), user=person, ethics_acknowledged_at=None
    )
    with CaptureQueriesContext(connection) as second:
        assert client.get(reverse("home")).status_code == 200
    assert len(second) == len(first)
    assert not any("accounts_appointment" in q["sql"] for q in second.captured_queries)

    time_machine.move_to(NOW + dt.timedelta(days=1), tick=False)
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:ethics"))


# --- A fixed number of queries, whatever the number of rows ---------------------------


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def fill_agency(agency, n: int, start: int) -> None:
    for i in range(start, start + n):
        decree = DecreeFactory(agency=agency, number=f"800/{i:03d}/N/2026")
        OfficialAccountFactory(agency=agency, decree=decree, handle=f"@n{agency.slug}{i}")
        AppointmentFactory(
            decree=decree,
            role=AppointmentRole.PEJABAT if i % 2 else AppointmentRole.PETUGAS,
            ethics_acknowledged_at=None if i % 3 == 0 else NOW,
            ends_on=dt.date(2026, 3, 1) if i % 4 == 0 else None,
        )
        SopFactory(agency=agency, title=f"SOP {i}", effective_from=dt.date(2026, 1, 1 + i % 28))


def fill_regency(n: int, start: int) -> None:
    for i in range(start, start + n):
        agency = AgencyFactory(slug=f"instansi-{i:03d}", name=f"Instansi {i:03d}")
        fill_agency(agency, 1, i)


PAGES = [
    ("agency_list", "evaluator", fill_regency),
    ("account_list", "evaluator", fill_regency),
    ("decree_list", "administrator", fill_regency),
    ("appointment_list", "pimpinan", fill_regency),
    ("sop_list", "evaluator", fill_regency),
    ("account_list", "officer_a", None),
    ("decree_list", "officer_a", None),
    ("agency_detail", "officer_a", None),
]


@pytest.mark.parametrize(("name", "who", "fill"), PAGES)
def test_query_count_does_not_grow_with_rows(client, request, agency_a, name, who, fill):
    def add(n: int, start: int) -> None:
        if fill is None:
            fill_agency(agency_a, n, start)
        else:
            fill(n, start)

    url = (
        reverse("accounts:agency_detail", args=[agency_a.slug])
        if name == "agency_detail"
        else reverse(f"accounts:{name}")
    )
    login(client, request, who)
    add(5, 0)
    client.get(url)  # warm-up: session and the day's ethics check
    with_5 = queries(client, url)
    add(45, 5)
    with_50 = queries(client, url)
    assert with_5 == with_50
    assert with_50 <= 14, with_50
