"""The integration API (``/api/v1/``): tokens, agency isolation, idempotency,
validation, query counts, throttling and the OpenAPI schema and docs page."""

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from accounts.models import AccountStatus
from accounts.tests.factories import AgencyFactory, OfficialAccountFactory
from audit.models import AuditEvent
from inquiries import flow, tokens
from inquiries.models import Inquiry, InquiryEvent, InquiryStatus, IntegrationToken

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
LIST = reverse("api:v1:inquiry-list")
CHANNELS = reverse("api:v1:channel-list")


def detail_url(code: str) -> str:
    return reverse("api:v1:inquiry-detail", args=[code])


@pytest.fixture(autouse=True)
def _isolated(settings):
    """A clock standing still, and a cache of this test's own for the throttles."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"api-{uuid.uuid4()}",
        }
    }
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def channel_a(agency_a):
    return OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan")


@pytest.fixture
def channel_b(agency_b):
    return OfficialAccountFactory(agency=agency_b, handle="@disdukcapil.katingan")


@pytest.fixture
def key_a(agency_a, pejabat_a):
    _token, key = tokens.token_create(
        agency=agency_a, name="Alat social listening", by=pejabat_a, now=NOW
    )
    return key


@pytest.fixture
def key_b(agency_b):
    _token, key = tokens.token_create(agency=agency_b, name="Integrasi B", by=None, now=NOW)
    return key


def client_for(key: str | None, keyword: str = "Bearer") -> APIClient:
    client = APIClient()
    if key is not None:
        client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


def record(agency, channel, *, received_at=NOW - dt.timedelta(hours=1), text="Kapan?"):
    inquiry, _created = flow.inquiry_record(
        agency=agency,
        channel=channel,
        kind="pertanyaan",
        author_name="Budi Santoso",
        author_contact="081234567789",
        text=text,
        received_at=received_at,
        by=None,
        now=NOW,
    )
    return inquiry


def payload(account, **overrides) -> dict:
    data = {
        "channel": account.pk,
        "kind": "pertanyaan",
        "author_name": "@warga_katingan",
        "author_contact": "081234567789",
        "text": "Bagaimana cara mendaftar vaksinasi anak?",
        "source_url": "https://www.instagram.com/p/abc123/",
        "received_at": (NOW - dt.timedelta(minutes=30)).isoformat(),
        "topics": ["kesehatan"],
    }
    data.update(overrides)
    return data


def post(client: APIClient, data: dict, key: str | None = "kunci-1"):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(LIST, data, format="json", headers=headers)


def counts() -> tuple[int, int]:
    return Inquiry.objects.count(), InquiryEvent.objects.count()


# --- Authentication -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", LIST), ("post", LIST), ("get", CHANNELS), ("get", detail_url("ABCDEFGH"))],
)
def test_no_token_is_401_with_a_bearer_challenge(method, url):
    response = getattr(APIClient(), method)(url, {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer kunci-yang-salah", "Bearer a b", "Token ", "Bearer " + "x" * 500],
)
def test_a_bad_authorization_header_is_401(header, key_a):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get(LIST).status_code == 401


def test_a_revoked_token_is_401(agency_a, pejabat_a, key_a):
    assert client_for(key_a).get(LIST).status_code == 200
    token = IntegrationToken.objects.get(agency=agency_a)
    tokens.token_revoke(token=token, by=pejabat_a, now=NOW)
    response = client_for(key_a).get(LIST)
    assert response.status_code == 401
    assert post(client_for(key_a), {}).status_code == 401


def test_a_token_of_an_inactive_agency_is_401(agency_a, key_a):
    agency_a.is_active = False
    agency_a.save(update_fields=["is_active"])
    assert client_for(key_a).get(LIST).status_code == 401


def test_token_keyword_is_accepted_too(key_a):
    assert client_for(key_a, keyword="Token").get(LIST).status_code == 200
    assert client_for(key_a, keyword="bearer").get(LIST).status_code == 200


@pytest.mark.parametrize("user", ["officer_a", "pejabat_a", "administrator"])
def test_a_portal_session_is_403(user, cast, channel_a):
    client = APIClient()
    client.force_login(cast[user])
    assert client.get(LIST).status_code == 403
    assert client.get(CHANNELS).status_code == 403
    before = counts()
    assert post(client, payload(channel_a)).status_code == 403
    assert counts() == before


def test_last_used_is_written_at_most_once_a_minute(agency_a, key_a):
    token = IntegrationToken.objects.get(agency=agency_a)
    assert token.last_used_at is None
    client_for(key_a).get(LIST)
    token.refresh_from_db()
    assert token.last_used_at == NOW
    with time_machine.travel(NOW + dt.timedelta(seconds=30), tick=False):
        client_for(key_a).get(LIST)
    token.refresh_from_db()
    assert token.last_used_at == NOW
    later = NOW + dt.timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        client_for(key_a).get(LIST)
    token.refresh_from_db()
    assert token.last_used_at == later


def test_only_the_hash_of_the_key_is_stored(agency_a, key_a):
    token = IntegrationToken.objects.get(agency=agency_a)
    assert token.key_hash == tokens.hash_key(key_a) != key_a
    assert token.prefix == key_a[:8]
    assert len(key_a) >= 43


# --- One agency only --------------------------------------------------------------------


def test_the_list_holds_only_the_agency_s_inquiries_newest_first(
    agency_a, agency_b, channel_a, channel_b, key_a
):
    older = record(agency_a, channel_a, received_at=NOW - dt.timedelta(hours=5))
    newer = record(agency_a, channel_a, received_at=NOW - dt.timedelta(hours=1))
    record(agency_b, channel_b)
    response = client_for(key_a).get(LIST)
    assert response.status_code == 200
    codes = [row["tracking_code"] for row in response.json()["results"]]
    assert codes == [newer.tracking_code, older.tracking_code]
    assert "author_contact" not in response.json()["results"][0]


def test_another_agency_s_inquiry_is_404_even_when_forwarded_to_it(
    agency_a, agency_b, channel_a, channel_b, key_a, key_b, officer_a
):
    of_b = record(agency_b, channel_b)
    assert client_for(key_a).get(detail_url(of_b.tracking_code)).status_code == 404
    # Forwarded A -> B: B's integration reads only what B received (list and detail agree).
    of_a = record(agency_a, channel_a)
    flow.inquiry_forward(inquiry=of_a, to_agency=agency_b, by=officer_a, now=NOW)
    assert client_for(key_b).get(detail_url(of_a.tracking_code)).status_code == 404
    listed = [row["tracking_code"] for row in client_for(key_b).get(LIST).json()["results"]]
    assert listed == [of_b.tracking_code]


def test_detail_shows_status_and_forwardings_and_takes_any_letter_case(
    agency_a, agency_b, channel_a, key_a, officer_a
):
    inquiry = record(agency_a, channel_a)
    flow.inquiry_forward(
        inquiry=inquiry, to_agency=agency_b, by=officer_a, now=NOW, note="Catatan internal"
    )
    response = client_for(key_a).get(detail_url(inquiry.tracking_code.lower()))
    assert response.status_code == 200
    body = response.json()
    assert body["tracking_code"] == inquiry.tracking_code
    assert body["status"] == InquiryStatus.FORWARDED
    assert body["due_at"] is not None
    [step] = body["forwardings"]
    assert step["to_agency"]["slug"] == agency_b.slug
    assert step["status"] == "open"
    # No officer names and no internal notes.
    assert officer_a.full_name not in response.content.decode()
    assert "Catatan internal" not in response.content.decode()


def test_a_token_cannot_record_on_another_agency_s_channel(channel_b, key_a):
    before = counts()
    response = post(client_for(key_a), payload(channel_b))
    assert response.status_code == 400
    assert "channel" in response.json()
    assert counts() == before


def test_channels_are_the_agency_s_active_accounts(agency_a, channel_a, channel_b, key_a):
    OfficialAccountFactory(agency=agency_a, status=AccountStatus.ARCHIVED)
    response = client_for(key_a).get(CHANNELS)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [channel_a.pk]
    assert response.json()[0]["handle"] == "@dinkes.katingan"


# --- Creating -----------------------------------------------------------------------------


def test_post_records_an_inquiry_for_the_token_s_agency(agency_a, channel_a, key_a):
    response = post(client_for(key_a), payload(channel_a))
    assert response.status_code == 201, response.json()
    body = response.json()
    inquiry = Inquiry.objects.get(tracking_code=body["tracking_code"])
    assert inquiry.agency == agency_a
    assert inquiry.recorded_by is None and inquiry.recorded_at == NOW
    assert inquiry.status == InquiryStatus.RECORDED
    assert inquiry.author_contact == "081234567789"
    assert "author_contact" not in body
    assert response["Location"] == detail_url(inquiry.tracking_code)
    event = inquiry.events.get()
    assert event.action == "record" and event.actor is None
    assert "Alat social listening" in event.note


def test_repeating_an_idempotency_key_returns_the_first_inquiry(channel_a, key_a):
    client = client_for(key_a)
    first = post(client, payload(channel_a), key="9b2f6c1e-0d4a-4f7e-9a51-3c2d1e0f7a88")
    before = counts()
    again = post(client, payload(channel_a), key="9b2f6c1e-0d4a-4f7e-9a51-3c2d1e0f7a88")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    assert again["Idempotent-Replayed"] == "true"
    assert counts() == before
    # Another key is another inquiry.
    assert post(client, payload(channel_a), key="kunci-lain").status_code == 201


def test_idempotency_keys_are_per_agency(channel_a, channel_b, key_a, key_b):
    first = post(client_for(key_a), payload(channel_a), key="sama")
    second = post(client_for(key_b), payload(channel_b), key="sama")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["tracking_code"] != second.json()["tracking_code"]


def test_a_racing_duplicate_is_caught_by_the_unique_constraint(
    monkeypatch, agency_a, channel_a, key_a
):
    """The other request commits between our look-up and our insert: the insert
    hits the unique constraint and the winner's inquiry comes back, with 200."""
    winner, _ = flow.inquiry_record(
        agency=agency_a,
        channel=channel_a,
        kind="pertanyaan",
        author_name="x",
        text="y",
        received_at=NOW,
        by=None,
        now=NOW,
        idempotency_key="balapan",
    )
    real_filter = Inquiry.objects.filter
    blind = {"left": 2}  # the view's look-up and inquiry_record's own

    def racing_filter(*args, **kwargs):
        queryset = real_filter(*args, **kwargs)
        if "idempotency_key" in kwargs and blind["left"]:
            blind["left"] -= 1
            return queryset.none()
        return queryset

    monkeypatch.setattr(Inquiry.objects, "filter", racing_filter)
    before = counts()
    response = post(client_for(key_a), payload(channel_a), key="balapan")
    assert blind["left"] == 0
    assert response.status_code == 200
    assert response.json()["tracking_code"] == winner.tracking_code
    assert counts() == before


