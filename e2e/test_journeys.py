"""End-to-end journeys: the browser, the live server and a real Celery worker process.

Each journey runs the way the portal runs in production: Playwright drives chromium
against pytest-django's live server (in this process), which enqueues Celery tasks
on commit to Redis; a ``celery worker`` process (:mod:`e2e.worker`) consumes them on
the same PostgreSQL database. Nothing is eager and nothing is called directly, except
the one minute's ``inquiries.sweep_deadlines`` message that beat would have sent.

1. Lampiran B across two agencies: an officer of agency A records an inquiry and
   forwards it to agency B; B's officer finds it in the inbox with its countdown (the
   notice of it e-mailed by the worker) and replies; A's officer answers the public;
   the public tracking page shows the status by tracking code.
2. The overdue case: with the clock 25 hours on (time-machine, in this process for the
   live server and in the worker for the sweep), the sweep writes the overdue notice,
   and B's officer sees it under the bell and on the deadline board.
3. The annual report: the pejabat writes and submits it, the evaluator evaluates it and
   sends it to the Bupati, the Pimpinan asks for its PDF, built by the worker
   (``reports.build_file``); the htmx poll shows the link, and the file is a PDF.

Screenshots at desktop and phone widths go to ``var/e2e/journey-*.png``. Labels and
buttons are found by their (Indonesian) accessible names, states by ``data-*``.
"""

import datetime as dt
import re

import pytest
import time_machine
from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD, OfficialAccountFactory
from inquiries import flow
from inquiries.deadlines import KIND_OVERDUE
from inquiries.models import Forwarding, Inquiry
from inquiries.notices import KIND_RECEIVED
from inquiries.tasks import sweep_deadlines
from inquiries.tests.factories import InquiryFactory
from inquiries.tests.processes import wait_for
from katingan_sosmed import clock
from notifications.models import EmailStatus, Notification
from reports.models import AnnualReport, ReportFile, ReportFileStatus

from .conftest import DESKTOP, PHONE, screenshot, sign_in
from .worker import purge_broker, worker_process

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

H = dt.timedelta(hours=1)
# A redirect keeps the fragment of the page it came from (``#main`` after the skip link).
DETAIL_URL = re.compile(r"/pertanyaan/(\d+)/(?:#\w*)?$")
REPORT_URL = re.compile(r"/laporan/(\d+)/(?:#\w*)?$")

AUTHOR = "Yohanes Ringkai"
CONTACT = "0852-4900-7781"
TEXT = (
    "Selamat siang, akta kelahiran anak saya salah nama ibunya. "
    "Bagaimana cara membetulkannya dan berapa lama prosesnya?"
)
NOTE = "Mohon ditanggapi: pembetulan akta kelahiran adalah kewenangan Disdukcapil."
REPLY = (
    "Pembetulan akta kelahiran: datang ke Disdukcapil membawa akta asli, Kartu Keluarga "
    "dan KTP orang tua; akta yang benar selesai dalam tiga hari kerja, tanpa biaya."
)
ANSWER = (
    "Terima kasih. Menurut Disdukcapil, bawa akta asli, Kartu Keluarga dan KTP orang tua "
    "ke kantor Disdukcapil; akta yang dibetulkan selesai dalam tiga hari kerja, gratis."
)


@pytest.fixture(autouse=True)
def _empty_broker():
    """Before any fixture writes (autouse runs first): only this test's messages."""
    purge_broker()


@pytest.fixture
def worker_dir(tmp_path, settings):
    """The worker's VAR_DIR; the live server reads the files it writes (report PDFs)
    from the same media folder."""
    var_dir = tmp_path / "worker"
    settings.MEDIA_ROOT = var_dir / "media"
    return var_dir


