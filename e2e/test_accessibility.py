"""Accessibility in a real browser: axe-core on every main page as the role that uses
it, and the inquiry record form by keyboard alone with the focus always visible.

axe-core 4.14.1 is vendored at ``e2e/vendor/axe.min.js`` (``npm pack axe-core@4``,
MPL-2.0, its licence header kept; the licence text beside it). A run fails on any
violation of impact *serious* or *critical*; lesser ones ("moderate", "minor") are
printed for the record but do not fail.

The portal's Content-Security-Policy allows scripts from 'self' only, and
``page.add_script_tag(path=…)`` injects axe as an inline ``<script>``, which that
policy refuses (``test_the_policy_refuses_the_injected_script`` shows it). So the axe
pages are opened in a context with ``bypass_csp=True``; only there. Every other
browser test keeps the policy and fails on a CSP violation.
"""

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Error, Page, expect

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import (
    PASSWORD,
    AppointmentFactory,
    OfficialAccountFactory,
    SopFactory,
    UserFactory,
)
from inquiries import flow
from inquiries.models import Inquiry
from inquiries.tests.factories import InquiryFactory
from katingan_sosmed import clock
from privacy import services as privacy_services
from publications.tests.factories import PublishedPostFactory
from reports import services as report_services

from .conftest import DESKTOP, PHONE, page_opener, screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"  # axe-core 4.14.1
FAILING_IMPACTS = ("serious", "critical")
H = dt.timedelta(hours=1)
# A redirect keeps the fragment of the page it came from (``#main`` after the skip link).
DETAIL_URL = re.compile(r"/pertanyaan/(\d+)/(?:#\w*)?$")


# --- axe ----------------------------------------------------------------------------------


