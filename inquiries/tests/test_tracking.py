"""Public tracking (``/lacak/``): status for anyone holding the code, and nothing
personal; unknown codes 404; guessing throttled."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.urls import reverse

from accounts.tests.factories import OfficialAccountFactory
from inquiries import flow
from inquiries.models import DismissReason

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # 08:00 WIB
AUTHOR = "Siti Rahmawati"
HANDLE = "@siti.rahma_88"
CONTACT = "081234567789"
TEXT = "Jalan rusak di Desa Tumbang Samba kapan diperbaiki?"


@pytest.fixture(autouse=True)
def _isolated(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"lacak-{uuid.uuid4()}",
        }
    }
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def channel(agency_a):
    return OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan.resmi")


@pytest.fixture
def inquiry(agency_a, channel, officer_a):
    inquiry, _ = flow.inquiry_record(
        agency=agency_a,
        channel=channel,
        kind="pertanyaan",
        author_name=f"{AUTHOR} ({HANDLE})",
        author_contact=CONTACT,
        text=TEXT,
        source_url="https://www.instagram.com/p/rahasia123/",
        received_at=NOW - dt.timedelta(hours=2),
        by=officer_a,
        now=NOW,
    )
    return inquiry


def page(client, code: str):
    return client.get(reverse("tracking:detail", args=[code]))


def assert_private(response):
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def assert_nothing_personal(html: str, *people):
    for secret in (AUTHOR, "Siti", HANDLE, "siti.rahma", CONTACT, "0812", TEXT, "rahasia123"):
        assert secret not in html, secret
    for person in people:
        assert person.get_full_name() not in html
        assert person.username not in html


def test_anyone_sees_the_status_without_signing_in(client, inquiry, agency_a):
    response = page(client, inquiry.tracking_code)
    assert response.status_code == 200
    html = response.content.decode()
    assert inquiry.tracking_code in html
    assert agency_a.name in html
    assert "Instagram" in html
    assert 'data-status="recorded"' in html
    assert "02-03-2026 06:00 WIB" in html  # received, in WIB
    assert "02-03-2026 08:00 WIB" in html  # recorded
    assert "@dinkes.katingan.resmi" not in html
    assert_private(response)


def test_the_whole_way_shows_steps_and_answer_but_no_person(
    client, inquiry, officer_a, officer_b, agency_b
):
    flow.inquiry_forward(
        inquiry=inquiry,
        to_agency=agency_b,
        by=officer_a,
        now=NOW + dt.timedelta(hours=1),
        note="Mohon dicek, pelapor Siti minta ditelepon",
    )
    forwarded = page(client, inquiry.tracking_code).content.decode()
    assert agency_b.name in forwarded
    assert 'data-status="forwarded"' in forwarded
    assert "03-03-2026 09:00 WIB" in forwarded  # due 24 hours after 09:00 WIB
    flow.forwarding_reply(
        inquiry=inquiry,
        by=officer_b,
        reply_text="Balasan internal antarinstansi",
        now=NOW + dt.timedelta(hours=3),
    )
    flow.inquiry_answer_public(
        inquiry=inquiry,
        by=officer_a,
        answer_text="Perbaikan dijadwalkan <script>alert(1)</script> bulan April.",
        now=NOW + dt.timedelta(hours=4),
    )
    response = page(client, inquiry.tracking_code)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="answered"' in html
    assert "02-03-2026 11:00 WIB" in html  # replied
    assert "Perbaikan dijadwalkan" in html and "bulan April" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "Balasan internal" not in html and "Mohon dicek" not in html
    assert_nothing_personal(html, officer_a, officer_b)


def test_the_code_is_case_insensitive(client, inquiry):
    assert page(client, inquiry.tracking_code.lower()).status_code == 200


@pytest.mark.parametrize("code", ["ZZZZZZZZ", "abc", "A" * 50, "AAAAAAA0", "%3Cscript%3E"])
def test_an_unknown_code_is_a_404_page(client, inquiry, code):
    response = page(client, code)
    assert response.status_code == 404
    assert_private(response)
    assert 'name="kode"' in response.content.decode()


def test_the_form_sends_a_code_to_its_page(client, inquiry):
    form = client.get(reverse("tracking:form"))
    assert form.status_code == 200
    assert_private(form)
    spaced = f" {inquiry.tracking_code[:4].lower()} {inquiry.tracking_code[4:].lower()} "
    response = client.get(reverse("tracking:form"), {"kode": spaced})
    assert response.status_code == 302
    assert response["Location"] == reverse("tracking:detail", args=[inquiry.tracking_code])
    bad = client.get(reverse("tracking:form"), {"kode": "x<y"})
    assert bad.status_code == 400
    assert "x&lt;y" in bad.content.decode()


def test_writes_are_not_allowed(client, inquiry):
    assert client.post(reverse("tracking:detail", args=[inquiry.tracking_code])).status_code == 405
    assert client.post(reverse("tracking:form")).status_code == 405


def test_a_dismissed_inquiry_says_so(client, inquiry, officer_a):
    flow.inquiry_dismiss(
        inquiry=inquiry, by=officer_a, reason=DismissReason.SPAM, note="iklan", now=NOW
    )
    html = page(client, inquiry.tracking_code).content.decode()
    assert 'data-status="dismissed"' in html
    assert "iklan" not in html


def test_guessing_is_throttled_per_address(client, settings, inquiry):
    settings.TRACKING_LOOKUPS_PER_MINUTE = 3
    codes = [page(client, "ZZZZZZZZ").status_code for _ in range(3)]
    assert codes == [404, 404, 404]
    throttled = page(client, inquiry.tracking_code)
    assert throttled.status_code == 429
    assert 1 <= int(throttled["Retry-After"]) <= 60
    assert_private(throttled)
    assert "Dinas Kesehatan" not in throttled.content.decode()
    other = client.get(
        reverse("tracking:detail", args=[inquiry.tracking_code]), REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        assert page(client, inquiry.tracking_code).status_code == 200


def test_a_cache_outage_does_not_take_the_page_down(client, inquiry, monkeypatch):
    from inquiries import public

    class Down:
        def add(self, *args, **kwargs):
            raise ConnectionError("redis down")

        incr = add

    monkeypatch.setattr(public, "cache", Down())
    assert page(client, inquiry.tracking_code).status_code == 200
