"""compliance_for: the one definition of an agency meeting Pasal 8 huruf c-d, 9, 11-13."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AccountStatus, AppointmentRole
from accounts.selectors import compliance_for
from accounts.tests.factories import (
    AgencyFactory,
    AppointmentFactory,
    DecreeFactory,
    OfficialAccountFactory,
    SopFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)
YESTERDAY = TODAY - dt.timedelta(days=1)


def build_compliant(agency, *, decree=None):
    """An agency with everything: a valid decree, an account, pejabat, petugas, an SOP."""
    decree = decree or DecreeFactory(
        agency=agency, valid_from=dt.date(2026, 1, 2), valid_until=None
    )
    OfficialAccountFactory(agency=agency, decree=decree)
    AppointmentFactory(decree=decree, role=AppointmentRole.PEJABAT)
    AppointmentFactory(decree=decree, role=AppointmentRole.PETUGAS)
    SopFactory(agency=agency, effective_from=dt.date(2026, 1, 10))
    return agency


def failing(compliance) -> set[str]:
    return {item.code for item in compliance.items if not item.ok}


def test_an_agency_with_everything_is_compliant():
    agency = build_compliant(AgencyFactory())

    result = compliance_for([agency.pk], day=TODAY)[agency.pk]

    assert result.ok
    assert failing(result) == set()
    assert (result.active_accounts, result.accounts_without_decree) == (1, 0)
    assert (result.active_pejabat, result.active_petugas, result.ethics_pending) == (1, 1, 0)
    assert result.sop_effective_from == dt.date(2026, 1, 10)
    assert [item.code for item in result.items] == [
        "accounts_decree",
        "pejabat",
        "petugas",
        "sop",
        "ethics",
    ]


def test_an_account_whose_decree_expired_yesterday_breaks_compliance():
    agency = AgencyFactory()
    expired = DecreeFactory(agency=agency, valid_from=dt.date(2025, 1, 2), valid_until=YESTERDAY)
    build_compliant(agency)
    OfficialAccountFactory(agency=agency, decree=expired)

    result = compliance_for([agency.pk], day=TODAY)[agency.pk]

    assert failing(result) == {"accounts_decree"}
    assert (result.active_accounts, result.accounts_without_decree) == (2, 1)
    # The same rows were compliant yesterday, the decree's last day.
    assert compliance_for([agency.pk], day=YESTERDAY)[agency.pk].ok


def test_people_appointed_by_an_expired_decree_no_longer_count():
    agency = AgencyFactory()
    expired = DecreeFactory(agency=agency, valid_from=dt.date(2025, 1, 2), valid_until=YESTERDAY)
    build_compliant(agency, decree=expired)

    result = compliance_for([agency.pk], day=TODAY)[agency.pk]

    assert failing(result) == {"accounts_decree", "pejabat", "petugas"}
    assert (result.active_pejabat, result.active_petugas) == (0, 0)


def test_an_account_without_any_decree_breaks_compliance():
    agency = build_compliant(AgencyFactory())
    OfficialAccountFactory(agency=agency, decree=None)

    result = compliance_for([agency.pk], day=TODAY)[agency.pk]

    assert failing(result) == {"accounts_decree"}


def test_inactive_and_archived_accounts_are_not_counted():
    agency = build_compliant(AgencyFactory())
    for status in (AccountStatus.INACTIVE, AccountStatus.ARCHIVED):
        OfficialAccountFactory(agency=agency, decree=None, status=status)

    result = compliance_for([agency.pk], day=TODAY)[agency.pk]

    assert result.ok
    assert result.active_accounts == 1


def test_an_agency_without_a_pejabat_is_not_compliant():
    agency = AgencyFactory()
    decree = DecreeFactory(agency=agency, valid_until=None)
    OfficialAccountFactory(agency=agency, decree=decree)
    AppointmentFactory(decree=decree, role=AppointmentRole.PETUGAS)
    # A pejabat whose appointment ended yesterday does not count.
    AppointmentFactory(decree=decree, role=AppointmentRole.PEJABAT, ends_on=YESTERDAY)
    SopFactory(agency=agency)

    result = compliance_for([agency.pk], day=TODAY)[agency.pk]

    assert failing(result) == {"pejabat"}
    assert (result.active_pejabat, result.active_petugas) == (0, 1)


def test_an_agency_with_only_a_future_sop_has_no_sop_in_force():
    agency = AgencyFactory()
    decree = DecreeFactory(agency=agency, valid_until=None)
    OfficialAccountFactory(agency=agency, decree=decree)
    AppointmentFactory(decree=decree, role=AppointmentRole.PEJABAT)
    AppointmentFactory(decree=decree, role=AppointmentRole.PETUGAS)
    SopFactory(agency=agency, effective_from=TODAY + dt.timedelta(days=1))

    result = compliance_for([agency.pk], day=TODAY)[agency.pk]

    assert failing(result) == {"sop"}
    assert result.sop_effective_from is None
    assert compliance_for([agency.pk], day=TODAY + dt.timedelta(days=1))[agency.pk].ok


def test_the_latest_sop_in_force_is_reported():
    agency = build_compliant(AgencyFactory())
    SopFactory(agency=agency, effective_from=dt.date(2026, 5, 1))
    SopFactory(agency=agency, effective_from=dt.date(2026, 7, 1))

    result = compliance_for([agency.pk], day=TODAY)[agency.pk]

    assert result.sop_effective_from == dt.date(2026, 5, 1)


def test_a_pending_ethics_acknowledgement_breaks_compliance():
    agency = build_compliant(AgencyFactory())
    decree = agency.decrees.get()
    AppointmentFactory(decree=decree, role=AppointmentRole.PETUGAS, ethics_acknowledged_at=None)
    # An ended appointment's missing acknowledgement no longer matters.
    AppointmentFactory(
        decree=decree,
        role=AppointmentRole.PETUGAS,
        ethics_acknowledged_at=None,
        ends_on=YESTERDAY,
    )

    result = compliance_for([agency.pk], day=TODAY)[agency.pk]

    assert failing(result) == {"ethics"}
    assert result.ethics_pending == 1


def test_an_agency_with_nothing_fails_everything_but_ethics():
    agency = AgencyFactory()

    result = compliance_for([agency.pk], day=TODAY)[agency.pk]

    assert failing(result) == {"accounts_decree", "pejabat", "petugas", "sop"}


def test_agencies_are_judged_separately():
    good = build_compliant(AgencyFactory())
    no_sop = AgencyFactory()
    decree = DecreeFactory(agency=no_sop, valid_until=None)
    OfficialAccountFactory(agency=no_sop, decree=decree)
    AppointmentFactory(decree=decree, role=AppointmentRole.PEJABAT)
    AppointmentFactory(decree=decree, role=AppointmentRole.PETUGAS)

    result = compliance_for([good.pk, no_sop.pk], day=TODAY)

    assert set(result) == {good.pk, no_sop.pk}
    assert result[good.pk].ok
    assert failing(result[no_sop.pk]) == {"sop"}


def test_two_appointments_of_one_person_count_once():
    agency = build_compliant(AgencyFactory())
    decree = agency.decrees.get()
    pejabat = agency.appointments.get(role=AppointmentRole.PEJABAT).user
    AppointmentFactory(decree=decree, user=pejabat, role=AppointmentRole.PEJABAT)

    result = compliance_for([agency.pk], day=TODAY)[agency.pk]

    assert result.active_pejabat == 1


def queries_for(count: int) -> int:
    ids = [build_compliant(AgencyFactory()).pk for _ in range(count)]
    with CaptureQueriesContext(connection) as captured:
        result = compliance_for(ids, day=TODAY)
        assert all(entry.ok for entry in result.values())
    return len(captured)


def test_compliance_takes_a_constant_number_of_queries():
    two, ten = queries_for(2), queries_for(10)
    assert two == ten == 3
