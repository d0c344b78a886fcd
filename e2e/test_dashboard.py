"""The regency dashboard and the Pimpinan view in a real browser, at desktop and phone
widths; the screenshots are kept under var/e2e/ and looked at."""

import pytest

from accounts.tests.factories import PASSWORD, OfficialAccountFactory
from inquiries import flow
from inquiries.tests.factories import BASE, STEP, InquiryFactory
from publications.models import AudienceSnapshot

from .conftest import PHONE, screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def some_data(agency_a, agency_b, officer_a, officer_b):
    """Inquiries of March 2026 (this year), two forwarded to B: one replied in time,
    one left open (overdue since), and audience figures for both accounts."""
    channel = OfficialAccountFactory(agency=agency_a)
    inquiries = [InquiryFactory(agency=agency_a, channel=channel) for _ in range(3)]
    for inquiry in inquiries[:2]:
        flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_a, now=BASE)
    flow.forwarding_reply(
        inquiry=inquiries[0], by=officer_b, reply_text="Sudah ditangani.", now=BASE + STEP
    )
    for account, followers in ((channel, 1200), (OfficialAccountFactory(agency=agency_b), 800)):
        AudienceSnapshot.objects.create(
            account=account,
            taken_on=BASE.date(),
            followers=followers,
            source="manual",
            recorded_by=officer_a,
            recorded_at=BASE,
        )


@pytest.mark.parametrize(
    ("who", "path", "heading"),
    [
        ("evaluator", "/laporan/dasbor/?periode=tahun", "Dasbor kabupaten"),
        ("pimpinan", "/laporan/pimpinan/?periode=tahun", "Media sosial kabupaten sekilas"),
    ],
)
def test_the_dashboard_and_the_pimpinan_view_at_both_widths(
    new_page, request, some_data, who, path, heading
):
    user = request.getfixturevalue(who)
    for name, viewport in (("desktop", None), ("phone", PHONE)):
        page = new_page(viewport)
        sign_in(page, user.username, PASSWORD)
        page.goto(path)
        assert page.locator("h1").inner_text() == heading
        assert page.locator('tr[data-agency="dinkes"]').count() == 1
        # Every chart has its table alternative.
        assert page.locator("figure svg").count() == 4
        assert page.locator("details summary").filter(has_text="Angkanya dalam tabel").count() == 4
        # Nothing wider than the screen (the agency table scrolls inside its box).
        width = (viewport or {"width": 1280})["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"{who}-dashboard-{name}")