@pytest.mark.parametrize("key", [None, "", "x" * 81, "dengan spasi", "kunci\u00e9"])
def test_post_needs_a_valid_idempotency_key(key, channel_a, key_a):
    before = counts()
    response = post(client_for(key_a), payload(channel_a), key=key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        (
            {"channel": "abc", "received_at": 123, "topics": "kesehatan", "kind": "x"},
            {"channel", "received_at", "topics", "kind"},
        ),
        ({"channel": True}, {"channel"}),
        ({"channel": 999_999}, {"channel"}),
        ({"text": ""}, {"text"}),
        ({"text": "   \n\t "}, {"text"}),
        ({"text": "a\x00b"}, {"text"}),
        ({"text": "x" * 10_001}, {"text"}),
        ({"author_name": None}, {"author_name"}),
        ({"received_at": (NOW + dt.timedelta(days=1)).isoformat()}, {"received_at"}),
        ({"received_at": "kemarin"}, {"received_at"}),
        ({"source_url": "javascript:alert(1)"}, {"source_url"}),
        ({"topics": ["a"] * 11}, {"topics"}),
        ({"topics": [{"x": 1}]}, {"topics"}),
    ],
)
def test_invalid_input_is_400_with_field_errors_and_writes_nothing(
    overrides, fields, channel_a, key_a
):
    before = counts()
    response = post(client_for(key_a), payload(channel_a, **overrides))
    assert response.status_code == 400
    assert fields <= set(response.json())
    assert counts() == before