def both_widths(page: Page, name: str) -> None:
    """A full-page screenshot at desktop width, then at phone width."""
    screenshot(page, f"journey-{name}-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, f"journey-{name}-phone")
    page.set_viewport_size(DESKTOP)


def status_of(page: Page) -> str | None:
    return page.locator("main h1 + [data-status]").get_attribute("data-status")


def click_and_wait(page: Page, button) -> None:
    with page.expect_navigation():
        button.click()


def menu(page: Page, name: str):
    """A link of the main navigation, by its name."""
    return page.locator("header").get_by_role("link", name=name, exact=True)


def unread_badge(page: Page):
    return page.locator('header a[data-nav="notifications:list"] [data-unread]')


# --- 1. Lampiran B across two agencies ------------------------------------------------------


def test_inquiry_forwarded_replied_answered_and_tracked(
    new_page, worker_dir, agency_a, agency_b, officer_a, officer_b
):
    channel = OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan")
    with worker_process(worker_dir, name="journey") as worker:
        # (a) Officer A records what came in on the agency's account, by its labels.
        page_a = new_page()
        sign_in(page_a, officer_a.username, PASSWORD)
        page_a.goto("/")
        click_and_wait(page_a, menu(page_a, "Pertanyaan publik"))
        click_and_wait(page_a, page_a.get_by_role("link", name="Catat pertanyaan publik").first)
        page_a.get_by_label("Kanal (akun resmi)").select_option(str(channel.pk))
        page_a.get_by_label("Jenis").select_option("pertanyaan")
        page_a.get_by_label("Nama atau nama akun pengirim").fill(AUTHOR)
        page_a.get_by_label("Kontak pengirim (opsional)").fill(CONTACT)
        page_a.get_by_label("Isi pertanyaan publik").fill(TEXT)
        page_a.get_by_label("Topik (opsional)").fill("akta kelahiran")
        both_widths(page_a, "1-record-form")
        click_and_wait(page_a, page_a.get_by_role("button", name="Simpan"))
        match = DETAIL_URL.search(page_a.url)
        assert match, page_a.url
        inquiry = Inquiry.objects.get(pk=int(match.group(1)))
        assert (inquiry.agency, inquiry.channel, inquiry.author_name) == (agency_a, channel, AUTHOR)
        assert status_of(page_a) == "recorded"
        expect(page_a.locator(".messages .alert-success")).to_contain_text(inquiry.tracking_code)

        # ... and forwards it to agency B, the agency with authority.
        page_a.get_by_role("combobox", name="Instansi yang berwenang").select_option(
            str(agency_b.pk)
        )
        page_a.get_by_role("textbox", name="Catatan untuk instansi (opsional)").fill(NOTE)
        click_and_wait(page_a, page_a.get_by_role("button", name="Teruskan", exact=True))
        assert status_of(page_a) == "forwarded"
        expect(page_a.locator("[data-countdown=left]")).to_be_visible()
        both_widths(page_a, "2-forwarded-by-a")
        forwarding = Forwarding.objects.get(inquiry=inquiry)
        assert (forwarding.from_agency, forwarding.to_agency) == (agency_a, agency_b)

        # (d, midway) The public tracks it by code: forwarded to B, awaiting its reply.
        public = new_page()
        public.goto("/lacak/")
        public.get_by_label("Kode lacak").fill(inquiry.tracking_code.lower())
        click_and_wait(public, public.get_by_role("button", name="Lacak"))
        expect(public.locator("main [data-status]")).to_have_attribute("data-status", "forwarded")
        expect(public.locator("main")).to_contain_text(agency_b.name)

        # (b) The notice of the forwarding was written with it; the worker e-mails it.
        received = Notification.objects.get(recipient=officer_b, kind=KIND_RECEIVED)
        wait_for(
            lambda: Notification.objects.get(pk=received.pk).email_status == EmailStatus.SENT,
            "the worker to e-mail the forwarding notice",
        )
        assert officer_b.email in worker.mail_recipients()

        page_b = new_page()
        sign_in(page_b, officer_b.username, PASSWORD)
        expect(unread_badge(page_b)).to_have_attribute("data-unread", "1")
        click_and_wait(page_b, page_b.get_by_role("link", name=re.compile(r"^Notifikasi")))
        notice = page_b.locator(f'li[data-notification="{received.pk}"]')
        expect(notice).to_contain_text(inquiry.tracking_code)
        expect(notice.locator("[data-email-status]")).to_have_count(0)  # sent: no warning

        # B's inbox, the box of inquiries forwarded to B: there, with the hours left.
        click_and_wait(page_b, menu(page_b, "Pertanyaan publik"))
        click_and_wait(page_b, page_b.get_by_role("link", name="Diteruskan kepada kami"))
        row = page_b.locator(f'tr[data-inquiry="{inquiry.pk}"]')
        expect(row.locator("[data-status]")).to_have_attribute("data-status", "forwarded")
        expect(row.locator("[data-overdue]")).to_have_count(0)
        # Just forwarded: 23 hours and some minutes (24 at a minute boundary) left.
        expect(row.locator("[data-countdown=left]")).to_have_text(re.compile(r"\b2[34]\b"))
        both_widths(page_b, "3-inbox-of-b")

        # B opens it (B handles it: the author's name in full, the contact on a click
        # that is audited) and replies.
        click_and_wait(page_b, row.get_by_role("link", name=inquiry.tracking_code))
        assert status_of(page_b) == "forwarded"
        expect(page_b.locator("[data-field=contact]")).to_contain_text("0852****781")
        detail = page_b.url
        click_and_wait(page_b, page_b.locator("form[data-reveal] button[type=submit]"))
        expect(page_b.locator("main")).to_contain_text(CONTACT)
        page_b.goto(detail)
        expect(page_b.locator("main")).to_contain_text(NOTE)
        reply = page_b.get_by_role("textbox", name="Beri tanggapan kepada instansi yang meneruskan")
        reply.fill(REPLY)
        both_widths(page_b, "4-reply-by-b")
        click_and_wait(page_b, page_b.get_by_role("button", name="Kirim tanggapan"))
        assert status_of(page_b) == "replied"
        expect(page_b.get_by_role("button", name="Kirim tanggapan")).to_have_count(0)

        # (c) Officer A answers the public from B's reply.
        page_a.reload()
        assert status_of(page_a) == "replied"
        expect(page_a.locator("[data-field=reply]")).to_have_text(REPLY)
        answer = page_a.get_by_role("textbox", name="Jawaban kepada publik")
        expect(answer).to_have_value(REPLY)  # prefilled with the reply, to adapt
        answer.fill(ANSWER)
        click_and_wait(page_a, page_a.get_by_role("button", name="Kirim jawaban"))
        assert status_of(page_a) == "answered"
        expect(page_a.locator("[data-field=answer]")).to_have_text(ANSWER)
        both_widths(page_a, "5-answered-by-a")

        # (d) The public page by the tracking code: answered, with the answer and the
        # agencies, and nothing personal.
        public.get_by_label("Kode lacak").fill(inquiry.tracking_code)
        click_and_wait(public, public.get_by_role("button", name="Lacak"))
        assert public.url.endswith(f"/lacak/{inquiry.tracking_code}/"), public.url
        expect(public.locator("main [data-status]")).to_have_attribute("data-status", "answered")
        expect(public.locator("main")).to_contain_text(ANSWER)
        expect(public.locator("main")).to_contain_text(agency_b.name)
        content = public.content()
        for private in (AUTHOR, CONTACT, TEXT, NOTE, REPLY, officer_a.get_full_name()):
            assert private not in content, private
        both_widths(public, "6-public-tracking")

    inquiry.refresh_from_db()
    forwarding.refresh_from_db()
    assert (inquiry.status, inquiry.answer_text) == ("answered", ANSWER)
    assert (forwarding.status, forwarding.replied_by, forwarding.replied_on_time) == (
        "replied",
        officer_b,
        True,
    )
    assert list(inquiry.events.order_by("at", "pk").values_list("action", flat=True)) == [
        "record",
        "forward",
        "reply",
        "answer_public",
    ]


# --- 2. Overdue: the sweep at a later clock --------------------------------------------------


def test_overdue_forwarding_is_swept_into_the_bell_of_the_receiving_officer(
    new_page, worker_dir, agency_a, agency_b, officer_a, officer_b
):
    now = clock.now()
    inquiry = InquiryFactory(
        agency=agency_a,
        channel=OfficialAccountFactory(agency=agency_a),
        received_at=now - 2 * H,
        recorded_at=now - H,
        recorded_by=officer_a,
    )
    # Its notice to B is written now; its e-mail waits on the broker for a worker.
    forwarding = flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_a, now=now)
    received = Notification.objects.get(recipient=officer_b, kind=KIND_RECEIVED)
    overdue = Notification.objects.filter(recipient=officer_b, kind=KIND_OVERDUE)

    # The next day, an hour past the deadline, nobody at B has replied.
    later = forwarding.due_at + H
    with (
        time_machine.travel(later, tick=True),
        worker_process(worker_dir, name="sweeper", clock_at=later) as worker,
    ):
        page_b = new_page()
        sign_in(page_b, officer_b.username, PASSWORD)
        expect(unread_badge(page_b)).to_have_attribute("data-unread", "1")  # the forwarding
        assert not overdue.exists()

        # The minute's sweep, as beat sends it; the worker runs it at its (moved) clock.
        sweep_deadlines.delay()
        wait_for(overdue.exists, "the sweep's overdue notice")
        notice = overdue.get()
        assert notice.key == f"fwd:{forwarding.pk}:overdue"
        sent = Notification.objects.filter(
            pk__in=[received.pk, notice.pk], email_status=EmailStatus.SENT
        )
        wait_for(lambda: sent.count() == 2, "the e-mails of both notices")
        assert worker.mail_recipients() == [officer_b.email] * 2
        assert "inquiries.sweep_deadlines" in worker.output()

        # The bell counts it; the list shows it with the tracking code and links to it.
        page_b.reload()
        expect(unread_badge(page_b)).to_have_attribute("data-unread", "2")
        bell = page_b.locator('header a[data-nav="notifications:list"]')
        expect(bell).to_have_attribute("aria-label", "Notifikasi: 2 belum dibaca")
        click_and_wait(page_b, bell)
        item = page_b.locator(f'li[data-notification="{notice.pk}"]')
        expect(item).to_contain_text(inquiry.tracking_code)
        expect(page_b.locator("main [data-email-status]")).to_have_count(0)  # all e-mailed
        both_widths(page_b, "7-overdue-notification")

        click_and_wait(page_b, item.get_by_role("link", name=re.compile(inquiry.tracking_code)))
        assert DETAIL_URL.search(page_b.url), page_b.url
        expect(page_b.locator("[data-countdown=overdue]")).to_be_visible()

        # The deadline board lists it as overdue.
        click_and_wait(page_b, menu(page_b, "Tenggat"))
        row = page_b.locator(f'tr[data-forwarding="{forwarding.pk}"]')
        expect(row.locator("[data-countdown=overdue]")).to_be_visible()
        expect(row).to_contain_text(inquiry.tracking_code)
        expect(page_b.locator("[data-own-rate] [data-overdue-count]")).to_have_text("1")
        both_widths(page_b, "8-deadline-board-overdue")

    forwarding.refresh_from_db()
    # Its next mark is the second escalation, 24 hours after the deadline.
    assert forwarding.next_notice_at == forwarding.due_at + 24 * H


