"""Citizens' personal data on the inquiry pages (UU 27/2022): masked by default, revealed
one inquiry at a time with an audit event, exported raw only by an evaluator with a
reason, and every change of an inquiry in the audit trail."""

import csv
import io

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from inquiries.privacy import mask_contact
from inquiries.tests.factories import BASE, InquiryFactory, bring_to

pytestmark = pytest.mark.django_db

AUTHOR = "Budi Santoso"
CONTACT = "081234567789"


@pytest.fixture
def inquiry(agency_a, officer_a):
    return InquiryFactory(
        agency=agency_a,
        author_name=AUTHOR,
        author_contact=CONTACT,
        text="Hubungi saya di 0812 3456 7789 ya",
        recorded_by=officer_a,
    )


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


# --- Masking and reveal ---------------------------------------------------------------


def test_the_handling_officer_sees_the_name_and_a_masked_contact(client, officer_a, inquiry):
    client.force_login(officer_a)
    page = client.get(reverse("inquiries:detail", args=[inquiry.pk])).content.decode()
    assert AUTHOR in page
    assert CONTACT not in page
    assert mask_contact(CONTACT) in page
    assert reverse("inquiries:reveal_contact", args=[inquiry.pk]) in page
    # Opening the page reveals nothing, so it writes no reveal event.
    assert not AuditEvent.objects.filter(action="reveal_contact").exists()


def test_a_reveal_shows_the_contact_and_is_audited(client, officer_a, inquiry):
    client.force_login(officer_a)
    response = client.post(reverse("inquiries:reveal_contact", args=[inquiry.pk]))
    assert response.status_code == 200
    assert CONTACT in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.get(action="reveal_contact")
    assert (event.actor, event.object_id, event.agency_id) == (
        officer_a,
        str(inquiry.pk),
        inquiry.agency_id,
    )
    assert CONTACT not in str(event.changes) + event.note


def test_the_receiving_agency_of_a_forwarding_reveals_too(client, officer_a, officer_b, inquiry):
    bring_to("forwarded", inquiry, receiver=officer_a, holders=[(officer_b, officer_b.agency)])
    client.force_login(officer_b)
    response = client.post(reverse("inquiries:reveal_contact", args=[inquiry.pk]))
    assert CONTACT in response.content.decode()


def test_an_evaluator_sees_everything_masked_and_reveals_with_a_reason(client, evaluator, inquiry):
    client.force_login(evaluator)
    page = client.get(reverse("inquiries:detail", args=[inquiry.pk])).content.decode()
    assert AUTHOR not in page and CONTACT not in page
    # The phone number the citizen wrote into the text is masked as well.
    assert "0812 3456 7789" not in page
    assert 'name="reason"' in page

    url = reverse("inquiries:reveal_contact", args=[inquiry.pk])
    refused = client.post(url, {"reason": "  "}, follow=True)
    assert CONTACT not in refused.content.decode()
    assert "alasan" in refused.content.decode().lower()
    assert not AuditEvent.objects.filter(action="reveal_contact").exists()

    shown = client.post(url, {"reason": "Permintaan subjek data no. 7"})
    assert CONTACT in shown.content.decode() and AUTHOR in shown.content.decode()
    event = AuditEvent.objects.get(action="reveal_contact")
    assert (event.actor, event.note) == (evaluator, "Permintaan subjek data no. 7")


@pytest.mark.parametrize("name", ["pimpinan", "administrator"])
def test_other_regency_roles_cannot_reveal(client, cast, inquiry, name):
    client.force_login(cast[name])
    response = client.post(
        reverse("inquiries:reveal_contact", args=[inquiry.pk]), {"reason": "ingin tahu"}
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="reveal_contact").exists()


def test_another_agency_gets_404(client, officer_b, inquiry):
    client.force_login(officer_b)
    response = client.post(reverse("inquiries:reveal_contact", args=[inquiry.pk]))
    assert response.status_code == 404