def test_missing_fields_and_a_non_object_body_are_400(key_a):
    client = client_for(key_a)
    response = post(client, {})
    assert response.status_code == 400
    assert {"channel", "kind", "author_name", "text", "received_at"} <= set(response.json())
    assert post(client, ["not", "an", "object"], key="k2").status_code == 400
    raw = client.post(
        LIST, "{broken", content_type="application/json", headers={"Idempotency-Key": "k3"}
    )
    assert raw.status_code == 400
    form = client.post(LIST, {"text": "x"}, headers={"Idempotency-Key": "k4"})
    assert form.status_code == 415
    assert Inquiry.objects.count() == 0


def test_a_3_mb_body_is_refused_and_writes_nothing(channel_a, key_a):
    response = post(client_for(key_a), payload(channel_a, text="a" * 3_000_000))
    assert response.status_code in (400, 413)
    assert counts() == (0, 0)


def test_an_archived_channel_is_refused(agency_a, key_a):
    archived = OfficialAccountFactory(agency=agency_a, status=AccountStatus.ARCHIVED)
    response = post(client_for(key_a), payload(archived))
    assert response.status_code == 400 and "channel" in response.json()


def test_read_only_fields_sent_are_ignored(agency_a, agency_b, channel_a, key_a):
    response = post(
        client_for(key_a),
        payload(
            channel_a,
            status=InquiryStatus.CLOSED,
            agency=agency_b.pk,
            due_at=NOW.isoformat(),
            tracking_code="AAAAAAAA",
            recorded_by=1,
            answer_text="sudah dijawab",
            is_staff=True,
        ),
    )
    assert response.status_code == 201
    inquiry = Inquiry.objects.get()
    assert inquiry.agency == agency_a
    assert inquiry.status == InquiryStatus.RECORDED
    assert inquiry.due_at is None and inquiry.answer_text == ""
    assert inquiry.tracking_code != "AAAAAAAA"


