"""The sign-in backend loads with the user what every page reads of them."""

import pytest
from django.contrib.auth import get_user
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import PortalBackend
from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_agency_and_roles_in_one_query(officer_a, agency_a):
    with CaptureQueriesContext(connection) as captured:
        user = PortalBackend().get_user(officer_a.pk)
        assert user.agency.short_name == agency_a.short_name
        assert user.roles == {Role.PETUGAS}
    assert len(captured) == 1


def test_an_inactive_or_missing_user_is_not_signed_in(officer_a):
    officer_a.is_active = False
    officer_a.save(update_fields=["is_active"])
    assert PortalBackend().get_user(officer_a.pk) is None
    assert PortalBackend().get_user(999_999) is None


def test_a_signed_in_request_uses_it(client, rf, officer_a):
    client.force_login(officer_a)
    request = rf.get("/")
    request.session = client.session
    user = get_user(request)
    assert user == officer_a
    with CaptureQueriesContext(connection) as captured:
        assert user.roles == {Role.PETUGAS} and user.agency == officer_a.agency
    assert len(captured) == 0


def test_every_role_of_a_user_with_several_groups_and_none_without(officer_a, agency_a):
    from accounts.tests.factories import UserFactory

    both = UserFactory(username="both", agency=agency_a, roles=[Role.PETUGAS, Role.PEJABAT])
    assert PortalBackend().get_user(both.pk).roles == {Role.PETUGAS, Role.PEJABAT}
    nobody = UserFactory(username="nobody", agency=agency_a, roles=[])
    assert PortalBackend().get_user(nobody.pk).roles == frozenset()
