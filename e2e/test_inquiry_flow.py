"""Lampiran B in the browser: record, forward to the agency with authority, its reply
within 24 hours, the answer to the public, closing; the public tracking page; the
record form by keyboard alone; and two officers acting on the same inquiry at once.

Every officer has their own browser context (own cookies), as on their own computer.
Statuses and steps are read from ``data-status``/``data-event``/``data-countdown``
attributes, not from wording that the translators are still completing.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.roles import Role
from accounts.tests.factories import PASSWORD, OfficialAccountFactory, UserFactory
from inquiries.models import Forwarding, Inquiry

from .conftest import DESKTOP, PHONE, screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AUTHOR = "Budi Santoso Uji"
CONTACT = "081234567789"
TEXT = (
    "Selamat pagi, e-KTP saya hilang waktu banjir di Kasongan. "
    "Bagaimana cara membuat e-KTP pengganti dan apa saja syaratnya?"
)
REPLY = (
    "Datang ke kantor Disdukcapil dengan Kartu Keluarga dan surat keterangan hilang "
    "dari kepolisian; e-KTP pengganti dicetak di tempat tanpa biaya."
)
ANSWER = (
    "Terima kasih. Menurut Disdukcapil: bawa Kartu Keluarga dan surat keterangan hilang "
    "dari kepolisian ke kantor Disdukcapil; e-KTP pengganti dicetak tanpa biaya."
)
# A redirect keeps the fragment of the page it came from (``#main`` after the skip link).
DETAIL_URL = re.compile(r"/pertanyaan/(\d+)/(?:#\w*)?$")


def _both_widths(page: Page, name: str) -> None:
    """A full-page screenshot at desktop width, then at phone width."""
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)


def _reveal(page: Page, contact: str) -> None:
    """Reveal the author's contact from the detail page, then come back to it."""
    detail = page.url
    with page.expect_navigation():
        page.locator("form[data-reveal] button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(contact)
    page.goto(detail)


def _status(page: Page) -> str | None:
    return page.locator("main h1 + [data-status]").get_attribute("data-status")


def _submit(page: Page, action: str) -> None:
    """Send the action form whose URL ends with ``action`` and wait for the redirect."""
    with page.expect_navigation():
        page.locator(f'form[action$="/{action}/"] button[type=submit]').click()
    assert DETAIL_URL.search(page.url), page.url


def _inquiry_on(page: Page) -> Inquiry:
    match = DETAIL_URL.search(page.url)
    assert match, page.url
    return Inquiry.objects.get(pk=int(match.group(1)))


def _record(page: Page, channel_pk: int) -> Inquiry:
    page.goto("/pertanyaan/baru/")
    page.select_option("select[name=channel]", str(channel_pk))
    page.select_option("select[name=kind]", "pertanyaan")
    page.fill("input[name=author_name]", AUTHOR)
    page.fill("input[name=author_contact]", CONTACT)
    page.fill("textarea[name=text]", TEXT)
    page.fill("input[name=topics]", "e-KTP")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    return _inquiry_on(page)


def test_lampiran_b_across_two_agencies_and_public_tracking(
    new_page, agency_a, agency_b, officer_a, officer_b
):
    agency_b.authority_topics = ["e-ktp", "kartu keluarga"]
    agency_b.save(update_fields=["authority_topics"])
    channel = OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan")

    # 1. Officer A records what came in on the agency's account.
    page_a = new_page()
    sign_in(page_a, officer_a.username, PASSWORD)
    inquiry = _record(page_a, channel.pk)
    assert (inquiry.agency, inquiry.channel, inquiry.kind) == (agency_a, channel, "pertanyaan")
    assert (inquiry.author_name, inquiry.author_contact) == (AUTHOR, CONTACT)
    assert _status(page_a) == "recorded"
    expect(page_a.locator(".messages .alert-success")).to_contain_text(inquiry.tracking_code)
    # The contact is masked even for the handling officer until they reveal it (audited).
    expect(page_a.locator("[data-field=contact]")).to_contain_text("0812****789")
    expect(page_a.locator("[data-field=contact]")).not_to_contain_text(CONTACT)
    _reveal(page_a, CONTACT)

    page_a.goto("/pertanyaan/")
    row = page_a.locator(f'tr[data-inquiry="{inquiry.pk}"]')
    expect(row).to_be_visible()
    expect(row.locator("[data-status]")).to_have_attribute("data-status", "recorded")
    expect(row).to_contain_text(inquiry.tracking_code)
    _both_widths(page_a, "inquiry-inbox-received")

    # 3. Not ours: forward to Disdukcapil, which the page suggests for "e-KTP".
    with page_a.expect_navigation():
        row.get_by_role("link", name=inquiry.tracking_code).click()
    forward = page_a.locator('form[action$="/teruskan/"]')
    suggested = forward.locator("select[name=to_agency] optgroup").first
    expect(suggested.locator(f'option[value="{agency_b.pk}"]')).to_have_count(1)
    forward.locator("select[name=to_agency]").select_option(str(agency_b.pk))
    forward.locator("textarea[name=note]").fill("Mohon dijawab: penggantian e-KTP hilang.")
    _submit(page_a, "teruskan")
    assert _status(page_a) == "forwarded"
    expect(page_a.locator("[data-countdown=left]")).to_be_visible()

    # 4. Officer B sees it among the inquiries forwarded to them, with the hours left.
    page_b = new_page()
    sign_in(page_b, officer_b.username, PASSWORD)
    page_b.goto("/pertanyaan/?kotak=diteruskan")
    expect(page_b.locator('a[data-box="diteruskan"]')).to_have_attribute("aria-current", "page")
    row_b = page_b.locator(f'tr[data-inquiry="{inquiry.pk}"]')
    expect(row_b).to_be_visible()
    expect(row_b.locator("[data-status]")).to_have_attribute("data-status", "forwarded")
    expect(row_b.locator("[data-overdue]")).to_have_count(0)
    # Just forwarded: 23 hours and some minutes (24 at a minute boundary) left.
    expect(row_b.locator("[data-countdown=left]")).to_have_text(re.compile(r"\b2[34]\b"))
    _both_widths(page_b, "inquiry-inbox-forwarded")

    with page_b.expect_navigation():
        row_b.get_by_role("link", name=inquiry.tracking_code).click()
    assert _status(page_b) == "forwarded"
    # The agency with authority handles it: it may reveal the author's contact.
    _reveal(page_b, CONTACT)
    page_b.locator('form[action$="/balas/"] textarea[name=reply_text]').fill(REPLY)
    _submit(page_b, "balas")
    assert _status(page_b) == "replied"
    expect(page_b.locator('form[action$="/balas/"]')).to_have_count(0)

    # 5. Officer A answers the public from the reply, then closes the inquiry.
    page_a.reload()
    assert _status(page_a) == "replied"
    expect(page_a.locator("[data-field=reply]")).to_have_text(REPLY)
    answer = page_a.locator('form[action$="/jawab-publik/"] textarea[name=answer_text]')
    expect(answer).to_have_value(REPLY)  # prefilled with the reply, to adapt
    answer.fill(ANSWER)
    _submit(page_a, "jawab-publik")
    assert _status(page_a) == "answered"
    expect(page_a.locator("[data-field=answer]")).to_have_text(ANSWER)
    page_a.locator('form[action$="/tutup/"] textarea[name=note]').fill("Dijawab di kolom komentar.")
    _submit(page_a, "tutup")
    assert _status(page_a) == "closed"

    # The history lists every step, in order, each with who acted.
    events = page_a.locator("li[data-event]")
    expect(events).to_have_count(5)
    assert [events.nth(i).get_attribute("data-event") for i in range(5)] == [
        "record",
        "forward",
        "reply",
        "answer_public",
        "close",
    ]
    for i, user in enumerate((officer_a, officer_a, officer_b, officer_a, officer_a)):
        expect(events.nth(i)).to_contain_text(user.get_full_name())
    expect(page_a.locator("tr[data-forwarding]")).to_have_count(1)
    # No step is left; only the audited reveal of the contact remains.
    expect(page_a.locator('main form[action*="/pertanyaan/"]:not([data-reveal])')).to_have_count(0)
    _both_widths(page_a, "inquiry-detail-closed")

    inquiry.refresh_from_db()
    forwarding = Forwarding.objects.get(inquiry=inquiry)
    assert (inquiry.status, inquiry.answer_text, inquiry.due_at) == ("closed", ANSWER, None)
    assert (forwarding.to_agency, forwarding.status, forwarding.replied_on_time) == (
        agency_b,
        "replied",
        True,
    )

    # The public tracks it by code: answered and closed, nothing personal.
    public = new_page()
    public.goto(f"/lacak/{inquiry.tracking_code}/")
    expect(public.locator("[data-status]")).to_have_attribute("data-status", "closed")
    expect(public.locator("main")).to_contain_text(inquiry.tracking_code)
    expect(public.locator("main")).to_contain_text(ANSWER)
    expect(public.locator("main")).to_contain_text(agency_b.name)
    content = public.content()
    for private in (AUTHOR, "Budi", CONTACT, TEXT, "hilang waktu banjir", REPLY):
        assert private not in content, private
    for officer in (officer_a, officer_b):
        assert officer.get_full_name() not in content
    _both_widths(public, "inquiry-tracking-closed")


def _tab_to(page: Page, selector: str, limit: int = 15) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")


def test_record_form_by_keyboard_only(new_page, agency_a, officer_a):
    channel = OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan")
    page = new_page()
    sign_in(page, officer_a.username, PASSWORD)
    page.goto("/pertanyaan/baru/")

    # The skip link comes first; following it, the next Tab is the legal basis link,
    # then the first field.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.legal") == "lampiran-b"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "channel"

    page.keyboard.press("ArrowDown")  # the first account after "choose the account"
    assert page.input_value("select[name=channel]") == str(channel.pk)
    _tab_to(page, "select[name=kind]")
    assert page.input_value("select[name=kind]") == "pertanyaan"  # preselected
    _tab_to(page, "input[name=author_name]")
    page.keyboard.type(AUTHOR)
    _tab_to(page, "input[name=author_contact]")
    page.keyboard.type(CONTACT)
    _tab_to(page, "textarea[name=text]")
    page.keyboard.type(TEXT)
    # The received time is prefilled with now; Tab walks through its parts.
    _tab_to(page, "input[name=topics]")
    page.keyboard.type("e-KTP")
    _tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    inquiry = _inquiry_on(page)
    assert (inquiry.channel, inquiry.kind, inquiry.author_name) == (channel, "pertanyaan", AUTHOR)
    assert (inquiry.author_contact, inquiry.text, inquiry.topics) == (CONTACT, TEXT, ["e-ktp"])
    assert _status(page) == "recorded"


def test_forward_on_a_stale_page_shows_the_changed_message(new_page, agency_a, agency_b, officer_a):
    second = UserFactory(username="petugas_a2", agency=agency_a, roles=[Role.PETUGAS])
    channel = OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan")

    first_page = new_page()
    sign_in(first_page, officer_a.username, PASSWORD)
    inquiry = _record(first_page, channel.pk)

    # The second officer of the same agency has the inquiry open too.
    second_page = new_page()
    sign_in(second_page, second.username, PASSWORD)
    second_page.goto(f"/pertanyaan/{inquiry.pk}/")
    assert _status(second_page) == "recorded"

    first_page.locator('form[action$="/teruskan/"] select[name=to_agency]').select_option(
        str(agency_b.pk)
    )
    _submit(first_page, "teruskan")
    assert _status(first_page) == "forwarded"

    # The second officer forwards from the page loaded before that.
    second_page.locator('form[action$="/teruskan/"] select[name=to_agency]').select_option(
        str(agency_b.pk)
    )
    with second_page.expect_navigation() as navigation:
        second_page.locator('form[action$="/teruskan/"] button[type=submit]').click()
    assert navigation.value.status == 200  # the detail page after the redirect
    assert _inquiry_on(second_page) == inquiry
    refused = second_page.locator(".messages .alert-danger")
    expect(refused).to_have_count(1)
    # "… changed by <who> in the meantime …": it names the first officer.
    expect(refused).to_contain_text(officer_a.get_full_name())
    expect(second_page.locator(".messages .alert-success")).to_have_count(0)
    assert _status(second_page) == "forwarded"
    expect(second_page.locator("tr[data-forwarding]")).to_have_count(1)
    expect(second_page.locator('form[action$="/teruskan/"]')).to_have_count(0)
    screenshot(second_page, "inquiry-detail-stale-desktop")

    assert Forwarding.objects.filter(inquiry=inquiry).count() == 1
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.version) == ("forwarded", 2)
    assert list(inquiry.events.values_list("action", flat=True).order_by("at", "pk")) == [
        "record",
        "forward",
    ]