def test_a_small_clock_skew_is_tolerated(channel_a, key_a):
    ahead = (NOW + dt.timedelta(minutes=2)).isoformat()
    assert post(client_for(key_a), payload(channel_a, received_at=ahead)).status_code == 201


# --- Listing ------------------------------------------------------------------------------


def test_the_list_filters_by_status_and_since(agency_a, channel_a, key_a, officer_a, agency_b):
    old = record(agency_a, channel_a, received_at=NOW - dt.timedelta(days=3))
    new = record(agency_a, channel_a, received_at=NOW - dt.timedelta(hours=2))
    flow.inquiry_forward(inquiry=old, to_agency=agency_b, by=officer_a, now=NOW)
    client = client_for(key_a)

    def codes(params):
        response = client.get(LIST, params)
        assert response.status_code == 200
        return [row["tracking_code"] for row in response.json()["results"]]

    assert codes({"status": "forwarded"}) == [old.tracking_code]
    assert codes({"status": "recorded"}) == [new.tracking_code]
    since = (NOW - dt.timedelta(days=1)).isoformat()
    assert codes({"since": since}) == [new.tracking_code]
    assert client.get(LIST, {"status": "hilang"}).status_code == 400
    assert client.get(LIST, {"since": "kemarin"}).status_code == 400
    # A relation lookup as a parameter is not a filter.
    assert len(codes({"agency__users__email": "x", "ordering": "author_contact"})) == 2