def test_the_reveal_is_post_only(client, officer_a, inquiry):
    client.force_login(officer_a)
    assert client.get(reverse("inquiries:reveal_contact", args=[inquiry.pk])).status_code == 405


# --- Exports --------------------------------------------------------------------------


def test_an_officer_exports_their_own_agency_masked(client, officer_a, agency_b, inquiry):
    other = InquiryFactory(agency=agency_b, author_name="Siti Aminah", text="Lain instansi")
    client.force_login(officer_a)
    response = client.get(reverse("inquiries:export"))
    assert response["Content-Disposition"].startswith('attachment; filename="pertanyaan-')
    rows = _csv(response)
    codes = [row[0] for row in rows[1:]]
    assert codes == [inquiry.tracking_code]
    assert other.tracking_code not in codes
    flat = str(rows)
    assert AUTHOR not in flat and CONTACT not in flat and "0812 3456 7789" not in flat
    assert "B. S." in flat
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.changes, event.agency_id) == (
        officer_a,
        {"rows": 1},
        officer_a.agency_id,
    )


def test_the_export_follows_the_inbox_filters(client, officer_a, agency_a, inquiry):
    answered = bring_to(
        "answered_directly", InquiryFactory(agency=agency_a), receiver=officer_a, now=BASE
    )
    client.force_login(officer_a)
    rows = _csv(client.get(reverse("inquiries:export"), {"status": "answered_directly"}))
    assert [row[0] for row in rows[1:]] == [answered.tracking_code]


def test_formulas_in_cells_are_neutralised(client, officer_a, agency_a):
    InquiryFactory(agency=agency_a, text='=HYPERLINK("http://evil.example","klik")')
    client.force_login(officer_a)
    rows = _csv(client.get(reverse("inquiries:export")))
    assert rows[1][-1].startswith("'=")


def test_only_an_evaluator_exports_personal_data_and_must_say_why(client, cast, evaluator, inquiry):
    url = reverse("inquiries:export_personal")
    for name in ("officer_a", "pimpinan", "administrator"):
        client.force_login(cast[name])
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": "x"}).status_code == 403

    client.force_login(evaluator)
    form = client.get(url)
    assert form.status_code == 200
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert "alasan" in refused.content.decode().lower()
    assert not AuditEvent.objects.filter(action="export_personal_data").exists()

    response = client.post(url, {"reason": "Pemeriksaan Inspektorat 2026"})
    rows = _csv(response)
    assert rows[0][7] == "Kontak"
    assert [rows[1][6], rows[1][7]] == [AUTHOR, CONTACT]
    event = AuditEvent.objects.get(action="export_personal_data")
    assert (event.actor, event.note, event.changes) == (
        evaluator,
        "Pemeriksaan Inspektorat 2026",
        {"rows": 1},
    )


def test_an_evaluator_s_plain_export_is_masked(client, evaluator, inquiry):
    client.force_login(evaluator)
    flat = str(_csv(client.get(reverse("inquiries:export"))))
    assert inquiry.tracking_code in flat
    assert AUTHOR not in flat and CONTACT not in flat


# --- Every change of an inquiry is audited -------------------------------------------


def test_every_step_of_the_flow_writes_an_audit_event(officer_a, officer_b, agency_b, inquiry):
    bring_to("answered", inquiry, receiver=officer_a, holders=[(officer_b, agency_b)])
    events = AuditEvent.objects.filter(object_type="inquiries.inquiry", object_id=str(inquiry.pk))
    assert list(events.order_by("at", "pk").values_list("action", "actor__username")) == [
        ("inquiry_record", "petugas_a"),
        ("inquiry_forward", "petugas_a"),
        ("inquiry_reply", "petugas_b"),
        ("inquiry_answer_public", "petugas_a"),
    ]
    forward = events.get(action="inquiry_forward")
    assert forward.changes["status"] == ["recorded", "forwarded"]
    # The audit trail holds no citizen data: not the name, not the text.
    for event in events:
        assert AUTHOR not in event.object_repr + event.note + str(event.changes)
