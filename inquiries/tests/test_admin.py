"""The inquiries admin is read-only where the flow rules, scoped to the staff user's
agency, hides the author's contact and never shows a token's hash."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.tests.factories import OfficialAccountFactory
from audit.models import AuditEvent
from inquiries import flow, tokens
from inquiries.models import Answer, Forwarding, Inquiry, InquiryEvent, IntegrationToken

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
CONTACT = "081234567789"
AUTHOR = "Siti Rahmawati"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:inquiries_{model._meta.model_name}_{view}", args=args)


def record(agency, by, text="Kapan jalan diperbaiki?"):
    inquiry, _ = flow.inquiry_record(
        agency=agency,
        channel=OfficialAccountFactory(agency=agency),
        kind="pertanyaan",
        author_name=AUTHOR,
        author_contact=CONTACT,
        text=text,
        received_at=NOW - dt.timedelta(hours=1),
        by=by,
        now=NOW,
    )
    return inquiry


@pytest.fixture
def inquiries(agency_a, agency_b, officer_a, officer_b):
    return {"a": record(agency_a, officer_a), "b": record(agency_b, officer_b)}


@pytest.fixture
def staff_a(officer_a):
    """Agency A's Petugas with staff status and every permission of the app."""
    officer_a.is_staff = True
    officer_a.save(update_fields=["is_staff"])
    officer_a.user_permissions.add(*Permission.objects.filter(content_type__app_label="inquiries"))
    return officer_a


def test_the_changelist_shows_only_the_agency_s_inquiries_without_contact(
    client, staff_a, inquiries
):
    client.force_login(staff_a)
    response = client.get(admin_url(Inquiry, "changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert inquiries["a"].tracking_code in html
    assert inquiries["b"].tracking_code not in html
    assert CONTACT not in html and AUTHOR not in html


def test_an_inquiry_forwarded_to_the_agency_is_visible(
    client, staff_a, inquiries, officer_b, agency_a
):
    flow.inquiry_forward(inquiry=inquiries["b"], to_agency=agency_a, by=officer_b, now=NOW)
    client.force_login(staff_a)
    html = client.get(admin_url(Inquiry, "changelist")).content.decode()
    assert inquiries["b"].tracking_code in html


def test_another_agency_s_inquiry_cannot_be_opened(client, staff_a, inquiries):
    client.force_login(staff_a)
    for model, pk in (
        (Inquiry, inquiries["b"].pk),
        (InquiryEvent, inquiries["b"].events.get().pk),
    ):
        response = client.get(admin_url(model, "change", pk))
        assert response.status_code == 302  # the admin's "does not exist" redirect
        assert response["Location"] == reverse("admin:index")


def test_search_finds_a_code_in_any_case(client, staff_a, inquiries):
    client.force_login(staff_a)
    code = inquiries["a"].tracking_code
    html = client.get(admin_url(Inquiry, "changelist"), {"q": code.lower()}).content.decode()
    assert code in html


def test_the_detail_is_read_only_with_masked_author(client, staff_a, inquiries):
    client.force_login(staff_a)
    inquiry = inquiries["a"]
    url = admin_url(Inquiry, "change", inquiry.pk)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "S. R." in html and "0812****789" in html
    assert CONTACT not in html and AUTHOR not in html
    assert 'name="_save"' not in html
    before = Inquiry.objects.values().get(pk=inquiry.pk)
    assert client.post(url, {"status": "closed", "agency": 999}).status_code == 403
    assert Inquiry.objects.values().get(pk=inquiry.pk) == before


@pytest.mark.parametrize("model", [Inquiry, Forwarding, InquiryEvent, IntegrationToken])
def test_nothing_is_added_or_deleted_here(client, administrator, inquiries, model, agency_a):
    client.force_login(administrator)
    assert client.get(admin_url(model, "add")).status_code == 403
    obj = {
        Inquiry: inquiries["a"],
        InquiryEvent: inquiries["a"].events.first(),
        Forwarding: None,
        IntegrationToken: tokens.token_create(agency=agency_a, name="t", by=None, now=NOW)[0],
    }[model]
    if obj is not None:
        assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
        assert model.objects.filter(pk=obj.pk).exists()


def test_the_administrator_sees_every_agency(client, administrator, inquiries):
    client.force_login(administrator)
    html = client.get(admin_url(Inquiry, "changelist")).content.decode()
    assert inquiries["a"].tracking_code in html and inquiries["b"].tracking_code in html


def test_token_hashes_are_never_shown_and_revoke_stays_in_scope(
    client, staff_a, agency_a, agency_b
):
    mine, key = tokens.token_create(agency=agency_a, name="Milik A", by=None, now=NOW)
    theirs, _ = tokens.token_create(agency=agency_b, name="Milik B", by=None, now=NOW)
    client.force_login(staff_a)
    changelist = client.get(admin_url(IntegrationToken, "changelist"))
    html = changelist.content.decode()
    assert "Milik A" in html and "Milik B" not in html
    assert mine.key_hash not in html and key not in html
    detail = client.get(admin_url(IntegrationToken, "change", mine.pk)).content.decode()
    assert mine.key_hash not in detail and "key_hash" not in detail
    response = client.post(
        admin_url(IntegrationToken, "changelist"),
        {"action": "revoke", "_selected_action": [mine.pk, theirs.pk]},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at == NOW and theirs.revoked_at is None
    assert AuditEvent.objects.filter(action="revoke", object_id=str(mine.pk)).exists()


def test_a_read_only_role_cannot_revoke_in_the_admin(client, evaluator, agency_a):
    token, _ = tokens.token_create(agency=agency_a, name="t", by=None, now=NOW)
    evaluator.is_staff = True
    evaluator.save(update_fields=["is_staff"])
    evaluator.user_permissions.add(*Permission.objects.filter(content_type__app_label="inquiries"))
    client.force_login(evaluator)
    changelist = client.get(admin_url(IntegrationToken, "changelist"))
    assert changelist.status_code == 200
    assert 'value="revoke"' not in changelist.content.decode()
    client.post(
        admin_url(IntegrationToken, "changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_library_answer_s_wording_can_be_corrected_with_an_audit_row(
    client, staff_a, agency_a, agency_b
):
    answer = Answer.objects.create(
        agency=agency_a,
        topic="KTP",
        question="Cara mengurus KTP hilang?",
        text="Datang ke Disdukcapil.",
        created_at=NOW,
    )
    other = Answer.objects.create(
        agency=agency_b, topic="KK", question="Cara ubah KK?", text="x", created_at=NOW
    )
    client.force_login(staff_a)
    url = admin_url(Answer, "change", answer.pk)
    response = client.post(
        url,
        {
            "topic": "KTP elektronik",
            "question": "Cara mengurus KTP hilang?",
            "text": "Datang ke Disdukcapil dengan surat kehilangan.",
            "agency": agency_b.pk,
            "is_approved": "on",
        },
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.topic == "KTP elektronik"
    assert answer.agency == agency_a and answer.is_approved is False
    event = AuditEvent.objects.get(action="update", object_id=str(answer.pk))
    assert set(event.changes) == {"topic", "text"}
    assert client.get(admin_url(Answer, "change", other.pk)).status_code == 302
    assert client.get(admin_url(Answer, "add")).status_code == 403
