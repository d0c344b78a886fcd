"""Text typed by people (an inquiry's author and text, an agency's name, a post, a report's
narrative, a decree's title) is shown as text everywhere: escaped in every page, plain in
every e-mail, literal in the PDF, and nothing it names is ever fetched by the PDF renderer.
"""

import datetime as dt
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from accounts.forms import AgencyForm, OfficialAccountForm
from accounts.models import Agency, Decree
from inquiries import flow
from inquiries.api.serializers import InquiryCreateSerializer
from inquiries.forms import InquiryFieldsForm
from inquiries.models import Inquiry
from inquiries.tests.factories import InquiryFactory
from notifications.models import EmailStatus, Notification
from notifications.services import notification_email_send
from publications.forms import PublishForm
from publications.models import Post
from publications.tests.factories import PublishedPostFactory
from reports import pdf
from reports.models import AnnualReport

from .constants import NOW
from .helpers import client_for, fetch

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"
# What must never reach a page: the markup itself.
RAW = ("<script>alert(1)", "<img src=x onerror")
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


def assert_escaped(response, *, shown: bool = True, label: str = "") -> None:
    text = response.body.decode()
    assert response.status_code == 200, f"{label}: {response.status_code}"
    for raw in RAW:
        assert raw not in text, f"{label}: raw markup {raw!r} on the page"
    if shown:
        assert ESCAPED in text, f"{label}: the escaped text is not on the page"


@pytest.fixture
def hostile(world):
    """Agency A's name, a new inquiry's author and text, a post, the draft report's
    narrative and a decree title, all set to :data:`XSS` (rolled back after the test)."""
    a = world.a
    Agency.objects.filter(pk=a.agency.pk).update(name=XSS, short_name=XSS)
    Decree.objects.filter(pk=a.decree.pk).update(title=XSS)
    inquiry = InquiryFactory(
        agency=a.agency,
        channel=a.account,
        author_name=XSS,
        author_contact="0812-3456-7890",
        text=XSS,
        received_at=NOW - dt.timedelta(hours=1),
        recorded_at=NOW - dt.timedelta(minutes=50),
        recorded_by=world.users["officer_a"],
    )
    post = PublishedPostFactory(
        account=a.account,
        created_by=world.users["officer_a"],
        text=XSS,
        published_at=NOW - dt.timedelta(days=1),
    )
    AnnualReport.objects.filter(pk=a.report.pk).update(
        policy_overview=XSS, constraints_external=XSS, constraints_internal=XSS
    )
    AnnualReport.objects.filter(pk=world.evaluating.pk).update(constraints_external=XSS)
    return inquiry, post


def test_pages_escape_people_s_text(world, clients, hostile):
    inquiry, post = hostile
    a = world.a
    officer, evaluator = clients["officer_a"], clients["evaluator"]
    admin, pejabat = clients["administrator"], client_for(world.users["pejabat_a"])
    month = f"?bulan={NOW:%Y-%m}"
    pages = [
        # (client, address, the text is shown there)
        (officer, reverse("inquiries:detail", args=[inquiry.pk]), True),
        (officer, reverse("inquiries:inbox"), True),
        (evaluator, reverse("inquiries:detail", args=[inquiry.pk]), True),
        (evaluator, reverse("inquiries:inbox"), True),
        (evaluator, reverse("reports:dashboard_inquiries") + "?angka=diterima", True),
        (officer, reverse("publications:post_detail", args=[post.pk]), True),
        (officer, reverse("publications:post_list"), True),
        (officer, reverse("publications:calendar") + month, True),
        (pejabat, reverse("publications:recommendation_create"), True),
        (officer, reverse("reports:report_detail", args=[a.report.pk]), True),
        (officer, reverse("reports:report_edit", args=[a.report.pk]), True),
        (evaluator, reverse("reports:evaluation_edit", args=[world.evaluating.pk]), True),
        (officer, reverse("accounts:decree_detail", args=[a.decree.pk]), True),
        (officer, reverse("home"), True),
        (officer, reverse("accounts:agency_detail", args=[a.agency.slug]), True),
        (evaluator, reverse("accounts:agency_list"), True),
        (evaluator, reverse("reports:dashboard"), True),
        (evaluator, reverse("reports:pimpinan"), True),
        (evaluator, reverse("reports:regency"), True),
        (evaluator, reverse("reports:report_list"), True),
        (evaluator, reverse("inquiries:deadline_board"), True),
        (admin, reverse("admin:accounts_agency_changelist"), True),
        (admin, reverse("admin:inquiries_inquiry_change", args=[inquiry.pk]), True),
        # Public: the author and text are never shown (test_privacy), and nothing raw.
        (clients["anonymous"], reverse("tracking:detail", args=[inquiry.tracking_code]), False),
    ]
    for client, address, shown in pages:
        assert_escaped(fetch(client, address), shown=shown, label=address)


