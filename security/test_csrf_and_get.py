"""CSRF and safe methods.

* With CSRF checks on (as in a browser), a POST without the token is refused (403) on
  every URL of the matrix; the integration API, exempt because it takes no session,
  refuses a session-only POST anyway.
* A GET by any role changes no row of any table (sessions and sign-in bookkeeping
  excepted, see ``security.helpers.EXCLUDED_TABLES``).
"""

import pytest
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import reverse

from notifications.models import Notification

from .constants import ROLES
from .helpers import changed_tables, client_for, db_fingerprint, fetch
from .matrix import MATRIX
from .urlmap import address, named_urls

pytestmark = pytest.mark.django_db

# Exempt from Django's CSRF check by design (DRF views): they authenticate by token
# only, and a session alone is refused (403) or, without one, not authenticated (401).
TOKEN_ONLY = {"api:v1:inquiry-list", "api:v1:inquiry-detail", "api:v1:channel-list"}
# The schema and its documentation take no POST at all.
NO_POST = {"api:schema", "api:docs"}


@pytest.fixture(scope="module")
def urls():
    return named_urls()


def _csrf_refused(response) -> bool:
    return response.status_code == 403 and b"CSRF" in response.body


@pytest.mark.parametrize("role", ["anonymous", "officer_a", "administrator"])
def test_post_without_csrf_token_is_refused_everywhere(role, urls, world):
    user = None if role == "anonymous" else world.users[role]
    strict = client_for(user, enforce_csrf_checks=True)
    before = db_fingerprint()
    wrong = []
    for name in sorted(MATRIX):
        url = address(world, urls[name], query=MATRIX[name].query)
        response = fetch(strict, url, "post", data={"next": "/", "accept": "yes"})
        if name in TOKEN_ONLY:
            expected = {401} if role == "anonymous" else {403}
            ok = response.status_code in expected
        elif name in NO_POST:
            ok = response.status_code == 405
        else:
            ok = _csrf_refused(response)
        if not ok:
            wrong.append(f"POST {url} ({name}): {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert changed_tables(before, db_fingerprint()) == []


def test_admin_posts_need_the_token_too(urls, world):
    strict = client_for(world.users["administrator"], enforce_csrf_checks=True)
    for name in ("admin:accounts_agency_add", "admin:logout", "admin:password_change"):
        assert _csrf_refused(fetch(strict, reverse(name), "post", data={}))


def test_the_same_post_with_its_token_is_accepted(world):
    """The refusals above are about the token: with it, the same POST goes through."""
    strict = client_for(world.users["officer_a"], enforce_csrf_checks=True)
    page = fetch(strict, reverse("notifications:list"))
    assert page.status_code == 200
    token = strict.cookies["csrftoken"].value
    url = reverse("notifications:read", args=[world.a.notification.pk])
    response = fetch(strict, url, "post", data={"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Notification.objects.get(pk=world.a.notification.pk).read_at is not None


def test_a_token_from_another_session_is_refused(world):
    strict = client_for(world.users["officer_a"], enforce_csrf_checks=True)
    fetch(strict, reverse("notifications:list"))
    foreign = get_token(RequestFactory().get("/"))
    url = reverse("notifications:read", args=[world.a.notification.pk])
    response = fetch(strict, url, "post", data={"csrfmiddlewaretoken": foreign})
    assert _csrf_refused(response)


# Exports of inquiries: reading them is itself recorded (UU 27/2022), so a GET appends
# an audit event, and nothing else.
READ_AUDITED = {"inquiries:export", "privacy:request_export"}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_get_changes_nothing(name, urls, world, clients):
    url = address(world, urls[name], query=MATRIX[name].query)
    before = db_fingerprint()
    changed = {}
    for role in ROLES:
        fetch(clients[role], url)
        tables = changed_tables(before, db_fingerprint())
        if name in READ_AUDITED:
            tables = [table for table in tables if table != "audit_auditevent"]
        if tables:
            changed[role] = tables
            before = db_fingerprint()
    assert not changed, f"GET {url} wrote to {changed}"


def test_the_fingerprint_sees_a_write(world, clients):
    """The check above can fail: a POST that marks a notice read shows in the fingerprint."""
    before = db_fingerprint()
    url = reverse("notifications:read", args=[world.a.notification.pk])
    assert fetch(clients["officer_a"], url, "post").status_code == 302
    assert changed_tables(before, db_fingerprint()) == ["notifications_notification"]
