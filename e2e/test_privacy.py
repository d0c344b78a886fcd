"""Personal data (UU 27/2022) in the browser: the handling officer reveals a contact, an
evaluator answers a citizen's request (finds the inquiries, exports them, anonymises one,
closes the request) and searches the audit log for all of it."""

import csv
import io

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, OfficialAccountFactory
from audit.models import AuditEvent
from inquiries.models import Inquiry
from inquiries.tests.factories import InquiryFactory
from katingan_sosmed import clock
from privacy.models import SubjectRequest

from .conftest import DESKTOP, PHONE, screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AUTHOR = "@budisan_uji"
CONTACT = "081234567789"


@pytest.fixture
def inquiries(agency_a, officer_a):
    channel = OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan")
    now = clock.now()
    made = [
        InquiryFactory(
            agency=agency_a,
            channel=channel,
            author_name=AUTHOR,
            author_contact=CONTACT,
            text=f"Pertanyaan {number} dari saya, hubungi {CONTACT}.",
            received_at=now,
            recorded_at=now,
            recorded_by=officer_a,
        )
        for number in (1, 2)
    ]
    InquiryFactory(
        agency=agency_a, channel=channel, author_name="@orang_lain", recorded_by=officer_a
    )
    return made


def test_the_handling_officer_reveals_a_contact_and_it_is_audited(new_page, inquiries, officer_a):
    page = new_page(DESKTOP)
    sign_in(page, officer_a.username, PASSWORD)
    page.goto(f"/pertanyaan/{inquiries[0].pk}/")
    contact = page.locator('[data-field="contact"]')
    expect(contact).to_contain_text("0812****789")
    expect(contact).not_to_contain_text(CONTACT)
    with page.expect_navigation():
        page.locator("form[data-reveal] button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(CONTACT)
    screenshot(page, "privacy-contact-revealed")
    assert AuditEvent.objects.filter(
        action="reveal_contact", object_id=str(inquiries[0].pk), actor=officer_a
    ).exists()


def test_an_evaluator_answers_a_citizens_request_from_the_board(new_page, inquiries, evaluator):
    page = new_page(DESKTOP)
    sign_in(page, evaluator.username, PASSWORD)
    page.goto("/privasi/permintaan/")
    expect(page.locator("main")).to_contain_text("0")
    screenshot(page, "privacy-board-empty")
    page.click("main a.btn-primary")
    page.select_option("#id_kind", "erasure")
    page.fill("#id_requester_name", "Budi Santoso")
    page.fill("#id_identifier", AUTHOR)
    page.fill("#id_received_via", "Surat ke Diskominfo")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    request = SubjectRequest.objects.get()
    assert page.url.endswith(f"/privasi/permintaan/{request.pk}/")
    found = page.locator("main table tbody tr")
    expect(found).to_have_count(2)
    expect(page.locator("main")).to_contain_text(CONTACT)  # the evaluator's own work
    screenshot(page, "privacy-request-detail-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "privacy-request-detail-phone")
    page.set_viewport_size(DESKTOP)

    with page.expect_download() as download:
        page.click(f'a[href$="/permintaan/{request.pk}/ekspor.csv"]')
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) >= 3 and {row[0] for row in rows[1:]} == {i.tracking_code for i in inquiries}

    # Anonymise only the first inquiry: untick the second, confirm.
    erase = page.locator('form[action$="/anonimkan/"]')
    erase.locator(f'input[value="{inquiries[1].pk}"]').uncheck()
    with page.expect_navigation():
        erase.locator("button[type=submit]").click()
    expect(page.locator("#id_confirm")).to_be_visible()  # refused: not confirmed yet
    erase = page.locator('form[action$="/anonimkan/"]')
    erase.locator(f'input[value="{inquiries[1].pk}"]').uncheck()
    erase.locator("#id_confirm").check()
    with page.expect_navigation():
        erase.locator("button[type=submit]").click()
    assert Inquiry.objects.get(pk=inquiries[0].pk).anonymised_at is not None
    assert Inquiry.objects.get(pk=inquiries[1].pk).author_contact == CONTACT
    expect(page.locator("main table tbody tr")).to_have_count(1)

    close = page.locator('form[action$="/selesai/"]')
    close.locator("#id_resolution").fill("Data pada satu pertanyaan dianonimkan sesuai permintaan.")
    with page.expect_navigation():
        close.locator("button[type=submit]").click()
    request.refresh_from_db()
    assert request.status == "done"
    screenshot(page, "privacy-request-closed")

    page.goto("/audit/?q=" + f"%23{request.pk}")
    rows = page.locator("main table tbody tr")
    expect(rows.first).to_be_visible()
    screenshot(page, "privacy-audit-log")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"create", "export_personal_data", "anonymise", "close_done"} <= actions

    page.goto("/privasi/pemrosesan/")
    expect(page.locator("main h2")).to_have_count(6)
    screenshot(page, "privacy-processing-record")
