"""Pages that anyone can reach hold no personal data: the public tracking page never
shows the citizen's name, handle, contact or text, nor an officer's name; error pages
(404, 500) with DEBUG off show no stack trace, no settings and no personal data."""

import datetime as dt

import pytest
from django.urls import reverse

from inquiries import flow
from inquiries.models import Inquiry
from inquiries.privacy import mask_contact, mask_name
from inquiries.tests.factories import InquiryFactory

from .constants import NOW, SECRET_A
from .helpers import client_for, fetch

pytestmark = pytest.mark.django_db

AUTHOR = "Budi Rahasia Santoso"
HANDLE = "@budi_rahasia_ktg"
CONTACT = "081299998888"
EMAIL = "budi.rahasia@contoh.id"
TEXT = "Anak saya sakit demam berdarah di Desa Tumbang Samba"
REPLY = "Catatan internal: petugas puskesmas sudah dihubungi"
ANSWER = "Puskesmas Tumbang Samba buka 24 jam untuk kasus DBD."
H = dt.timedelta(hours=1)

# What a debug or leaky error page shows.
DEBUG_SIGNS = (
    "Traceback",
    "RuntimeError",
    "Exception Value",
    "settings.py",
    "SECRET_KEY",
    "DATABASES",
    "urlpatterns",
    "URLconf",
    "katingan_sosmed.urls",
    "Request Method",
)


def _people(world, viewer=None) -> list[str]:
    """Names, e-mails and usernames of the portal's people, but the viewer's own (the
    navigation greets the signed-in user)."""
    users = [u for u in world.users.values() if u != viewer]
    names = [u.get_full_name() for u in users if u.get_full_name()]
    return [*names, *(u.email for u in users if u.email), *(u.username for u in users)]


def _private(world, viewer=None) -> list[str]:
    return [
        AUTHOR,
        HANDLE,
        CONTACT,
        EMAIL,
        TEXT,
        REPLY,
        mask_name(AUTHOR),
        mask_contact(CONTACT),
        "Budi",
        "0812",
        *_people(world, viewer),
    ]


def _assert_nothing_private(response, world, *, label, viewer=None):
    text = response.body.decode()
    shown = [value for value in _private(world, viewer) if value in text]
    assert not shown, f"{label} shows {shown}"


def test_tracking_page_never_shows_personal_data(world, clients):
    a, officer_a = world.a, world.users["officer_a"]
    inquiry = InquiryFactory(
        agency=a.agency,
        channel=a.account,
        author_name=AUTHOR,
        author_contact=CONTACT,
        text=TEXT,
        received_at=NOW - 5 * H,
        recorded_at=NOW - 5 * H,
        recorded_by=officer_a,
    )
    url = reverse("tracking:detail", args=[inquiry.tracking_code])
    steps = [
        lambda: None,
        lambda: flow.inquiry_forward(
            inquiry=inquiry, to_agency=world.b.agency, by=officer_a, now=NOW - 4 * H
        ),
        lambda: flow.forwarding_reply(
            inquiry=inquiry, by=world.users["officer_b"], reply_text=REPLY, now=NOW - 3 * H
        ),
        lambda: flow.inquiry_answer_public(
            inquiry=inquiry, by=officer_a, answer_text=ANSWER, now=NOW - 2 * H
        ),
        lambda: flow.inquiry_close(inquiry=inquiry, by=officer_a, now=NOW - H),
    ]
    for step in steps:
        step()
        inquiry = Inquiry.objects.get(pk=inquiry.pk)
        for role in ("anonymous", "officer_b", "evaluator"):
            # The same page whoever asks: it is public, the session gives nothing more.
            response = fetch(clients[role], url)
            assert response.status_code == 200
            assert inquiry.tracking_code in response.body.decode()
            _assert_nothing_private(
                response, world, label=f"{role} {inquiry.status}", viewer=world.users.get(role)
            )
            assert response["Cache-Control"].count("no-store") == 1
            assert "noindex" in response["X-Robots-Tag"]
    # The answer was given in public anyway: it is shown (the check is not vacuous).
    assert ANSWER in fetch(clients["anonymous"], url).body.decode()


def test_tracking_lookup_forms_hold_nothing_private(world, clients):
    anon = clients["anonymous"]
    for url in (
        reverse("tracking:form"),
        reverse("tracking:form") + "?kode=salah",
        reverse("tracking:detail", args=["ZZZZZZZZ"]),
        reverse("tracking:detail", args=["<script>"]),
    ):
        response = fetch(anon, url)
        assert response.status_code in (200, 400, 404)
        assert SECRET_A not in response.body.decode()
        assert b'<script>"' not in response.body


@pytest.fixture
def production_errors(settings):
    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False


def test_404_pages_show_no_debug_or_personal_data(world, clients, production_errors):
    a = world.a
    pages = [
        (clients["anonymous"], "/tidak-ada/"),
        (clients["officer_a"], "/tidak-ada/?q=Budi"),
        # Another agency's inquiry: not found, and none of its data.
        (clients["officer_b"], reverse("inquiries:detail", args=[a.inquiry.pk])),
        (clients["officer_b"], reverse("accounts:decree_detail", args=[a.decree.pk])),
        (clients["officer_b"], reverse("reports:file_download", args=[a.report_file.pk])),
        (clients["anonymous"], reverse("tracking:detail", args=["ZZZZZZZZ"])),
        (
            client_for(HTTP_AUTHORIZATION=f"Bearer {world.b.key}"),
            reverse("api:v1:inquiry-detail", args=[a.inquiry.tracking_code]),
        ),
    ]
    for client, url in pages:
        response = fetch(client, url)
        assert response.status_code == 404, url
        text = response.body.decode()
        assert not [sign for sign in DEBUG_SIGNS if sign in text], url
        for value in (SECRET_A, a.inquiry.author_name, a.inquiry.author_contact, a.inquiry.text):
            assert value not in text, f"{url} shows {value}"


@pytest.mark.urls("security.urls_error")
def test_500_page_shows_no_trace_or_personal_data(world, production_errors):
    client = client_for(world.users["officer_a"], raise_request_exception=False)
    response = fetch(client, "/gagal/?nama=Budi+Rahasia+Santoso", "post", data={"password": "x"})
    assert response.status_code == 500
    text = response.body.decode()
    assert not [sign for sign in DEBUG_SIGNS if sign in text]
    assert AUTHOR not in text and CONTACT not in text and "Budi" not in text
    assert "fails_with_personal_data" not in text
