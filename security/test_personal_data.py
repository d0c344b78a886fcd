"""Issue 10's acceptance: a role that does not handle an inquiry finds no raw name,
handle or telephone number of its citizen anywhere it can go: every page of the URL
conf it may open, every e-mail the flow sends, every PDF (read back with pdftotext) and
every export. And no citizen data in logs, Celery task arguments or the portal's URLs.

Agency A's inquiry is given one citizen's details; it is forwarded to agency B, which
replies (so e-mails go to B and the evaluator's escalations could follow). The
non-handling roles are the evaluator, the Pimpinan, the administrator, agency B's
officer for A's own other inquiries, the roleless user and anonymous visitors.
"""

import datetime as dt
import logging
import re
import shutil
import subprocess

import pytest
from celery.signals import before_task_publish
from django.core import mail
from django.urls import reverse

from inquiries import flow
from inquiries.models import Inquiry
from reports import pdf

from .constants import NOW
from .helpers import fetch
from .matrix import MATRIX
from .urlmap import address, named_urls

pytestmark = pytest.mark.django_db

NAME = "Zulkarnaen Tjilik Riwut"
HANDLE = "@zulka_rahasia"
PHONE = "081377712345"
TEXT = "Saya Zulkarnaen, hubungi 0813-7771-2345 atau @zulka_rahasia. Kapan jalan diperbaiki?"
# Every way the raw data could show: the name's words, the handle without its @, the
# number in any grouping of its digits.
RAW = ("Zulkarnaen", "Tjilik", "zulka_rahasia")
DIGITS = re.compile(r"0\D{0,3}8\D{0,3}1\D{0,3}3\D{0,3}7\D{0,3}7\D{0,3}7\D{0,3}1\D{0,3}2\D{0,3}3")

NON_HANDLING = ("anonymous", "evaluator", "pimpinan", "administrator", "outsider")


def raw_in(text: str) -> list[str]:
    found = [value for value in RAW if value.lower() in text.lower()]
    if DIGITS.search(text):
        found.append("the telephone number")
    return found


@pytest.fixture
def citizen(world):
    """Agency A's inquiry carries the citizen's details (undone after the test)."""
    inquiry = world.a.inquiry
    Inquiry.objects.filter(pk=inquiry.pk).update(author_name=NAME, author_contact=PHONE, text=TEXT)
    inquiry.refresh_from_db()
    return inquiry


@pytest.fixture(scope="module")
def urls():
    return named_urls()


def _pages(urls, role: str) -> list[str]:
    return sorted(
        name
        for name, expect in MATRIX.items()
        if name in urls and expect.outcomes[role] == 200 and not name.startswith("admin:")
    )


@pytest.mark.parametrize("role", NON_HANDLING)
def test_no_page_or_export_a_non_handling_role_opens_holds_the_citizen_raw(
    role, urls, world, clients, citizen
):
    pages = _pages(urls, role)
    assert pages
    leaks = []
    for name in pages:
        url = address(world, urls[name], query=MATRIX[name].query)
        response = fetch(clients[role], url)
        if response.status_code != 200:
            continue
        found = raw_in(response.body.decode("utf-8", "replace"))
        if found:
            leaks.append(f"{name} ({url}): {found}")
    assert not leaks, "\n".join(leaks)


def test_agency_b_sees_none_of_agency_a_s_other_citizens(urls, world, clients, citizen):
    """B handles the shared inquiry, not this one: nothing of this citizen for B."""
    leaks = []
    for name in _pages(urls, "officer_b"):
        for side in ("a", "b"):
            try:
                url = address(world, urls[name], side=side, query=MATRIX[name].query)
            except LookupError:
                continue
            response = fetch(clients["officer_b"], url)
            found = raw_in(response.body.decode("utf-8", "replace"))
            if found:
                leaks.append(f"{name} ({url}): {found}")
    assert not leaks, "\n".join(leaks)


def test_the_admin_shows_the_inquiry_masked(world, clients, citizen):
    client = clients["administrator"]
    for url in (
        reverse("admin:inquiries_inquiry_changelist"),
        reverse("admin:inquiries_inquiry_change", args=[citizen.pk]),
        reverse("admin:audit_auditevent_changelist"),
    ):
        response = fetch(client, url)
        assert response.status_code == 200, url
        assert raw_in(response.body.decode()) == [], url


def test_the_evaluator_s_personal_export_is_the_one_that_holds_them(world, clients, citizen):
    """The check above can see the data: the evaluator's export with a reason has it."""
    response = fetch(
        clients["evaluator"],
        reverse("inquiries:export_personal"),
        "post",
        data={"reason": "Permintaan subjek data"},
    )
    assert {"Zulkarnaen", "zulka_rahasia", "the telephone number"} <= set(
        raw_in(response.body.decode("utf-8-sig"))
    )


def _pdf_text(content: bytes, tmp_path) -> str:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is required"
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_no_pdf_holds_the_citizen(world, clients, citizen, tmp_path):
    texts = {
        "annual report": _pdf_text(pdf.annual_report_pdf(world.a.report, now=NOW), tmp_path),
        "regency report": _pdf_text(pdf.regency_report_pdf(2026, now=NOW), tmp_path),
        "record of processing": _pdf_text(
            fetch(clients["pimpinan"], reverse("privacy:processing_record_pdf")).body, tmp_path
        ),
    }
    assert "Dinas Kesehatan" in texts["annual report"]
    assert {name: raw_in(text) for name, text in texts.items()} == dict.fromkeys(texts, [])


def test_no_e_mail_log_line_or_task_argument_holds_the_citizen(
    world, citizen, caplog, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    published = []

    def record(sender=None, body=None, **kwargs):
        published.append(repr(body))

    before_task_publish.connect(record, weak=False)
    caplog.set_level(logging.DEBUG)
    officer_a, officer_b = world.users["officer_a"], world.users["officer_b"]
    try:
        with django_capture_on_commit_callbacks(execute=True):
            forwarding = flow.inquiry_forward(
                inquiry=citizen, to_agency=world.b.agency, by=officer_a, now=NOW
            )
        with django_capture_on_commit_callbacks(execute=True):
            flow.forwarding_reply(
                inquiry=citizen,
                by=officer_b,
                reply_text="Sudah kami jadwalkan.",
                now=NOW + dt.timedelta(hours=1),
            )
    finally:
        before_task_publish.disconnect(record)
    assert forwarding.to_agency == world.b.agency
    assert mail.outbox, "the forwarding notice was e-mailed"
    for message in mail.outbox:
        assert raw_in(f"{message.subject}\n{message.body}\n{message.alternatives}") == []
    assert raw_in(caplog.text) == []
    assert raw_in("\n".join(published)) == []


def test_no_link_of_the_portal_carries_the_citizen(world, clients, citizen):
    """The handling officer's pages hold the citizen (they may), but no href or form
    action does: addresses end up in logs and browser histories."""
    client = clients["officer_a"]
    html = ""
    for url in (
        reverse("inquiries:inbox"),
        reverse("inquiries:detail", args=[citizen.pk]),
        reverse("inquiries:deadline_list"),
    ):
        html += fetch(client, url).body.decode()
    assert "Zulkarnaen" in html  # the handling officer does see the name
    links = re.findall(r'(?:href|action|hx-get|hx-post)="([^"]*)"', html)
    assert links
    assert [link for link in links if raw_in(link)] == []
