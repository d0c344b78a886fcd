"""Integration token pages (``/pertanyaan/token-api/``) and services: who may do
what, the key shown exactly once, revocation audited and effective at once."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from audit.models import AuditEvent
from inquiries import tokens
from inquiries.models import IntegrationToken

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
LIST = reverse("tokens:list")
CREATE = reverse("tokens:create")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def pejabat_b(agency_b):
    return UserFactory(username="pejabat_b", agency=agency_b, roles=[Role.PEJABAT])


@pytest.fixture
def token_a(agency_a, pejabat_a):
    token, _key = tokens.token_create(agency=agency_a, name="Alat pemantau", by=pejabat_a, now=NOW)
    return token


def revoke_url(token) -> str:
    return reverse("tokens:revoke", args=[token.pk])


# (role, list GET, create POST, revoke GET, revoke POST) for agency A's token.
MATRIX = [
    ("anonymous", 302, 302, 302, 302),
    ("pejabat_a", 200, 200, 200, 302),
    ("officer_a", 200, 403, 403, 403),
    ("pejabat_b", 200, 200, 404, 404),
    ("evaluator", 403, 403, 403, 403),
    ("pimpinan", 403, 403, 403, 403),
    ("administrator", 403, 403, 403, 403),
    ("outsider", 403, 403, 403, 403),
]


@pytest.mark.parametrize(("role", "list_get", "create", "revoke_get", "revoke_post"), MATRIX)
def test_permission_matrix(
    client, cast, pejabat_b, token_a, role, list_get, create, revoke_get, revoke_post
):
    people = {**cast, "pejabat_b": pejabat_b}
    if role != "anonymous":
        client.force_login(people[role])
    tokens_before = IntegrationToken.objects.count()
    assert client.get(LIST).status_code == list_get
    response = client.post(CREATE, {"name": "Integrasi baru"})
    assert response.status_code == create
    assert IntegrationToken.objects.count() == tokens_before + (1 if create == 200 else 0)
    assert client.get(revoke_url(token_a)).status_code == revoke_get
    assert client.post(revoke_url(token_a)).status_code == revoke_post
    token_a.refresh_from_db()
    assert (token_a.revoked_at is not None) == (revoke_post == 302 and role != "anonymous")
    if role == "anonymous":
        assert client.get(LIST)["Location"].startswith(reverse("login"))


def test_create_is_post_only(client, pejabat_a):
    client.force_login(pejabat_a)
    assert client.get(CREATE).status_code == 405
    assert IntegrationToken.objects.count() == 0


def test_writes_need_the_csrf_token(pejabat_a, token_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(pejabat_a)
    assert client.post(CREATE, {"name": "x"}).status_code == 403
    assert client.post(revoke_url(token_a)).status_code == 403
    assert IntegrationToken.objects.count() == 1
    token_a.refresh_from_db()
    assert token_a.revoked_at is None


def test_the_key_is_shown_once_then_only_its_prefix(client, pejabat_a, agency_a):
    client.force_login(pejabat_a)
    response = client.post(CREATE, {"name": "Alat social listening", "agency": 999})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = IntegrationToken.objects.get()
    assert token.agency == agency_a and token.created_by == pejabat_a
    html = response.content.decode()
    key = html.split("data-key", 1)[0].rsplit('value="', 1)[1].split('"', 1)[0]
    assert tokens.hash_key(key) == token.key_hash
    assert token.prefix == key[:8]
    listing = client.get(LIST).content.decode()
    assert "Alat social listening" in listing
    assert f"{token.prefix}…" in listing
    assert key not in listing and token.key_hash not in listing
    event = AuditEvent.objects.get(action="create", object_id=str(token.pk))
    assert event.actor == pejabat_a and event.agency_id == agency_a.pk
    assert key not in str(event.changes) + event.note + event.object_repr


def test_a_name_is_required(client, pejabat_a):
    client.force_login(pejabat_a)
    response = client.post(CREATE, {"name": "   "})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(CREATE, {"name": "x" * 101})
    assert response.status_code == 400
    assert IntegrationToken.objects.count() == 0
    assert not AuditEvent.objects.exists()


def test_revoking_asks_first_then_refuses_the_key(client, pejabat_a, agency_a):
    token, key = tokens.token_create(agency=agency_a, name="Lama", by=pejabat_a, now=NOW)
    client.force_login(pejabat_a)
    confirm = client.get(revoke_url(token))
    assert confirm.status_code == 200
    assert 'method="post"' in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client.post(revoke_url(token), follow=True)
    assert response.redirect_chain[-1][0] == LIST
    token.refresh_from_db()
    assert token.revoked_at == NOW
    assert AuditEvent.objects.filter(action="revoke", object_id=str(token.pk)).count() == 1
    api = Client(headers={"Authorization": f"Bearer {key}"})
    assert api.get(reverse("api:v1:inquiry-list")).status_code == 401
    # Revoking again changes nothing and says so.
    again = client.post(revoke_url(token), follow=True)
    assert again.status_code == 200
    assert AuditEvent.objects.filter(action="revoke", object_id=str(token.pk)).count() == 1
    assert client.get(revoke_url(token)).status_code == 302


def test_the_list_shows_only_the_agency_s_tokens(client, officer_a, agency_b, token_a):
    of_b, _ = tokens.token_create(agency=agency_b, name="Milik Disdukcapil", by=None, now=NOW)
    client.force_login(officer_a)
    html = client.get(LIST).content.decode()
    assert "Alat pemantau" in html and "Milik Disdukcapil" not in html
    # A Petugas reads the list but is offered no write.
    assert CREATE not in html and revoke_url(token_a) not in html


def test_the_list_costs_the_same_queries_for_2_and_20_tokens(client, pejabat_a, agency_a):
    client.force_login(pejabat_a)
    client.get(LIST)  # the first page of a session remembers the ethics check

    def queries(count: int) -> int:
        IntegrationToken.objects.all().delete()
        for n in range(count):
            tokens.token_create(agency=agency_a, name=f"t{n}", by=pejabat_a, now=NOW)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured.captured_queries)

    assert queries(2) == queries(20)


def test_touch_is_conditional(agency_a, token_a):
    tokens.token_touch(token=token_a, now=NOW)
    stale = IntegrationToken.objects.get(pk=token_a.pk)
    later = NOW + dt.timedelta(seconds=20)
    tokens.token_touch(token=stale, now=later)  # another process, same minute
    token_a.refresh_from_db()
    assert token_a.last_used_at == NOW


def test_revoke_service_refuses_twice(pejabat_a, token_a):
    tokens.token_revoke(token=token_a, by=pejabat_a, now=NOW)
    with pytest.raises(tokens.TokenError):
        tokens.token_revoke(token=token_a, by=pejabat_a, now=NOW)


def test_token_for_key_ignores_nonsense():
    assert tokens.token_for_key("") is None
    assert tokens.token_for_key("x" * 5000) is None
