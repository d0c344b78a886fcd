"""The admin follows the portal's rules: scoped to the staff user's agency, audited,
validated like the portal, and the ethics acknowledgement cannot be typed in."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import (
    Agency,
    Appointment,
    AppointmentRole,
    Decree,
    OfficialAccount,
    Sop,
    User,
)
from accounts.roles import Role
from accounts.tests.factories import (
    AppointmentFactory,
    AsnUserFactory,
    DecreeFactory,
    OfficialAccountFactory,
    SopFactory,
    UserFactory,
)
from accounts.tests.test_validators import pdf_bytes, upload
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")

REGISTRY_MODELS = [Decree, Appointment, OfficialAccount, Sop]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:accounts_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def registry(agency_a, agency_b):
    """One decree, appointment, account and SOP for each of agency A and B."""
    rows = {}
    for key, agency in (("a", agency_a), ("b", agency_b)):
        decree = DecreeFactory(agency=agency, valid_until=None)
        rows[key] = {
            Decree: decree,
            Appointment: AppointmentFactory(decree=decree),
            OfficialAccount: OfficialAccountFactory(agency=agency, decree=decree),
            Sop: SopFactory(agency=agency),
            Agency: agency,
        }
        rows[key][User] = rows[key][Appointment].user
    return rows


def grant(user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames)
    )


def registry_permissions(*actions):
    return [
        f"{action}_{model._meta.model_name}"
        for action in actions
        for model in [*REGISTRY_MODELS, Agency, User]
    ]


@pytest.fixture
def staff_officer_a(officer_a):
    """The Petugas of agency A, given staff status and the registry permissions."""
    officer_a.is_staff = True
    officer_a.save(update_fields=["is_staff"])
    grant(officer_a, *registry_permissions("view", "change", "add"))
    return User.objects.get(pk=officer_a.pk)


# --- The administrator --------------------------------------------------------------


@pytest.mark.parametrize("model", [*REGISTRY_MODELS, Agency, User], ids=lambda m: m.__name__)
def test_the_administrator_opens_every_changelist_add_and_change_page(
    client, administrator, registry, model
):
    client.force_login(administrator)
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert {row.pk for row in response.context["cl"].queryset} >= {
        registry["a"][model].pk,
        registry["b"][model].pk,
    }
    assert client.get(admin_url(model, "add")).status_code == 200
    assert client.get(admin_url(model, "change", registry["b"][model].pk)).status_code == 200


@pytest.mark.parametrize(
    "query",
    ["berlaku=valid", "berlaku=expiring", "berlaku=expired", "berlaku=future", "q=800"],
)
def test_the_decree_filters_and_search_work(client, administrator, registry, query):
    client.force_login(administrator)
    assert client.get(admin_url(Decree, "changelist") + "?" + query).status_code == 200


def test_the_expiring_filter_finds_decrees_inside_the_reminder_window(
    client, administrator, agency_a
):
    start = dt.date(2026, 1, 2)
    soon = DecreeFactory(agency=agency_a, valid_from=start, valid_until=dt.date(2026, 7, 15))
    DecreeFactory(agency=agency_a, valid_from=start, valid_until=dt.date(2026, 7, 16))
    DecreeFactory(agency=agency_a, valid_from=start, valid_until=dt.date(2026, 6, 14))
    DecreeFactory(agency=agency_a, valid_from=start, valid_until=None)
    client.force_login(administrator)

    # The admin page reads the clock: 15 June 2026, 30 days before 15 July.
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=WIB), tick=False):
        response = client.get(admin_url(Decree, "changelist") + "?berlaku=expiring")

    assert [row.pk for row in response.context["cl"].queryset] == [soon.pk]


def test_an_admin_save_goes_through_the_service_and_is_audited(client, administrator, registry):
    account = registry["a"][OfficialAccount]
    client.force_login(administrator)

    response = client.post(
        admin_url(OfficialAccount, "change", account.pk),
        {
            "agency": account.agency_id,
            "account_type": account.account_type,
            "platform": account.platform,
            "handle": account.handle,
            "url": account.url,
            "target_audience": "Kader posyandu",
            "decree": account.decree_id,
            "status": "inactive",
        },
    )

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.status == "inactive"
    event = AuditEvent.objects.get(object_type="accounts.officialaccount", object_id=account.pk)
    assert (event.action, event.actor) == ("update", administrator)
    assert event.changes == {
        "target_audience": ["", "Kader posyandu"],
        "status": ["active", "inactive"],
    }


def test_an_admin_appointment_gives_the_role_and_ignores_a_typed_acknowledgement(
    client, administrator, registry, agency_a
):
    person = AsnUserFactory(username="pejabat_baru", agency=agency_a)
    decree = registry["a"][Decree]
    client.force_login(administrator)

    response = client.post(
        admin_url(Appointment, "add"),
        {
            "user": person.pk,
            "agency": agency_a.pk,
            "role": AppointmentRole.PEJABAT,
            "decree": decree.pk,
            "starts_on": decree.valid_from.isoformat(),
            "ethics_acknowledged_at_0": "2026-01-05",
            "ethics_acknowledged_at_1": "09:00:00",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    appointment = Appointment.objects.get(user=person)
    assert appointment.ethics_acknowledged_at is None
    assert appointment.created_by == administrator
    assert Role.PEJABAT in User.objects.get(pk=person.pk).roles
    assert AuditEvent.objects.filter(
        object_type="accounts.appointment", object_id=appointment.pk, action="create"
    ).exists()


def test_the_ethics_acknowledgement_is_read_only_on_change(client, administrator, registry):
    appointment = registry["a"][Appointment]
    client.force_login(administrator)
    form = client.get(admin_url(Appointment, "change", appointment.pk)).context["adminform"].form
    assert "ethics_acknowledged_at" not in form.fields
    assert "user" not in form.fields and "agency" not in form.fields


def test_an_appointment_must_match_its_decrees_agency(client, administrator, registry, agency_a):
    person = AsnUserFactory(username="asn_a", agency=agency_a)
    client.force_login(administrator)

    response = client.post(
        admin_url(Appointment, "add"),
        {
            "user": person.pk,
            "agency": agency_a.pk,
            "role": AppointmentRole.PETUGAS,
            "decree": registry["b"][Decree].pk,
            "starts_on": "2026-02-01",
        },
    )

    assert response.status_code == 200
    assert "decree" in response.context["adminform"].form.errors
    assert not Appointment.objects.filter(user=person).exists()


def test_an_admin_upload_must_be_a_real_pdf(client, administrator, agency_a):
    client.force_login(administrator)
    data = {
        "agency": agency_a.pk,
        "number": "800/001/DINKES/2026",
        "title": "Penunjukan Akun Resmi",
        "signed_on": "2026-01-02",
        "valid_from": "2026-01-02",
        "valid_until": "",
    }

    rejected = client.post(
        admin_url(Decree, "add"), {**data, "document": upload(b"<html>x</html>")}
    )
    assert rejected.status_code == 200
    assert "document" in rejected.context["adminform"].form.errors
    assert not Decree.objects.exists()

    accepted = client.post(admin_url(Decree, "add"), {**data, "document": upload(pdf_bytes())})
    assert accepted.status_code == 302
    decree = Decree.objects.get()
    assert decree.created_by == administrator
    assert AuditEvent.objects.filter(object_type="accounts.decree", action="create").count() == 1


def test_appointments_accounts_and_sops_cannot_be_deleted(client, administrator, registry):
    client.force_login(administrator)
    for model in (Appointment, OfficialAccount, Sop):
        row = registry["a"][model]
        assert client.post(admin_url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
        assert model.objects.filter(pk=row.pk).exists()


def test_deleting_a_decree_in_the_admin_is_audited(client, administrator, agency_a):
    unused = DecreeFactory(agency=agency_a)
    client.force_login(administrator)

    response = client.post(admin_url(Decree, "delete", unused.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Decree.objects.filter(pk=unused.pk).exists()
    event = AuditEvent.objects.get(object_type="accounts.decree", object_id=unused.pk)
    assert (event.action, event.actor) == ("delete", administrator)


# --- A Petugas with staff status ------------------------------------------------------


@pytest.mark.parametrize("model", [*REGISTRY_MODELS, Agency, User], ids=lambda m: m.__name__)
def test_agency_staff_see_only_their_agency(client, staff_officer_a, registry, model):
    client.force_login(staff_officer_a)

    response = client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    shown = {row.pk for row in response.context["cl"].queryset}
    assert registry["a"][model].pk in shown
    assert registry["b"][model].pk not in shown
    owner = "pk" if model is Agency else "agency_id"
    owners = set(model.objects.filter(pk__in=shown).values_list(owner, flat=True))
    assert owners == {registry["a"][Agency].pk}


@pytest.mark.parametrize("model", [*REGISTRY_MODELS, Agency, User], ids=lambda m: m.__name__)
def test_agency_staff_cannot_open_another_agencys_row(client, staff_officer_a, registry, model):
    client.force_login(staff_officer_a)
    other = registry["b"][model]

    response = client.get(admin_url(model, "change", other.pk))

    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"] == reverse("admin:index")
    assert client.get(admin_url(model, "change", registry["a"][model].pk)).status_code == 200


def test_agency_staff_cannot_change_another_agencys_row_by_post(client, staff_officer_a, registry):
    client.force_login(staff_officer_a)
    other = registry["b"][OfficialAccount]

    response = client.post(
        admin_url(OfficialAccount, "change", other.pk),
        {"handle": "@diambil.alih", "status": "archived"},
    )

    assert response.status_code in (302, 404)
    other.refresh_from_db()
    assert other.status == "active" and other.handle != "@diambil.alih"


@pytest.mark.parametrize("model", [Decree, Appointment, OfficialAccount, Sop])
def test_the_agency_select_offers_only_their_agency(client, staff_officer_a, registry, model):
    client.force_login(staff_officer_a)

    form = client.get(admin_url(model, "add")).context["adminform"].form

    assert list(form.fields["agency"].queryset) == [registry["a"][Agency]]
    if "decree" in form.fields:
        assert list(form.fields["decree"].queryset) == [registry["a"][Decree]]
    if "user" in form.fields:
        assert set(form.fields["user"].queryset) <= set(
            User.objects.filter(agency=registry["a"][Agency])
        )


def test_agency_staff_cannot_repoint_a_row_to_another_agency(client, staff_officer_a, registry):
    decree = registry["a"][Decree]
    client.force_login(staff_officer_a)

    response = client.post(
        admin_url(Decree, "change", decree.pk),
        {
            "agency": registry["b"][Agency].pk,
            "number": decree.number,
            "title": decree.title,
            "signed_on": decree.signed_on.isoformat(),
            "valid_from": decree.valid_from.isoformat(),
            "valid_until": "",
        },
    )

    assert response.status_code == 200
    assert "agency" in response.context["adminform"].form.errors
    decree.refresh_from_db()
    assert decree.agency == registry["a"][Agency]


def test_agency_staff_cannot_grant_themselves_powers(client, staff_officer_a):
    client.force_login(staff_officer_a)

    form = client.get(admin_url(User, "change", staff_officer_a.pk)).context["adminform"].form

    for field in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert field not in form.fields


def test_agency_staff_cannot_rename_their_agency_or_make_it_the_dinas(
    client, staff_officer_a, agency_a
):
    client.force_login(staff_officer_a)
    response = client.get(admin_url(Agency, "change", agency_a.pk))
    form = response.context["adminform"].form
    for field in ("name", "slug", "is_dinas", "is_active"):
        assert field not in form.fields
    assert client.get(admin_url(Agency, "add")).status_code == 403


# --- Read-only and role-less staff ----------------------------------------------------


def test_the_evaluator_with_staff_status_sees_all_and_changes_nothing(client, evaluator, registry):
    evaluator.is_staff = True
    evaluator.save(update_fields=["is_staff"])
    grant(evaluator, *registry_permissions("view", "change", "add"))
    client.force_login(evaluator)
    account = registry["b"][OfficialAccount]

    listing = client.get(admin_url(OfficialAccount, "changelist"))
    assert {row.pk for row in listing.context["cl"].queryset} == {
        registry["a"][OfficialAccount].pk,
        account.pk,
    }
    assert client.get(admin_url(OfficialAccount, "add")).status_code == 403
    assert (
        client.post(
            admin_url(OfficialAccount, "change", account.pk), {"status": "archived"}
        ).status_code
        == 403
    )
    account.refresh_from_db()
    assert account.status == "active"


def test_staff_without_a_role_see_nothing(client, registry):
    nobody = UserFactory(username="staf_tanpa_peran", is_staff=True)
    grant(nobody, *registry_permissions("view"))
    client.force_login(nobody)

    for model in (*REGISTRY_MODELS, Agency, User):
        response = client.get(admin_url(model, "changelist"))
        assert response.status_code == 200
        assert response.context["cl"].result_count == 0


def test_an_admin_decree_number_is_unique_whatever_its_case(client, administrator, agency_a):
    DecreeFactory(agency=agency_a, number="800/001/DINKES/2026")
    client.force_login(administrator)

    response = client.post(
        admin_url(Decree, "add"),
        {
            "agency": agency_a.pk,
            "number": "800/001/dinkes/2026",
            "title": "Penunjukan Akun Resmi",
            "signed_on": "2026-01-02",
            "valid_from": "2026-01-02",
            "valid_until": "",
            "document": upload(pdf_bytes()),
        },
    )

    assert response.status_code == 200
    assert "number" in response.context["adminform"].form.errors
    assert Decree.objects.count() == 1