def test_the_list_pages_with_a_cursor(agency_a, channel_a, key_a):
    made = [
        record(agency_a, channel_a, received_at=NOW - dt.timedelta(minutes=minutes))
        for minutes in (1, 2, 3)
    ]
    client = client_for(key_a)
    first = client.get(LIST, {"page_size": 2}).json()
    assert [row["tracking_code"] for row in first["results"]] == [
        made[0].tracking_code,
        made[1].tracking_code,
    ]
    second = client.get(first["next"]).json()
    assert [row["tracking_code"] for row in second["results"]] == [made[2].tracking_code]
    assert second["next"] is None


def test_the_list_costs_the_same_number_of_queries_for_5_and_50_rows(
    agency_a, agency_b, channel_a, key_a, officer_a
):
    client = client_for(key_a)
    client.get(LIST)  # the first use writes last_used_at once

    def queries_for(rows: int) -> int:
        Inquiry.objects.all().delete()
        for n in range(rows):
            inquiry = record(agency_a, channel_a, received_at=NOW - dt.timedelta(minutes=n))
            if n % 2:
                flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_a, now=NOW)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST)
        assert len(response.json()["results"]) == rows
        return len(captured.captured_queries)

    assert queries_for(5) == queries_for(50) <= 3


# --- Throttling -----------------------------------------------------------------------------


def test_each_token_is_throttled_on_its_own(settings, key_a, key_b):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"integration": "3/min"},
    }
    client = client_for(key_a)
    assert [client.get(LIST).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "Retry-After" in client.get(LIST)
    assert client_for(key_b).get(LIST).status_code == 200
    with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
        assert client.get(LIST).status_code == 200


# --- Schema and documentation ---------------------------------------------------------------


def test_the_schema_is_valid_openapi_describing_bearer_and_idempotency():
    response = APIClient().get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    assert schema["components"]["securitySchemes"]["IntegrationToken"]["scheme"] == "bearer"
    post_op = schema["paths"]["/api/v1/inquiries/"]["post"]
    header = next(p for p in post_op["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and header["required"] is True
    create = schema["components"]["schemas"]["InquiryCreateRequest"]["properties"]
    assert not {"status", "agency", "due_at", "tracking_code"} & set(create)


def test_the_docs_page_has_no_inline_script_or_style(client, cast):
    client.force_login(cast["officer_a"])  # a signed-in user may read them too
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert len(scripts) == 3
    for attributes, body in scripts:
        assert 'src="' in attributes and body.strip() == ""
    assert "<style" not in html.lower() and " style=" not in html.lower()
    assert "cdn" not in html.lower() and "http" not in html.replace("http-equiv", "")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    # Every asset is served by us: the sidecar's files and the start-up script.
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        if src.startswith("/static/"):
            assert finders.find(src.removeprefix("/static/")), src
    script_url = re.findall(r'<script src="([^"]+\?[^"]*script[^"]*)"', html)[0]
    script = client.get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in script.content.decode()


def test_token_creation_is_audited_without_the_key(agency_a, key_a):
    event = AuditEvent.objects.get(object_type="inquiries.integrationtoken", action="create")
    token = IntegrationToken.objects.get(agency=agency_a)
    assert key_a not in f"{event.note}{event.changes}{event.object_repr}"
    assert token.key_hash not in f"{event.note}{event.changes}{event.object_repr}"


def test_tokens_of_two_agencies_never_share_a_hash(agency_a):
    made = {
        tokens.token_create(agency=agency_a, name=f"t{n}", by=None, now=NOW)[0].key_hash
        for n in range(20)
    }
    assert len(made) == 20
    other = AgencyFactory()
    assert tokens.token_create(agency=other, name="t", by=None, now=NOW)[0].key_hash not in made
