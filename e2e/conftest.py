"""Browser tests: Playwright drives Debian's headless chromium against a live server.

Never a downloaded browser, and never a skip: when chromium is missing the tests
fail, because a browser suite that silently does not run proves nothing.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, sync_playwright

from accounts import twofactor
from accounts.models import User

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTEFACTS = Path(__file__).resolve().parent.parent / "var" / "e2e"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to
# run inside one unless told that this (test) process accepts it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"chromium not found at {CHROMIUM}: install Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class PageProblems(list):
    """Console errors, page errors and CSP violations seen while a test ran."""


def page_opener(browser: Browser, base_url: str, **context_options):
    """Yield a function that opens pages at a viewport, each in its own context (with
    ``context_options``); afterwards fail the test on any console error, page error
    or CSP violation seen."""
    opened: list[tuple[Page, PageProblems]] = []

    def open_page(viewport: dict | None = None) -> Page:
        context = browser.new_context(
            viewport=viewport or DESKTOP, base_url=base_url, locale="en-US", **context_options
        )
        page = context.new_page()
        problems = PageProblems()
        page.on(
            "console",
            lambda message: problems.append(message.text) if message.type == "error" else None,
        )
        page.on("pageerror", lambda error: problems.append(str(error)))
        opened.append((page, problems))
        return page

    yield open_page
    for page, problems in opened:
        page.context.close()
        # A refused request shows as a console error; tests that expect a 403/404
        # clear the list themselves.
        assert not problems, problems


@pytest.fixture
def new_page(browser, live_server):
    """Open pages at a viewport; fail the test on any console error or CSP violation."""
    yield from page_opener(browser, live_server.url)


def screenshot(page: Page, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Page, username: str, password: str) -> None:
    """Sign in through /masuk/ as a person would.

    Evaluators and administrators also give the TOTP code of the second step: a
    confirmed device is made for them in the test database if they have none, and the
    current code is computed from it. The device forgets its last used step and wrong
    codes first, so one test may sign the same user in twice within 30 seconds.
    """
    user = User.objects.filter(username=username).first()
    device = None
    if user is not None and twofactor.second_factor_required(user):
        device = twofactor.confirmed_device(user) or TOTPDevice.objects.create(
            user=user, name="e2e", confirmed=True
        )
        TOTPDevice.objects.filter(pk=device.pk).update(
            last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
        )
    page.goto("/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.wait_for_load_state()
    if device is not None and urlsplit(page.url).path == reverse("login_code"):
        device.refresh_from_db()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        page.fill("#id_otp_token", f"{totp.token():06d}")
        with page.expect_navigation():
            page.click("main button[type=submit]")
        page.wait_for_load_state()
