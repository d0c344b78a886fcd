"""The one helper that decides what a user may see and change."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.access import get_for_user, scope_for, visible_agencies
from accounts.models import Agency, User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "all_agencies", "can_write"),
    [
        ("officer_a", False, True),
        ("pejabat_a", False, True),
        ("evaluator", True, False),
        ("pimpinan", True, False),
        ("administrator", True, True),
        ("outsider", False, False),
    ],
)
def test_scope_of_each_role(cast, who, all_agencies, can_write):
    scope = scope_for(cast[who])
    assert scope.all_agencies is all_agencies
    assert scope.can_write is can_write


def test_agency_roles_see_only_their_agency(cast, agency_a, agency_b, dinas):
    assert list(visible_agencies(cast["officer_a"])) == [agency_a]
    assert list(visible_agencies(cast["officer_b"])) == [agency_b]
    assert set(visible_agencies(cast["evaluator"])) == {agency_a, agency_b, dinas}
    assert list(visible_agencies(cast["outsider"])) == []


def test_officer_without_agency_sees_nothing(db):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory

    loose = UserFactory(username="tanpa_instansi", roles=[Role.PETUGAS])
    assert scope_for(loose).sees_nothing


def test_deactivated_user_sees_nothing(officer_a):
    officer_a.is_active = False
    assert scope_for(officer_a).sees_nothing


def test_other_agency_object_is_404_not_403(cast, agency_b):
    users = User.objects.all()
    with pytest.raises(Http404):
        get_for_user(users, cast["officer_a"], pk=cast["officer_b"].pk)
    # Inside the scope it is found.
    assert get_for_user(users, cast["officer_b"], pk=cast["officer_b"].pk) == cast["officer_b"]


def test_read_only_role_writing_gets_403(cast, agency_a):
    agencies = Agency.objects.all()
    for who in ("evaluator", "pimpinan"):
        assert get_for_user(agencies, cast[who], agency_lookup="pk", pk=agency_a.pk) == agency_a
        with pytest.raises(PermissionDenied):
            get_for_user(agencies, cast[who], write=True, agency_lookup="pk", pk=agency_a.pk)
    assert get_for_user(agencies, cast["officer_a"], write=True, agency_lookup="pk", pk=agency_a.pk)
    assert get_for_user(
        agencies, cast["administrator"], write=True, agency_lookup="pk", pk=agency_a.pk
    )


def test_single_dinas_is_enforced_by_the_database(dinas):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(name="Dinas Lain", short_name="Lain", slug="lain", is_dinas=True)