def test_the_shown_text_is_the_typed_text_not_a_cleaned_copy(world, clients, hostile):
    """Escaping, not stripping: the officer reads exactly what the citizen wrote."""
    inquiry, _post = hostile
    assert Post.objects.filter(text=XSS).exists()
    page = fetch(clients["officer_a"], reverse("inquiries:detail", args=[inquiry.pk]))
    assert page.body.decode().count(ESCAPED) >= 2  # the author and the text


def _send_pending_mail(key_prefix: str) -> None:
    """What the e-mail task does, for the pending notices whose key starts so."""
    pending = Notification.objects.filter(
        email_status=EmailStatus.PENDING, key__startswith=key_prefix
    )
    for pk in pending.values_list("pk", flat=True):
        notification_email_send(notification_id=pk, now=NOW)


def test_emails_are_plain_text_and_the_notice_page_escapes(world, hostile):
    """A forwarding from the agency named :data:`XSS` notifies B's appointed petugas: the
    e-mail is text/plain only (no HTML part a mail client could run) and its text is
    the name as typed; the in-app notice escapes it."""
    inquiry, _post = hostile
    mail.outbox.clear()
    forwarding = flow.inquiry_forward(
        inquiry=Inquiry.objects.get(pk=inquiry.pk),  # with the agency as now stored
        to_agency=Agency.objects.get(pk=world.b.agency.pk),
        by=world.users["officer_a"],
        now=NOW,
    )
    _send_pending_mail(f"fwd:{forwarding.pk}:")
    assert mail.outbox, "the forwarding sent no e-mail"
    for message in mail.outbox:
        assert message.content_subtype == "plain"
        assert not getattr(message, "alternatives", None)
        assert "\n" not in message.subject and "\r" not in message.subject
        assert XSS in message.body
    recipient = world.b.appointment.user
    page = fetch(client_for(recipient), reverse("notifications:list"))
    assert_escaped(page, label="notifications")


# --- The PDF ---------------------------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server API
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):  # silence
        pass


@pytest.fixture
def listener():
    """An HTTP server on 127.0.0.1 that records every request it gets."""
    _Recorder.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.hits
    server.shutdown()
    server.server_close()


def pdf_text(content: bytes, tmp_path: Path) -> str:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is required"
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    out = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(out.split())


def test_listener_records_a_fetch(listener):
    """The checks below can fail: the listener does see a request made to it."""
    import urllib.request

    base, hits = listener
    urllib.request.urlopen(f"{base}/probe.png", timeout=5).close()  # noqa: S310 - local
    assert hits == ["/probe.png"]


def test_annual_pdf_prints_the_narrative_as_text_and_fetches_nothing(
    world, hostile, listener, tmp_path
):
    base, hits = listener
    image = f'<img src="{base}/x.png"><link rel="stylesheet" href="{base}/a.css">'
    AnnualReport.objects.filter(pk=world.a.report.pk).update(
        policy_overview=XSS, constraints_internal=image
    )
    report = AnnualReport.objects.get(pk=world.a.report.pk)
    spy = pdf.url_fetcher()
    content = pdf.annual_report_pdf(report, now=NOW, fetcher=spy)
    text = pdf_text(content, tmp_path)
    assert XSS in text
    assert f'<img src="{base}/x.png">' in text
    assert hits == []
    assert spy.refused == []  # escaped: never even asked for
    assert spy.fetched and all(url.startswith("file://") for url in spy.fetched)
    # The task's own path (no spy): the default fetcher.
    assert pdf.annual_report_pdf(report, now=NOW).startswith(b"%PDF")
    assert hits == []


