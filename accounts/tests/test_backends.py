"""The sign-in backend loads with the user what every page reads of them."""

import pytest
from django.contrib.auth import get_user
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import PortalBackend
from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_agency_and_roles_in_two_queries(officer_a, agency_a):
    with CaptureQueriesContext(connection) as captured:
        user = PortalBackend().get_user(officer_a.pk)
        assert user.agency.short_name == agency_a.short_name
        assert user.roles == {Role.PETUGAS}
    assert len(captured) == 2


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