def axe_run(page: Page) -> dict:
    """Inject axe into ``page`` and run every rule axe runs by default (WCAG 2.x A and AA,
    and its best practices); return the violations and how many rules passed."""
    if page.evaluate("typeof window.axe") == "undefined":
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return {
                passes: result.passes.length,
                violations: result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                    nodes: v.nodes.map(n => ({
                        target: n.target.join(' '),
                        html: n.html.slice(0, 200),
                        summary: n.failureSummary,
                    })),
                })),
            };
        }"""
    )


def readable(where: str, violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{where}: [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:8]:
            lines.append(f"    - {node['target']}\n      {node['html']}")
            for reason in (node["summary"] or "").splitlines():
                lines.append(f"        {reason}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    … and {len(violation['nodes']) - 8} more elements")
    return "\n".join(lines)


def failing(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


@pytest.fixture
def axe_page(browser: Browser, live_server):
    """Pages in contexts that bypass the CSP (for the injected axe script only), failing
    the test on any console or page error, as ``new_page`` does."""
    yield from page_opener(browser, live_server.url, bypass_csp=True)


# --- The data every page shows --------------------------------------------------------------


@pytest.fixture
def portal(agency_a, agency_b, officer_a, officer_b, pejabat_a, evaluator, pimpinan):
    """Agency A with its registry (account, decree, appointment, SOP), a post and an
    annual report in draft; inquiries in every state that changes a page: recorded,
    forwarded to B (hours left), forwarded and overdue, replied by B; agency B's report
    under evaluation."""
    now = clock.now()
    channel = OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan")
    OfficialAccountFactory(agency=agency_b, handle="@disdukcapil.katingan")
    AppointmentFactory(decree=channel.decree)
    SopFactory(agency=agency_a)
    PublishedPostFactory(account=channel, created_by=officer_a)

    def recorded(hours_ago: int):
        at = now - hours_ago * H
        return InquiryFactory(
            agency=agency_a,
            channel=channel,
            received_at=at - H,
            recorded_at=at,
            recorded_by=officer_a,
            topics=["e-ktp"],
        )

    fresh = recorded(1)
    forwarded = recorded(3)
    flow.inquiry_forward(inquiry=forwarded, to_agency=agency_b, by=officer_a, now=now - 2 * H)
    overdue = recorded(40)
    flow.inquiry_forward(inquiry=overdue, to_agency=agency_b, by=officer_a, now=now - 30 * H)
    replied = recorded(5)
    flow.inquiry_forward(inquiry=replied, to_agency=agency_b, by=officer_a, now=now - 4 * H)
    flow.forwarding_reply(
        inquiry=replied, by=officer_b, reply_text="Sudah kami tindak lanjuti.", now=now - 3 * H
    )
    report = report_services.report_create(agency=agency_a, year=now.year, by=pejabat_a, now=now)
    report_services.report_edit(
        report=report,
        by=pejabat_a,
        now=now,
        expected_version=report.version,
        policy_overview="Layanan informasi melalui akun resmi Dinas Kesehatan.",
        constraints_internal="Jumlah petugas terbatas.",
    )
    # Agency B's report, submitted and under evaluation: the evaluator's form.
    pejabat_b = UserFactory(username="pejabat_b", agency=agency_b, roles=[Role.PEJABAT])
    evaluated = report_services.report_create(agency=agency_b, year=now.year, by=pejabat_b, now=now)
    evaluated = report_services.report_edit(
        report=evaluated,
        by=pejabat_b,
        now=now,
        expected_version=evaluated.version,
        policy_overview="Layanan informasi kependudukan melalui akun resmi.",
        constraints_internal="Belum ada SOP.",
    )
    report_services.report_submit(report=evaluated, by=pejabat_b, now=now)
    report_services.evaluation_start(report=evaluated, by=evaluator, now=now)
    for inquiry in (fresh, forwarded, overdue, replied):
        inquiry.refresh_from_db()
    subject_request = privacy_services.subject_request_create(
        by=evaluator,
        now=now,
        kind="access",
        requester_name="Warga Uji",
        identifier=fresh.author_name,
        received_at=now - H,
    )
    return {
        "subject_request": subject_request,
        "fresh": fresh,
        "forwarded": forwarded,
        "overdue": overdue,
        "replied": replied,
        "report": report,
        "evaluated": evaluated,
    }


def _pages(portal) -> dict[str, list[tuple[str, str]]]:
    """Who looks at what: (name, path) per user; None is a visitor not signed in."""
    return {
        None: [
            ("login", "/masuk/"),
            ("tracking-form", "/lacak/"),
            ("tracking-detail", f"/lacak/{portal['forwarded'].tracking_code}/"),
        ],
        "petugas_a": [
            ("home", "/"),
            ("inquiry-inbox", "/pertanyaan/"),
            ("inquiry-form", "/pertanyaan/baru/"),
            ("inquiry-detail-recorded", f"/pertanyaan/{portal['fresh'].pk}/"),
            ("inquiry-detail-replied", f"/pertanyaan/{portal['replied'].pk}/"),
            ("deadline-board-agency", "/pertanyaan/tenggat/"),
            ("post-list", "/publikasi/"),
            ("post-form", "/publikasi/baru/"),
            ("agency-detail-own", "/instansi/dinkes/"),
            ("official-accounts", "/akun-resmi/"),
            ("regulation", "/regulasi/"),
        ],
        "petugas_b": [
            ("inquiry-inbox-forwarded", "/pertanyaan/?kotak=diteruskan"),
            ("inquiry-detail-forwarded", f"/pertanyaan/{portal['overdue'].pk}/"),
            ("notifications", "/notifikasi/"),
        ],
        "pejabat_a": [
            ("report-list", "/laporan/"),
            ("report-detail", f"/laporan/{portal['report'].pk}/"),
            ("report-edit", f"/laporan/{portal['report'].pk}/ubah/"),
        ],
        "evaluator": [
            ("dashboard", "/laporan/dasbor/"),
            ("deadline-board-regency", "/pertanyaan/tenggat/"),
            ("agency-list", "/instansi/"),
            ("decree-list", "/keputusan/"),
            ("appointment-list", "/penunjukan/"),
            ("sop-list", "/sop/"),
            ("regency-report", "/laporan/kabupaten/"),
            ("report-under-evaluation", f"/laporan/{portal['evaluated'].pk}/"),
            ("evaluation-form", f"/laporan/{portal['evaluated'].pk}/evaluasi/"),
            ("subject-requests", "/privasi/permintaan/"),
            ("subject-request-form", "/privasi/permintaan/baru/"),
            ("subject-request", f"/privasi/permintaan/{portal['subject_request'].pk}/"),
            ("audit-log", "/audit/"),
            ("processing-record", "/privasi/pemrosesan/"),
        ],
        "pimpinan": [
            ("pimpinan", "/laporan/pimpinan/"),
            ("report-detail-pimpinan", f"/laporan/{portal['report'].pk}/"),
        ],
    }


# --- The tests --------------------------------------------------------------------------------


def test_the_policy_refuses_the_injected_script(browser, live_server):
    """Why the axe contexts bypass the CSP: under the portal's policy the injection is
    refused, and the browser says so."""
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        page.goto("/masuk/")
        with pytest.raises(Error):
            page.add_script_tag(path=str(AXE))
        assert page.evaluate("typeof window.axe") == "undefined"
        assert any("Content Security Policy" in text for text in console), console
    finally:
        context.close()


def test_every_main_page_has_no_serious_or_critical_violation(axe_page, portal):
    report: list[str] = []
    minor: list[str] = []
    checked = 0
    for username, pages in _pages(portal).items():
        page = axe_page()
        if username is not None:
            sign_in(page, username, PASSWORD)
            # Signed in: the header's menu names the user.
            full_name = User.objects.get(username=username).get_full_name()
            expect(page.locator("header")).to_contain_text(full_name)
        for name, path in pages:
            response = page.goto(path)
            assert response is not None and response.status == 200, (path, response)
            assert urlsplit(page.url).path == urlsplit(path).path, (path, page.url)  # no detour
            # At both widths: the phone layout folds the menu and scrolls the tables.
            for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                page.set_viewport_size(viewport)
                result = axe_run(page)
                assert result["passes"] > 10, (path, result)  # axe really ran
                where = f"{name} ({path}, {width})"
                serious = failing(result["violations"])
                if serious:
                    report.append(readable(where, serious))
                rest = [v for v in result["violations"] if v not in serious]
                if rest:
                    minor.append(readable(where, rest))
                checked += 1
            page.set_viewport_size(DESKTOP)
    print("\n".join(minor) or "no moderate or minor violation")
    assert checked == 2 * sum(len(p) for p in _pages(portal).values())
    assert not report, "axe found serious or critical violations:\n" + "\n".join(report)


def test_axe_reports_a_field_without_its_label(axe_page, agency_a, officer_a):
    """The check itself can fail: with one label taken away, axe names the field."""
    OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan")
    page = axe_page()
    sign_in(page, officer_a.username, PASSWORD)
    page.goto("/pertanyaan/baru/")
    assert not failing(axe_run(page)["violations"])
    page.locator("label[for=id_author_name]").evaluate("label => label.remove()")
    violations = {v["id"]: v for v in failing(axe_run(page)["violations"])}
    assert "label" in violations, readable("record form", list(violations.values()))
    assert violations["label"]["impact"] == "critical"
    assert [node["target"] for node in violations["label"]["nodes"]] == ["#id_author_name"]


# --- The record form by keyboard alone ------------------------------------------------------

# What the focused element looks like: its name, its top, whether its focus indicator
# shows (an outline or a box shadow that is not nothing), and its accessible label.
FOCUSED = """async () => {
    const el = document.activeElement;
    // Bootstrap eases the focus ring in (0.15 s): read the style once it has settled.
    await Promise.all(el.getAnimations().map(animation => animation.finished));
    const style = getComputedStyle(el);
    const visibleColour = c => c && c !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(c);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
        && visibleColour(style.outlineColor);
    const shadow = style.boxShadow !== 'none' && /[1-9]\\d*(\\.\\d+)?px/.test(style.boxShadow)
        && !/rgba\\([^)]*,\\s*0\\)/.test(style.boxShadow);
    const box = el.getBoundingClientRect();
    return {
        key: el.name || el.id || el.textContent.trim(),
        tag: el.tagName.toLowerCase(),
        type: el.type || '',
        visible: outline || shadow,
        indicator: `outline ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}, `
            + `box-shadow ${style.boxShadow}`,
        top: box.top + window.scrollY,
        inViewport: box.top >= 0 && box.bottom <= window.innerHeight,
        label: el.labels && el.labels.length ? el.labels[0].textContent.trim() : '',
    };
}"""

# The form's fields top to bottom, as it shows them, then its Save button.
RECORD_FORM_ORDER = [
    "Lampiran B",  # the "Dasar hukum" link to /regulasi/, above the form
    "channel",
    "kind",
    "author_name",
    "author_contact",
    "text",
    "source_url",
    "received_at",
    "topics",
    "Simpan",
]
KEYBOARD_TEXT = "Jalan ke Desa Tumbang Samba rusak berat, mohon segera diperbaiki."


def test_record_form_by_keyboard_alone_with_the_focus_always_visible(new_page, agency_a, officer_a):
    OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan")
    second = OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan.info")
    page = new_page()
    sign_in(page, officer_a.username, PASSWORD)
    page.goto("/pertanyaan/baru/")

    # Skip link first; following it puts the focus at the start of the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    stops: list[dict] = []
    typed = {
        "author_name": "@warga_tumbang_samba",
        "author_contact": "0813-5000-1234",
        "text": KEYBOARD_TEXT,
        "source_url": "https://www.instagram.com/p/tumbangsamba/",
        "topics": "jalan, infrastruktur",
    }
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        after = stops[-1]["key"] if stops else "the skip link"
        assert focused["tag"] != "body", f"the focus was lost after {after}"
        # Chromium's date-time field takes one Tab per part (day, month, …): one stop.
        if stops and focused["key"] == stops[-1]["key"]:
            continue
        assert focused["visible"], f"no visible focus on {focused['key']}: {focused['indicator']}"
        assert focused["inViewport"], f"{focused['key']} is focused out of sight"
        if focused["tag"] in ("input", "select", "textarea"):
            assert focused["label"], f"{focused['key']} has no label"
        stops.append(focused)
        key = focused["key"]
        if key == "channel":  # "choose the account", then the two accounts by handle
            page.keyboard.press("ArrowDown")
            page.keyboard.press("ArrowDown")
        elif key == "kind":  # preselected "question"; two down is "criticism"
            page.keyboard.press("ArrowDown")
            page.keyboard.press("ArrowDown")
        elif key in typed:
            page.keyboard.type(typed[key])
        if focused["type"] == "submit":
            screenshot(page, "inquiry-form-keyboard-desktop")
            with page.expect_navigation():
                page.keyboard.press("Enter")
            break
    else:
        raise AssertionError(f"the Save button was never reached: {[s['key'] for s in stops]}")

    # Every field in the order it is shown, each below the one before (one column).
    assert [stop["key"] for stop in stops] == RECORD_FORM_ORDER
    tops = [stop["top"] for stop in stops]
    assert tops == sorted(tops) and len(set(tops)) == len(tops), tops

    assert DETAIL_URL.search(page.url), page.url
    inquiry = Inquiry.objects.get(pk=int(DETAIL_URL.search(page.url).group(1)))
    assert (inquiry.agency, inquiry.channel, inquiry.kind) == (agency_a, second, "kritik")
    assert (inquiry.author_name, inquiry.author_contact) == (
        typed["author_name"],
        typed["author_contact"],
    )
    assert (inquiry.text, inquiry.source_url) == (KEYBOARD_TEXT, typed["source_url"])
    assert inquiry.topics == ["jalan", "infrastruktur"]
    assert inquiry.recorded_by == officer_a
    expect(page.locator(".messages .alert-success")).to_contain_text(inquiry.tracking_code)
