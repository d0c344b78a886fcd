"""The portal as a person first meets it: sign in, Indonesian, keyboard, phone."""

import pytest

from accounts.tests.factories import PASSWORD

from .conftest import PHONE, screenshot, sign_in

# serialized_rollback, like every transactional test here: a plain flush re-creates
# content types, which breaks the next serialized_rollback test on the same worker.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sign_in_in_indonesian_on_desktop_and_phone(new_page, officer_a):
    for name, viewport in (("desktop", None), ("phone", PHONE)):
        page = new_page(viewport)
        page.goto("/masuk/")
        # The browser asks for English; the portal still speaks Indonesian.
        assert page.locator("html").get_attribute("lang") == "id"
        assert page.locator("h1").inner_text() == "Masuk ke portal"
        sign_in(page, officer_a.username, PASSWORD)
        assert page.url.endswith("/")
        assert "Selamat datang" in page.locator("h1").inner_text()
        screenshot(page, f"home-{name}")


def test_first_tab_reaches_the_skip_link(new_page):
    page = new_page()
    page.goto("/masuk/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == (
        "Langsung ke konten utama"
    )


def test_language_switch_to_english_and_back(new_page, officer_a):
    page = new_page()
    sign_in(page, officer_a.username, PASSWORD)
    page.select_option("#language-select", "en")
    page.click("footer button[type=submit]")
    assert page.locator("html").get_attribute("lang") == "en"
    page.select_option("#language-select", "id")
    page.click("footer button[type=submit]")
    assert page.locator("html").get_attribute("lang") == "id"