def test_regency_pdf_prints_an_agency_name_as_text(world, hostile, tmp_path):
    text = pdf_text(pdf.regency_report_pdf(2026, now=NOW), tmp_path)
    assert "<script>alert(1)</script>" in text


def test_the_fetcher_refuses_everything_outside_the_static_files(listener, settings):
    """Even markup that is not escaped (a template mistake) cannot make the server call
    out or read a file: WeasyPrint's url_fetcher allows the static files and data: only."""
    base, hits = listener
    root = pdf.static_roots()[0]
    refused = [
        f"{base}/x.png",
        "http://127.0.0.1:9/x.png",
        f"{base}/a.css",
        f"{base}/font.woff",
        "file:///etc/passwd",
        f"file://{root}/../../../../etc/passwd",
        f"file://{root}/../katingan_sosmed/settings.py",
        "file://evil.example/share/x.png",
        "ftp://127.0.0.1/x.png",
    ]
    html = (
        f'<html><head><link rel="stylesheet" href="{base}/a.css">'
        f"<style>@import url({base}/b.css); @font-face {{ font-family: x; "
        f"src: url({base}/font.woff); }} body {{ background: url({base}/bg.png); }}</style>"
        f'</head><body style="font-family: x"><p>x</p><img src="{base}/x.png">'
        '<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/passwd">'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        f'<iframe src="{base}/frame"></iframe><object data="{base}/obj"></object></body></html>'
    )
    spy = pdf.url_fetcher()
    assert pdf.html_to_pdf(html, fetcher=spy).startswith(b"%PDF")
    assert hits == []
    assert f"{base}/x.png" in spy.refused and "http://127.0.0.1:9/x.png" in spy.refused
    assert "file:///etc/passwd" in spy.refused
    for url in refused:
        with pytest.raises(ValueError):
            pdf.url_fetcher().fetch(url)
    assert hits == []
    assert pdf.url_fetcher().fetch("data:text/plain,ok").read() == b"ok"
    # The portal's own stylesheet is allowed (the PDF needs it).
    allowed = pdf.url_fetcher()
    allowed.fetch(pdf.base_url() + "reports/pdf.css")
    assert allowed.refused == [] and len(allowed.fetched) == 1


# --- Links: escaping does not help inside href, so the schemes are refused at input -----

SCRIPT_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_every_link_field_refuses_script_urls(url, world):
    """The fields a page puts into ``href``: an inquiry's source link (form and API), a
    post's link, an agency's website, an official account's address."""
    a = world.a
    inquiry_form = InquiryFieldsForm(
        {
            "kind": "pertanyaan",
            "author_name": "x",
            "text": "x",
            "received_at": "2026-11-02 09:00",
            "source_url": url,
        },
        agency=a.agency,
        now=NOW,
    )
    assert not inquiry_form.is_valid() and "source_url" in inquiry_form.errors
    publish = PublishForm({"url": url, "published_at": "2026-11-02 09:00"})
    assert not publish.is_valid() and "url" in publish.errors
    agency = AgencyForm(
        {"short_name": "X", "kind": a.agency.kind, "website": url}, instance=a.agency
    )
    assert not agency.is_valid() and "website" in agency.errors
    account = OfficialAccountForm(
        {"account_type": a.account.account_type, "platform": "tiktok", "handle": "@x", "url": url},
        agency=a.agency,
    )
    assert not account.is_valid() and "url" in account.errors
    api = InquiryCreateSerializer(
        data={
            "channel": a.account.pk,
            "kind": "pertanyaan",
            "author_name": "x",
            "text": "x",
            "received_at": "2026-11-02T09:00:00+07:00",
            "source_url": url,
        },
        context={"agency": a.agency, "now": NOW},
    )
    assert not api.is_valid() and "source_url" in api.errors