# --- 3. The annual report, its evaluation and its PDF ---------------------------------------


def test_annual_report_submitted_evaluated_sent_and_downloaded_as_pdf(
    new_page, worker_dir, agency_a, pejabat_a, evaluator, pimpinan
):
    OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan")
    year = clock.now().year
    with worker_process(worker_dir, name="reports") as worker:
        # The pejabat starts the report, writes its narrative and submits it.
        page_p = new_page()
        sign_in(page_p, pejabat_a.username, PASSWORD)
        click_and_wait(page_p, menu(page_p, "Laporan tahunan"))
        page_p.locator("main").get_by_label("Tahun").first.fill(str(year))
        click_and_wait(page_p, page_p.get_by_role("button", name="Mulai laporan"))
        page_p.get_by_label("a. Gambaran umum kebijakan").fill(
            "Dinas Kesehatan melayani informasi kesehatan melalui dua akun resmi; petugas "
            "menyiapkan unggahan, pejabat menyetujuinya."
        )
        page_p.get_by_label("g. Kendala eksternal").fill("Sinyal internet lemah di hulu sungai.")
        page_p.get_by_label("g. Kendala internal").fill("Baru satu petugas bersertifikat.")
        page_p.get_by_label("h. Rekomendasi dan rencana tindak lanjut").fill(
            "Menambah satu petugas dan pelatihan penulisan unggahan."
        )
        page_p.get_by_label("Komputer").check()
        page_p.get_by_label("Jaringan listrik").check()
        click_and_wait(page_p, page_p.get_by_role("button", name="Simpan"))
        match = REPORT_URL.search(page_p.url)
        assert match, page_p.url
        report = AnnualReport.objects.get(pk=int(match.group(1)))
        assert (report.agency, report.year) == (agency_a, year)
        badge = page_p.locator("main h1 [data-status]")
        expect(badge).to_have_attribute("data-status", "draft")
        click_and_wait(
            page_p, page_p.get_by_role("button", name="Ajukan kepada Bupati melalui Diskominfo")
        )
        expect(badge).to_have_attribute("data-status", "submitted")
        expect(page_p.locator("[data-frozen]")).to_be_visible()
        both_widths(page_p, "9-report-submitted")

        # The evaluator takes it up, writes the evaluation, finishes it and sends it on.
        page_e = new_page()
        sign_in(page_e, evaluator.username, PASSWORD)
        page_e.goto("/laporan/?status=submitted")
        click_and_wait(page_e, page_e.locator(f'tr[data-report="{report.pk}"]').get_by_role("link"))
        badge = page_e.locator("main h1 [data-status]")
        click_and_wait(page_e, page_e.get_by_role("button", name="Mulai evaluasi"))
        expect(badge).to_have_attribute("data-status", "evaluating")
        click_and_wait(page_e, page_e.get_by_role("link", name="Tulis evaluasi"))
        page_e.get_by_label(re.compile(r"^a\. .*: temuan$")).fill(
            "Uraian kebijakan jelas; alur persetujuan unggahan tertulis."
        )
        page_e.get_by_label(re.compile(r"^f\. .*: temuan$")).fill(
            "Semua pertanyaan yang diteruskan dibalas dalam 24 jam."
        )
        page_e.get_by_label("Kesimpulan umum").fill("Baik; lanjutkan, tambah petugas.")
        both_widths(page_e, "10-evaluation-form")
        click_and_wait(page_e, page_e.get_by_role("button", name="Simpan dan selesaikan evaluasi"))
        expect(badge).to_have_attribute("data-status", "evaluated")
        expect(page_e.locator("[data-evaluation]")).to_contain_text("Baik; lanjutkan")
        click_and_wait(page_e, page_e.get_by_role("button", name="Sampaikan kepada Bupati"))
        expect(badge).to_have_attribute("data-status", "sent")

        # The Pimpinan opens it and asks for the PDF; the worker builds it while the page
        # polls (htmx, every 2 s) and then shows the link.
        page_l = new_page()
        sign_in(page_l, pimpinan.username, PASSWORD)
        click_and_wait(page_l, menu(page_l, "Laporan tahunan"))
        row = page_l.locator(f'tr[data-report="{report.pk}"]')
        expect(row.locator("[data-status]")).to_have_attribute("data-status", "sent")
        click_and_wait(page_l, row.get_by_role("link"))
        panel = page_l.locator("#berkas")
        expect(panel).to_have_attribute("data-file-status", "none")
        click_and_wait(page_l, panel.get_by_role("button", name="Buat PDF"))
        expect(page_l.locator("#berkas")).to_have_attribute(
            "data-file-status", re.compile("pending|running|done")
        )
        link = page_l.locator("#berkas").get_by_role("link", name="Unduh PDF")
        expect(link).to_be_visible(timeout=90_000)
        expect(page_l.locator("#berkas")).to_have_attribute("data-file-status", "done")
        both_widths(page_l, "11-pdf-ready-for-pimpinan")
        with page_l.expect_download() as download_info:
            link.click()
        download = download_info.value
        content = download.path().read_bytes()
        assert content.startswith(b"%PDF"), content[:40]
        output = worker.output()

    built = ReportFile.objects.get(report=report)
    assert download.suggested_filename == f"laporan-dinkes-{year}-v{built.report_version}.pdf"
    assert (built.status, built.requested_by) == (ReportFileStatus.DONE, pimpinan)
    assert "reports.build_file" in output and "succeeded" in output, output[-2000:]
    report.refresh_from_db()
    assert report.status == "sent"
    assert list(report.events.order_by("at", "pk").values_list("action", flat=True)) == [
        "create",
        "edit",
        "submit",
        "evaluate_start",
        "evaluated",
        "send",
    ]
