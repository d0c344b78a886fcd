"""Registry writes (one service per change, each with its audit row), the validity of
decrees and appointments on their boundaries, and the rules the database enforces."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from accounts.forms import AgencyForm, AppointmentForm, DecreeForm, OfficialAccountForm
from accounts.models import (
    AccountStatus,
    Agency,
    Appointment,
    AppointmentRole,
    Decree,
    OfficialAccount,
    Platform,
    User,
)
from accounts.roles import Role
from accounts.services import (
    RegistryError,
    account_set_status,
    appointment_create,
    appointment_end,
    ethics_acknowledge,
    registry_record_save,
)
from accounts.tests.factories import (
    AgencyFactory,
    AppointmentFactory,
    AsnUserFactory,
    DecreeFactory,
    OfficialAccountFactory,
)
from accounts.tests.test_validators import pdf_bytes, upload
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

# 09:00 WIB on 15 June 2026.
NOW = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 15)


def events_for(obj) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).order_by("pk")
    )


# --- registry_record_save -----------------------------------------------------------


def test_creating_a_decree_records_its_author_and_an_audit_row(agency_a, officer_a):
    form = DecreeForm(
        data={
            "number": "800/045/DINKES/2026",
            "title": "Penunjukan Akun Resmi dan Pengelola Media Sosial Dinas Kesehatan",
            "signed_on": "2026-01-05",
            "valid_from": "2026-01-06",
            "valid_until": "2026-12-31",
        },
        files={"document": upload(pdf_bytes(), name="../../etc/sk.pdf")},
        agency=agency_a,
    )
    assert form.is_valid(), form.errors

    decree = registry_record_save(form=form, by=officer_a, now=NOW)

    decree.refresh_from_db()
    assert decree.agency == agency_a
    assert decree.created_by == officer_a
    # The uploader's name is never used on disk.
    assert decree.document.name.startswith(f"decrees/{agency_a.pk}/")
    assert "etc" not in decree.document.name and decree.document.name.endswith(".pdf")
    [event] = events_for(decree)
    assert (event.action, event.actor, event.agency, event.at) == (
        "create",
        officer_a,
        agency_a,
        NOW,
    )
    assert event.changes["number"] == [None, "800/045/DINKES/2026"]
    assert event.changes["valid_until"] == [None, "2026-12-31"]
    assert set(event.changes) == {
        "number",
        "title",
        "signed_on",
        "valid_from",
        "valid_until",
        "document",
    }


def test_updating_records_only_the_fields_that_changed(agency_a, officer_a):
    account = OfficialAccountFactory(
        agency=agency_a, handle="@dinkes.katingan", target_audience="Warga"
    )
    form = OfficialAccountForm(
        data={
            "account_type": account.account_type,
            "platform": account.platform,
            "handle": account.handle,
            "url": account.url,
            "target_audience": "Ibu hamil dan orang tua balita",
            "decree": account.decree_id,
        },
        instance=account,
        agency=agency_a,
    )
    assert form.is_valid(), form.errors

    registry_record_save(form=form, by=officer_a, now=NOW)

    [event] = events_for(account)
    assert event.action == "update"
    assert event.changes == {"target_audience": ["Warga", "Ibu hamil dan orang tua balita"]}
    account.refresh_from_db()
    assert account.target_audience == "Ibu hamil dan orang tua balita"


def test_an_agency_update_is_audited_under_the_agency_itself(agency_a, pejabat_a):
    form = AgencyForm(
        data={
            "short_name": agency_a.short_name,
            "kind": agency_a.kind,
            "email": "",
            "phone": "",
            "address": "",
            "website": "",
            "authority_topics": "Imunisasi, puskesmas,  imunisasi",
        },
        instance=agency_a,
    )
    assert form.is_valid(), form.errors

    registry_record_save(form=form, by=pejabat_a, now=NOW)

    [event] = events_for(agency_a)
    assert event.agency_id == agency_a.pk
    assert event.changes == {"authority_topics": ["[]", "['imunisasi', 'puskesmas']"]}


def test_a_refused_save_writes_no_audit_row(agency_a, officer_a):
    OfficialAccountFactory(agency=agency_a, platform=Platform.INSTAGRAM, handle="@dinkes")
    form = OfficialAccountForm(
        data={
            "account_type": "media_sharing",
            "platform": "instagram",
            "handle": "@DINKES",
            "url": "https://www.instagram.com/dinkes/",
        },
        agency=agency_a,
    )
    assert not form.is_valid()
    assert "handle" in form.errors
    assert not AuditEvent.objects.exists()


# --- appointment_create -------------------------------------------------------------


def test_appointment_create_gives_the_matching_role_and_audits(agency_a, pejabat_a):
    decree = DecreeFactory(agency=agency_a)
    person = AsnUserFactory(username="calon_pejabat", agency=agency_a)
    assert Role.PEJABAT not in person.roles
    form = AppointmentForm(
        data={
            "user": person.pk,
            "role": AppointmentRole.PEJABAT,
            "decree": decree.pk,
            "starts_on": "2026-02-01",
        },
        agency=agency_a,
    )
    assert form.is_valid(), form.errors

    appointment = appointment_create(form=form, by=pejabat_a, now=NOW)

    assert appointment.agency == agency_a
    assert appointment.created_by == pejabat_a
    assert appointment.ethics_acknowledged_at is None
    assert set(User.objects.get(pk=person.pk).roles) == {Role.PEJABAT}
    [event] = events_for(appointment)
    assert (event.action, event.actor, event.agency) == ("create", pejabat_a, agency_a)
    assert event.changes["role"] == [None, "pejabat"]
    assert event.changes["starts_on"] == [None, "2026-02-01"]


def test_a_petugas_appointment_gives_the_petugas_role_only(agency_a, pejabat_a):
    decree = DecreeFactory(agency=agency_a)
    person = AsnUserFactory(username="calon_petugas", agency=agency_a)
    form = AppointmentForm(
        data={
            "user": person.pk,
            "role": AppointmentRole.PETUGAS,
            "decree": decree.pk,
            "starts_on": "2026-02-01",
        },
        agency=agency_a,
    )
    assert form.is_valid(), form.errors
    appointment_create(form=form, by=pejabat_a, now=NOW)
    assert set(User.objects.get(pk=person.pk).roles) == {Role.PETUGAS}


def test_the_appointment_form_refuses_a_person_without_a_valid_nip(agency_a):
    decree = DecreeFactory(agency=agency_a)
    person = AsnUserFactory(username="bukan_asn", agency=agency_a, nip="")
    form = AppointmentForm(
        data={
            "user": person.pk,
            "role": AppointmentRole.PETUGAS,
            "decree": decree.pk,
            "starts_on": "2026-02-01",
        },
        agency=agency_a,
    )
    assert not form.is_valid()
    assert "user" in form.errors


def test_the_appointment_form_offers_only_the_agencys_people_and_decrees(agency_a, agency_b):
    own_decree = DecreeFactory(agency=agency_a)
    other_decree = DecreeFactory(agency=agency_b)
    other_person = AsnUserFactory(username="orang_b", agency=agency_b)
    form = AppointmentForm(
        data={
            "user": other_person.pk,
            "role": AppointmentRole.PETUGAS,
            "decree": other_decree.pk,
            "starts_on": "2026-02-01",
        },
        agency=agency_a,
    )
    assert not form.is_valid()
    assert {"user", "decree"} <= set(form.errors)
    assert list(form.fields["decree"].queryset) == [own_decree]


# --- appointment_end ----------------------------------------------------------------


@pytest.fixture
def appointment(agency_a):
    return AppointmentFactory(
        decree=DecreeFactory(agency=agency_a, valid_from=dt.date(2026, 1, 2)),
        starts_on=dt.date(2026, 2, 1),
    )


def test_appointment_end_sets_the_date_and_audits(appointment, pejabat_a):
    appointment_end(appointment=appointment, by=pejabat_a, ends_on=dt.date(2026, 6, 30), now=NOW)

    appointment.refresh_from_db()
    assert appointment.ends_on == dt.date(2026, 6, 30)
    [event] = events_for(appointment)
    assert (event.action, event.actor, event.at) == ("end", pejabat_a, NOW)
    assert event.changes == {"ends_on": [None, "2026-06-30"]}


@pytest.mark.parametrize(
    "second_end",
    [dt.date(2026, 6, 10), dt.date(2026, 6, 14), dt.date(2026, 6, 20)],
    ids=["earlier", "day-before-today", "later"],
)
def test_an_appointment_that_is_over_cannot_be_ended_again(appointment, pejabat_a, second_end):
    appointment_end(appointment=appointment, by=pejabat_a, ends_on=dt.date(2026, 6, 14), now=NOW)
    with pytest.raises(RegistryError):
        appointment_end(appointment=appointment, by=pejabat_a, ends_on=second_end, now=NOW)
    appointment.refresh_from_db()
    assert appointment.ends_on == dt.date(2026, 6, 14)
    assert len(events_for(appointment)) == 1


def test_ending_twice_on_the_same_future_day_is_refused(appointment, pejabat_a):
    appointment_end(appointment=appointment, by=pejabat_a, ends_on=dt.date(2026, 7, 31), now=NOW)
    with pytest.raises(RegistryError):
        appointment_end(
            appointment=appointment, by=pejabat_a, ends_on=dt.date(2026, 7, 31), now=NOW
        )
    assert len(events_for(appointment)) == 1


def test_a_planned_end_can_be_brought_forward_while_the_appointment_runs(appointment, pejabat_a):
    appointment_end(appointment=appointment, by=pejabat_a, ends_on=dt.date(2026, 12, 31), now=NOW)
    appointment_end(appointment=appointment, by=pejabat_a, ends_on=dt.date(2026, 6, 30), now=NOW)
    appointment.refresh_from_db()
    assert appointment.ends_on == dt.date(2026, 6, 30)
    assert [event.changes["ends_on"] for event in events_for(appointment)] == [
        [None, "2026-12-31"],
        ["2026-12-31", "2026-06-30"],
    ]


def test_an_appointment_cannot_end_before_it_starts(appointment, pejabat_a):
    with pytest.raises(RegistryError):
        appointment_end(
            appointment=appointment, by=pejabat_a, ends_on=dt.date(2026, 1, 31), now=NOW
        )
    appointment.refresh_from_db()
    assert appointment.ends_on is None
    assert events_for(appointment) == []


def test_an_appointment_may_end_on_its_first_day(appointment, pejabat_a):
    appointment_end(appointment=appointment, by=pejabat_a, ends_on=dt.date(2026, 2, 1), now=NOW)
    appointment.refresh_from_db()
    assert appointment.ends_on == appointment.starts_on


# --- account_set_status ---------------------------------------------------------------


def test_account_set_status_changes_and_audits(agency_a, pejabat_a):
    account = OfficialAccountFactory(agency=agency_a)

    account_set_status(account=account, by=pejabat_a, status=AccountStatus.INACTIVE, now=NOW)

    account.refresh_from_db()
    assert account.status == AccountStatus.INACTIVE
    [event] = events_for(account)
    assert (event.action, event.actor, event.agency) == ("status", pejabat_a, agency_a)
    assert event.changes == {"status": ["active", "inactive"]}


def test_account_set_status_refuses_the_current_status(agency_a, pejabat_a):
    account = OfficialAccountFactory(agency=agency_a)
    with pytest.raises(RegistryError):
        account_set_status(account=account, by=pejabat_a, status=AccountStatus.ACTIVE, now=NOW)
    assert events_for(account) == []


def test_account_set_status_refuses_an_unknown_status(agency_a, pejabat_a):
    account = OfficialAccountFactory(agency=agency_a)
    with pytest.raises(RegistryError):
        account_set_status(account=account, by=pejabat_a, status="deleted", now=NOW)
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE


def test_account_status_walks_through_archive_and_back(agency_a, pejabat_a):
    account = OfficialAccountFactory(agency=agency_a)
    for status in (AccountStatus.ARCHIVED, AccountStatus.ACTIVE):
        account_set_status(account=account, by=pejabat_a, status=status, now=NOW)
    assert [event.changes["status"] for event in events_for(account)] == [
        ["active", "archived"],
        ["archived", "active"],
    ]


# --- ethics_acknowledge ---------------------------------------------------------------


def test_ethics_acknowledge_marks_every_pending_appointment_of_the_user_only(agency_a, agency_b):
    person = AsnUserFactory(username="asn_dua_jabatan", agency=agency_a)
    earlier = dt.datetime(2026, 1, 10, 1, 0, tzinfo=dt.UTC)
    pending = [
        AppointmentFactory(
            user=person, decree=DecreeFactory(agency=agency_a), ethics_acknowledged_at=None
        ),
        AppointmentFactory(
            user=person,
            decree=DecreeFactory(agency=agency_a),
            role=AppointmentRole.PEJABAT,
            ethics_acknowledged_at=None,
        ),
    ]
    done = AppointmentFactory(
        user=person, decree=DecreeFactory(agency=agency_a), ethics_acknowledged_at=earlier
    )
    someone_else = AppointmentFactory(
        decree=DecreeFactory(agency=agency_b), ethics_acknowledged_at=None
    )

    assert ethics_acknowledge(user=person, now=NOW) == 2

    for appointment in pending:
        appointment.refresh_from_db()
        assert appointment.ethics_acknowledged_at == NOW
        [event] = events_for(appointment)
        assert (event.action, event.actor, event.at) == ("ethics_acknowledged", person, NOW)
    done.refresh_from_db()
    assert done.ethics_acknowledged_at == earlier
    assert events_for(done) == []
    someone_else.refresh_from_db()
    assert someone_else.ethics_acknowledged_at is None


def test_ethics_acknowledge_twice_changes_nothing_the_second_time(agency_a):
    appointment = AppointmentFactory(
        decree=DecreeFactory(agency=agency_a), ethics_acknowledged_at=None
    )
    assert ethics_acknowledge(user=appointment.user, now=NOW) == 1
    later = NOW + dt.timedelta(hours=1)
    assert ethics_acknowledge(user=appointment.user, now=later) == 0
    appointment.refresh_from_db()
    assert appointment.ethics_acknowledged_at == NOW
    assert len(events_for(appointment)) == 1


# --- Validity on the boundaries -----------------------------------------------------

FIRST, LAST = dt.date(2026, 1, 2), dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("day", "valid"),
    [
        (FIRST - dt.timedelta(days=1), False),
        (FIRST, True),
        (LAST, True),
        (LAST + dt.timedelta(days=1), False),
    ],
    ids=["day-before", "first-day", "last-day", "day-after"],
)
def test_decree_validity_on_its_boundaries(agency_a, day, valid):
    decree = DecreeFactory(agency=agency_a, valid_from=FIRST, valid_until=LAST)
    assert decree.is_valid_on(day) is valid
    assert Decree.objects.valid_on(day).filter(pk=decree.pk).exists() is valid


def test_a_decree_without_end_is_valid_from_its_first_day_on(agency_a):
    decree = DecreeFactory(agency=agency_a, valid_from=FIRST, valid_until=None)
    assert not decree.is_valid_on(FIRST - dt.timedelta(days=1))
    for day in (FIRST, dt.date(2040, 1, 1)):
        assert decree.is_valid_on(day)
        assert list(Decree.objects.valid_on(day)) == [decree]


@pytest.mark.parametrize(
    ("day", "active"),
    [
        (dt.date(2026, 1, 31), False),  # the decree is valid, the appointment not yet
        (dt.date(2026, 2, 1), True),  # first day
        (dt.date(2026, 3, 31), True),  # last day
        (dt.date(2026, 4, 1), False),  # day after
    ],
)
def test_appointment_activity_on_its_own_boundaries(agency_a, day, active):
    appointment = AppointmentFactory(
        decree=DecreeFactory(agency=agency_a, valid_from=FIRST, valid_until=LAST),
        starts_on=dt.date(2026, 2, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    assert appointment.is_active_on(day) is active
    assert Appointment.objects.active_on(day).filter(pk=appointment.pk).exists() is active


@pytest.mark.parametrize(
    ("day", "active"),
    [(LAST, True), (LAST + dt.timedelta(days=1), False), (dt.date(2027, 1, 1), False)],
    ids=["decree-last-day", "decree-day-after", "much-later"],
)
def test_an_open_ended_appointment_ends_with_its_decree(agency_a, day, active):
    appointment = AppointmentFactory(
        decree=DecreeFactory(agency=agency_a, valid_from=FIRST, valid_until=LAST),
        starts_on=FIRST,
        ends_on=None,
    )
    assert appointment.is_active_on(day) is active
    assert Appointment.objects.active_on(day).filter(pk=appointment.pk).exists() is active


def test_an_appointment_is_not_active_before_its_decree_starts(agency_a):
    # Dates the form refuses, but rows can still hold them (imports, the admin).
    appointment = AppointmentFactory(
        decree=DecreeFactory(agency=agency_a, valid_from=dt.date(2026, 3, 1), valid_until=None),
        starts_on=dt.date(2026, 2, 1),
    )
    day = dt.date(2026, 2, 15)
    assert appointment.is_active_on(day) is False
    assert not Appointment.objects.active_on(day).exists()


# --- Rules the database enforces --------------------------------------------------


def test_a_decree_cannot_end_before_it_starts(agency_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        DecreeFactory(
            agency=agency_a, valid_from=dt.date(2026, 6, 1), valid_until=dt.date(2026, 5, 31)
        )


def test_a_decree_may_last_one_day(agency_a):
    DecreeFactory(agency=agency_a, valid_from=dt.date(2026, 6, 1), valid_until=dt.date(2026, 6, 1))


def test_a_decree_number_is_unique_within_its_agency_only(agency_a, agency_b):
    DecreeFactory(agency=agency_a, number="800/001/SK/2026")
    with pytest.raises(IntegrityError), transaction.atomic():
        DecreeFactory(agency=agency_a, number="800/001/SK/2026")
    DecreeFactory(agency=agency_b, number="800/001/SK/2026")
    assert Decree.objects.filter(number="800/001/SK/2026").count() == 2


def test_the_decree_form_catches_a_duplicate_number_in_another_case(agency_a):
    DecreeFactory(agency=agency_a, number="800/001/DINKES/2026")
    form = DecreeForm(
        data={
            "number": "800/001/dinkes/2026",
            "title": "SK",
            "signed_on": "2026-01-02",
            "valid_from": "2026-01-02",
        },
        files={"document": upload(pdf_bytes())},
        agency=agency_a,
    )
    assert not form.is_valid()
    assert "number" in form.errors


def test_an_appointment_cannot_end_before_it_starts_in_the_database(agency_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(
            decree=DecreeFactory(agency=agency_a),
            starts_on=dt.date(2026, 3, 1),
            ends_on=dt.date(2026, 2, 28),
        )


def test_an_account_handle_is_unique_per_platform_whatever_its_case(agency_a, agency_b):
    OfficialAccountFactory(agency=agency_a, platform=Platform.INSTAGRAM, handle="@dinkes.katingan")
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficialAccountFactory(
            agency=agency_b, platform=Platform.INSTAGRAM, handle="@Dinkes.Katingan"
        )
    OfficialAccountFactory(agency=agency_a, platform=Platform.FACEBOOK, handle="@dinkes.katingan")
    assert OfficialAccount.objects.filter(handle__iexact="@dinkes.katingan").count() == 2


def test_the_account_form_treats_a_handle_with_and_without_at_sign_as_the_same(agency_a):
    OfficialAccountFactory(agency=agency_a, platform=Platform.INSTAGRAM, handle="@dinkes.katingan")
    form = OfficialAccountForm(
        data={
            "account_type": "media_sharing",
            "platform": "instagram",
            "handle": "Dinkes.Katingan",
            "url": "https://www.instagram.com/dinkes.katingan/",
        },
        agency=agency_a,
    )
    assert not form.is_valid()
    assert "handle" in form.errors


def test_only_one_agency_can_be_the_dinas(dinas):
    AgencyFactory(slug="setda", name="Sekretariat Daerah", is_dinas=False)
    AgencyFactory(slug="disdik", name="Dinas Pendidikan", is_dinas=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyFactory(slug="dinas-kedua", name="Dinas Kedua", is_dinas=True)
    assert list(Agency.objects.filter(is_dinas=True)) == [dinas]


def test_role_groups_exist_for_both_appointment_roles():
    # appointment_create relies on them (created by a data migration).
    assert set(Group.objects.values_list("name", flat=True)) >= {Role.PETUGAS, Role.PEJABAT}
