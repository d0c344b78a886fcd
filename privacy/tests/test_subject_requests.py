"""Subject requests (UU 27/2022): an evaluator records a citizen's request, finds every
inquiry of that citizen, exports them with their history, corrects or anonymises them,
and closes the request; the board shows what is due within 3×24 hours."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from inquiries.models import Inquiry, InquiryEvent
from inquiries.tests.factories import InquiryFactory, bring_to
from privacy.models import SubjectRequest, SubjectRequestStatus
from privacy.services import ANONYMOUS, inquiries_of
from reports.compile import compile_report

pytestmark = pytest.mark.django_db

WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def citizen(agency_a, agency_b, officer_a):
    """Budi's three inquiries (two handles of his, one number), and a stranger's."""
    at = NOW - dt.timedelta(days=20)

    def made(path="recorded", **fields):
        inquiry = InquiryFactory(
            agency=fields.pop("agency", agency_a),
            received_at=at - dt.timedelta(hours=2),
            recorded_at=at - dt.timedelta(hours=1),
            **fields,
        )
        return bring_to(path, inquiry, receiver=officer_a, now=at)

    return {
        "handle": made("answered_directly", author_name="@budisan", author_contact=""),
        "plain": made(author_name="budisan", author_contact="budi@contoh.id"),
        "phone": made(
            author_name="Budi S.",
            author_contact="+62 812-3456-7789",
            text='=HYPERLINK("http://jahat.example")',
        ),
        "stranger": made(author_name="@sitiaminah", author_contact="0813 1111 2222"),
    }


def record(client, **fields):
    data = {
        "kind": "access",
        "requester_name": "Budi Santoso",
        "identifier": "@budisan",
        "received_at": "2026-06-15T08:00",
        "received_via": "Surat ke Diskominfo",
        "details": "Minta salinan semua data saya.",
    } | fields
    return client.post(reverse("privacy:request_create"), data)


@pytest.fixture
def signed_in(client, evaluator):
    client.force_login(evaluator)
    return client


def test_recording_a_request_fixes_its_deadline_at_3x24_hours_from_receipt(signed_in, evaluator):
    response = record(signed_in)
    created = SubjectRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:request_detail", args=[created.pk])
    assert created.received_at == dt.datetime(2026, 6, 15, 8, 0, tzinfo=WIB)
    assert created.due_at == dt.datetime(2026, 6, 18, 8, 0, tzinfo=WIB)
    assert (created.recorded_by, created.status) == (evaluator, SubjectRequestStatus.OPEN)
    assert AuditEvent.objects.filter(
        action="create", object_type="privacy.subjectrequest", object_id=str(created.pk)
    ).exists()


def test_a_request_from_the_future_or_without_identifier_is_refused(signed_in):
    future = record(signed_in, received_at="2026-06-16T08:00")
    assert (
        future.status_code == 200
        and "future" in future.content.decode()
        or "masa depan" in (future.content.decode())
    )
    missing = record(signed_in, identifier="")
    assert missing.status_code == 200
    assert missing.context["form"].errors["identifier"]
    assert not SubjectRequest.objects.exists()


@pytest.mark.parametrize(
    ("identifier", "found"),
    [
        ("@budisan", {"handle", "plain"}),
        ("budisan", {"handle", "plain"}),
        ("BUDI@contoh.id", {"plain"}),
        ("0812 3456 7789", {"phone"}),
        ("+6281234567789", {"phone"}),
        ("081234567789", {"phone"}),
        ("0812345677", set()),
    ],
)
def test_every_inquiry_of_one_citizen_is_found_by_handle_or_contact(citizen, identifier, found):
    ids = set(inquiries_of(identifier).values_list("pk", flat=True))
    assert ids == {citizen[name].pk for name in found}


def test_the_detail_lists_the_citizens_inquiries_and_no_one_elses(signed_in, citizen):
    record(signed_in)
    page = signed_in.get(reverse("privacy:request_detail", args=[SubjectRequest.objects.get().pk]))
    shown = {inquiry.pk for inquiry in page.context["inquiries"]}
    assert shown == {citizen["handle"].pk, citizen["plain"].pk}
    body = page.content.decode()
    assert "budi@contoh.id" in body and "sitiaminah" not in body
    assert page["Cache-Control"] == "private, no-store"


def test_the_export_holds_the_data_and_history_and_is_audited(signed_in, citizen, evaluator):
    record(signed_in, identifier="0812 3456 7789")
    pk = SubjectRequest.objects.get().pk
    response = signed_in.get(reverse("privacy:request_export", args=[pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    events = InquiryEvent.objects.filter(inquiry=citizen["phone"]).count()
    assert len(body) == events >= 1
    assert {row[0] for row in body} == {citizen["phone"].tracking_code}
    assert body[0][header.index("Kontak") if "Kontak" in header else 6] == "'+62 812-3456-7789"
    # The text a spreadsheet would run as a formula is neutralised.
    assert all(row[8].startswith("'=") for row in body)
    event = AuditEvent.objects.get(action="export_personal_data", object_id=str(pk))
    assert (event.actor, event.changes) == (evaluator, {"rows": 1})


def test_a_correction_changes_the_chosen_inquiries_and_audits_fields_not_values(signed_in, citizen):
    record(signed_in, kind="correction")
    pk = SubjectRequest.objects.get().pk
    response = signed_in.post(
        reverse("privacy:request_correct", args=[pk]),
        {
            "inquiries": [citizen["plain"].pk],
            "author_name": "Budi Santoso",
            "author_contact": "budi.santoso@contoh.id",
        },
    )
    assert response.status_code == 302
    plain, handle = (
        Inquiry.objects.get(pk=citizen["plain"].pk),
        Inquiry.objects.get(pk=citizen["handle"].pk),
    )
    assert (plain.author_name, plain.author_contact) == ("Budi Santoso", "budi.santoso@contoh.id")
    assert handle.author_name == "@budisan"
    event = AuditEvent.objects.get(action="correct_personal_data")
    assert event.object_id == str(plain.pk)
    assert event.changes == {"fields": ["author_name", "author_contact"]}
    assert "budi" not in str(event.changes).lower() + event.note.lower()


def test_a_correction_cannot_reach_another_citizens_inquiry(signed_in, citizen):
    record(signed_in, kind="correction")
    pk = SubjectRequest.objects.get().pk
    page = signed_in.post(
        reverse("privacy:request_correct", args=[pk]),
        {"inquiries": [citizen["stranger"].pk], "author_name": "Siapa Saja"},
    )
    assert page.status_code == 200
    assert page.context["correction_form"].errors["inquiries"]
    assert Inquiry.objects.get(pk=citizen["stranger"].pk).author_name == "@sitiaminah"


def test_erasure_needs_confirmation_then_anonymises_and_keeps_the_figures(
    signed_in, citizen, agency_a
):
    record(signed_in, kind="erasure")
    pk = SubjectRequest.objects.get().pk
    chosen = [citizen["handle"].pk, citizen["plain"].pk]
    figures = compile_report(agency_a, 2026, now=NOW)

    unconfirmed = signed_in.post(reverse("privacy:request_erase", args=[pk]), {"inquiries": chosen})
    assert unconfirmed.status_code == 200
    assert unconfirmed.context["erasure_form"].errors["confirm"]
    assert Inquiry.objects.filter(pk__in=chosen, anonymised_at__isnull=True).count() == 2

    signed_in.post(
        reverse("privacy:request_erase", args=[pk]), {"inquiries": chosen, "confirm": "on"}
    )
    erased = Inquiry.objects.filter(pk__in=chosen)
    assert {(i.author_name, i.author_contact) for i in erased} == {(ANONYMOUS, "")}
    assert Inquiry.objects.get(pk=citizen["phone"].pk).author_contact == "+62 812-3456-7789"
    assert compile_report(agency_a, 2026, now=NOW) == figures
    assert AuditEvent.objects.filter(action="anonymise").count() == 2
    # Found no more: the citizen's data is gone.
    assert not inquiries_of("@budisan").exists()


def test_closing_needs_an_answer_and_happens_once(signed_in, evaluator):
    record(signed_in)
    pk = SubjectRequest.objects.get().pk
    url = reverse("privacy:request_close", args=[pk])
    empty = signed_in.post(url, {"status": "done", "resolution": ""})
    assert empty.context["close_form"].errors["resolution"]

    signed_in.post(url, {"status": "done", "resolution": "Salinan dikirim lewat surel."})
    closed = SubjectRequest.objects.get()
    assert (closed.status, closed.resolved_by, closed.resolved_at) == ("done", evaluator, NOW)
    again = signed_in.post(url, {"status": "refused", "resolution": "Lagi"}, follow=True)
    assert SubjectRequest.objects.get().status == "done"
    assert "correction_form" not in again.context and "close_form" not in again.context


def test_the_board_counts_what_is_overdue_and_due_soon(signed_in, time_machine, evaluator):
    record(signed_in, received_at="2026-06-12T08:00")  # due 15 June 08:00: overdue
    record(signed_in, received_at="2026-06-13T08:30")  # due 16 June 08:30: within 24 hours
    record(signed_in, received_at="2026-06-15T08:00", requester_name="Siti Aminah")
    board = signed_in.get(reverse("privacy:request_list"))
    assert board.context["counts"] == {"overdue": 1, "due_soon": 1, "open": 3}
    overdue = [item for item in board.context["page"] if item.overdue]
    assert [item.received_at.day for item in overdue] == [12]

    time_machine.move_to(NOW + dt.timedelta(days=2), tick=False)
    signed_in.force_login(evaluator)  # the session of two days ago has ended
    later = signed_in.get(reverse("privacy:request_list"))
    assert later.context["counts"] == {"overdue": 2, "due_soon": 1, "open": 3}

    found = signed_in.get(reverse("privacy:request_list"), {"q": "siti"})
    assert [item.requester_name for item in found.context["page"]] == ["Siti Aminah"]


def test_closed_requests_leave_the_open_board_and_show_under_their_status(signed_in):
    record(signed_in)
    pk = SubjectRequest.objects.get().pk
    signed_in.post(
        reverse("privacy:request_close", args=[pk]),
        {"status": "refused", "resolution": "Bukan data kami."},
    )
    assert signed_in.get(reverse("privacy:request_list")).context["counts"]["open"] == 0
    refused = signed_in.get(reverse("privacy:request_list"), {"status": "ditolak"})
    assert [item.pk for item in refused.context["page"]] == [pk]


@pytest.mark.parametrize("who", ["officer_a", "pejabat_a", "pimpinan", "administrator"])
def test_only_evaluators_handle_subject_requests(client, who, request, evaluator):
    SubjectRequest.objects.create(
        kind="access",
        requester_name="Budi",
        identifier="@budisan",
        received_at=NOW,
        due_at=NOW,
        recorded_at=NOW,
        recorded_by=evaluator,
    )
    client.force_login(request.getfixturevalue(who))
    pk = SubjectRequest.objects.get().pk
    for url in (
        reverse("privacy:request_list"),
        reverse("privacy:request_detail", args=[pk]),
        reverse("privacy:request_export", args=[pk]),
    ):
        assert client.get(url).status_code == 403
    assert (
        client.post(reverse("privacy:request_erase", args=[pk]), {"confirm": "on"}).status_code
        == 403
    )
