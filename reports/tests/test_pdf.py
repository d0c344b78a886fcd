"""The printed annual and regency reports: a hand-counted year, rendered to PDF, read
back with ``pdftotext``; the file task, the command, escaping and the URL fetcher.

``pdftotext`` (poppler) is required: a missing binary fails the tests, never skips.
"""

import datetime as dt
import re
import shutil
import subprocess
import time
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext

from accounts.tests.factories import AgencyFactory, OfficialAccountFactory
from inquiries.models import ForwardingStatus, InquiryKind
from inquiries.tests.factories import InquiryFactory, forwarding_made
from publications.models import AudienceSnapshot, PostCategory, Recommendation
from publications.tests.factories import PostMetricFactory, PublishedPostFactory
from reports import pdf, services
from reports.files import request_file
from reports.models import SECTIONS, ReportFile, ReportFileKind, ReportFileStatus
from reports.tasks import build_file

pytestmark = pytest.mark.django_db

WIB = dt.timezone(dt.timedelta(hours=7))
CREATED = dt.datetime(2027, 1, 5, 2, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2027, 1, 10, 2, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
XSS = '<script>alert(1)</script> <img src="http://example.com/x.png">'


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at(month, day, hour=9, year=2026):
    return dt.datetime(year, month, day, hour, tzinfo=WIB)


def t(message) -> str:
    """A label as the PDF prints it (the id locale, translated or not yet)."""
    with translation.override("id"):
        return gettext(message) if isinstance(message, str) else str(message)


def pdf_text(content: bytes, tmp_path, *, layout: bool = True) -> str:
    """The PDF's text by ``pdftotext`` (``-layout``: table rows on one line; without:
    each cell's text in reading order), whitespace collapsed to single spaces."""
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is required"
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    out = subprocess.run(
        ["pdftotext", *(["-layout"] if layout else []), str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return " ".join(out.split())


@pytest.fixture
def year_of_work(agency_a, agency_b, officer_a, officer_b):
    """Agency A's 2026, counted by hand in the comments."""
    ig = OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan")
    fb = OfficialAccountFactory(agency=agency_a, platform="facebook", handle="dinkes.ktg")

    def snap(account, day, followers):
        AudienceSnapshot.objects.create(
            account=account,
            taken_on=day,
            followers=followers,
            source="manual",
            recorded_by=officer_a,
            recorded_at=NOW,
        )

    # b: audience at 31 Dec 2026 = 1.500 + 2.734 = 4.234; at its start 1.000.
    snap(ig, dt.date(2025, 12, 31), 1000)
    snap(ig, dt.date(2026, 12, 31), 1500)
    snap(fb, dt.date(2026, 6, 1), 2734)

    # c: 5 posts — 3 kegiatan (Jan, Jan, Mar), 1 isu aktual (Mar), 1 kebijakan (Dec).
    k, i, p = (
        PostCategory.AGENCY_ACTIVITY,
        PostCategory.CURRENT_ISSUE,
        PostCategory.GOVERNMENT_POLICY,
    )
    posts = [
        PublishedPostFactory(account=ig, category=k, published_at=at(1, 5)),
        PublishedPostFactory(account=ig, category=k, published_at=at(1, 20)),
        PublishedPostFactory(account=fb, category=k, published_at=at(3, 2)),
        PublishedPostFactory(account=fb, category=i, published_at=at(3, 9)),
        PublishedPostFactory(account=ig, category=p, published_at=at(12, 1)),
    ]
    # d–f: comments 4 + 1.200 + 2 = 1.206; shares 1 + 5 = 6; forwards 3 + 1 = 4.
    PostMetricFactory(post=posts[0], read_on=dt.date(2026, 1, 12), comments=4, shares=1)
    PostMetricFactory(
        post=posts[1], read_on=dt.date(2026, 2, 1), comments=1200, shares=5, forwards=3
    )
    PostMetricFactory(post=posts[3], read_on=dt.date(2026, 3, 10), comments=2, forwards=1)

    # d: 5 inquiries: 3 questions (KTP ×2, Jadwal), 1 criticism (ktp), 1 comment (none).
    Q, C, K = InquiryKind.QUESTION, InquiryKind.COMMENT, InquiryKind.CRITICISM
    received = [
        InquiryFactory(agency=agency_a, channel=ig, kind=Q, topics=["KTP"], received_at=at(2, 1)),
        InquiryFactory(agency=agency_a, channel=ig, kind=Q, topics=["KTP"], received_at=at(2, 2)),
        InquiryFactory(
            agency=agency_a, channel=ig, kind=Q, topics=["Jadwal"], received_at=at(4, 1)
        ),
        InquiryFactory(agency=agency_a, channel=ig, kind=K, topics=["ktp"], received_at=at(5, 1)),
        InquiryFactory(agency=agency_a, channel=ig, kind=C, topics=[], received_at=at(6, 1)),
    ]
    # e: two answers to the public: messages sent = 5 posts + 2 answers = 7.
    for inquiry in received[:2]:
        inquiry.answered_at = inquiry.received_at + H
        inquiry.save(update_fields=["answered_at"])

    # f: received from B: 4 replied on time, 1 late, 1 open overdue → 4 / 6 = 66,7 %.
    b_account = OfficialAccountFactory(agency=agency_b)

    def forward(when, *, replied_after=None):
        inquiry = InquiryFactory(agency=agency_b, channel=b_account, received_at=when - H)
        forwarding_made(
            inquiry=inquiry,
            from_agency=agency_b,
            to_agency=agency_a,
            forwarded_by=officer_b,
            forwarded_at=when,
            due_at=when + 24 * H,
            status=ForwardingStatus.REPLIED if replied_after else ForwardingStatus.OPEN,
            replied_at=when + replied_after if replied_after else None,
            replied_by=officer_a if replied_after else None,
        )

    for day in (1, 2, 3, 4):
        forward(at(7, day), replied_after=2 * H)
    forward(at(7, 10), replied_after=30 * H)
    forward(at(12, 30))

    # h: one recommendation.
    Recommendation.objects.create(
        agency=agency_a,
        title="Percepat balasan pesan",
        body="Balas pesan dalam 24 jam.",
        follow_up="Piket admin bergilir.",
        created_by=officer_a,
        created_at=at(10, 1),
        updated_at=at(10, 1),
    )
    return {"ig": ig, "fb": fb}


def _draft(agency_a, officer_a, **narrative):
    report = services.report_create(agency=agency_a, year=2026, by=officer_a, now=CREATED)
    defaults = {
        "policy_overview": "Dinkes mengelola dua akun resmi.",
        "constraints_external": "Sinyal internet lemah di hulu sungai.",
        "constraints_internal": "Petugas admin hanya dua orang.",
        "recommendations_text": "Menambah petugas piket.",
        "facilities": {"computer": True, "electricity": True, "internet": False},
    }
    return services.report_edit(
        report=report,
        by=officer_a,
        now=CREATED,
        expected_version=report.version,
        **{**defaults, **narrative},
    )


@pytest.fixture
def submitted(year_of_work, agency_a, officer_a, pejabat_a):
    report = _draft(agency_a, officer_a)
    return services.report_submit(report=report, by=pejabat_a, now=NOW)


@pytest.fixture
def evaluated(submitted, evaluator):
    services.evaluation_start(report=submitted, by=evaluator, now=NOW + H)
    services.evaluation_save(
        report=submitted,
        by=evaluator,
        now=NOW + 2 * H,
        sections={"f": {"findings": "Satu penerusan terlambat.", "recommendations": "Piket."}},
        conclusion="Laporan lengkap dan sesuai Pasal 15.",
    )
    report = services.report_evaluated(report=submitted, by=evaluator, now=NOW + 3 * H)
    report.refresh_from_db()
    return report


def test_annual_pdf_prints_every_section_and_the_hand_counted_figures(evaluated, tmp_path):
    started = time.monotonic()
    content = pdf.annual_report_pdf(evaluated, now=NOW)
    elapsed = time.monotonic() - started
    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    print(f"annual PDF rendered in {elapsed:.2f} s")

    assert "PEMERINTAH KABUPATEN KATINGAN" in text
    assert "Laporan Layanan Informasi melalui Media Sosial Tahun 2026" in text
    assert "DINAS KESEHATAN" in text
    with translation.override("id"):
        for letter, label in SECTIONS.items():
            # Once in the table of contents, once as the section's heading.
            assert text.count(f"{letter}. {label}") >= 2, letter
    # b: the audience per account and in total (thousands with a dot).
    assert re.search(r"@dinkes\.katingan 1\.000 1\.500 500", text)
    assert re.search(r"dinkes\.ktg – 2\.734 –", text)
    assert f"{t('Total audience')} 1.000 4.234" in text
    # c: per category, and per month.
    assert f"{t(PostCategory.AGENCY_ACTIVITY.label)} 3" in text
    assert f"{t(PostCategory.CURRENT_ISSUE.label)} 1" in text
    assert f"{t(PostCategory.GOVERNMENT_POLICY.label)} 1" in text
    assert f"{t('Posts published')} 5" in text
    assert "Januari 2 0 0 2" in text and "Maret 1 1 0 2" in text and "Desember 0 0 1 1" in text
    # d: comments and inquiries by kind and topic.
    assert f"{t('Comments on the posts')} 1.206" in text
    assert f"{t('Inquiries received')} 5" in text
    assert re.search(r"KTP 2 0 1 0 3", text)
    # e: shares and messages sent.
    assert f"{t('Shares of the posts')} 6" in text
    assert f"{t('Answers to the public')} 2" in text
    assert f"{t('Messages sent')} 7" in text
    # f: forwards and forwardings received: 4 of 6 within 24 hours.
    assert f"{t('Forwards (reposts) of the posts')} 4" in text
    assert f"{t('Forwardings received from other agencies')} 6" in text
    assert f"{t('… replied within 24 hours')} 4" in text
    assert f"{t('… replied late')} 1" in text
    assert f"{t('… still open past the deadline')} 1" in text
    assert f"{t('Replied within 24 hours (rate)')} 66,7 %" in text
    # g: the narratives and the facilities checklist.
    assert "Sinyal internet lemah di hulu sungai." in text
    assert "✓" in text and "✗" in text
    # h: the narrative and the recorded recommendation.
    assert "Menambah petugas piket." in text
    raw = pdf_text(content, tmp_path, layout=False)
    assert "Percepat balasan pesan" in raw and "Piket admin bergilir." in raw
    # Evaluation and signature.
    assert "Laporan lengkap dan sesuai Pasal 15." in text
    assert "Satu penerusan terlambat." in text
    assert "Pejabat Penanggung Jawab" in text
    assert "Kasongan, 10 Januari 2027" in text
    assert evaluated.submitted_by.get_full_name() in text
    assert "Halaman 1 dari" in text


def test_draft_prints_a_preview_computed_now(year_of_work, agency_a, officer_a, tmp_path):
    report = _draft(agency_a, officer_a)
    assert report.snapshot == {}
    text = pdf_text(pdf.annual_report_pdf(report, now=NOW), tmp_path)
    assert f"{t('Total audience')} 1.000 4.234" in text
    assert f"{t('Replied within 24 hours (rate)')} 66,7 %" in text


def test_narrative_html_is_escaped_and_nothing_external_is_fetched(
    year_of_work, agency_a, officer_a
):
    report = _draft(agency_a, officer_a, policy_overview=XSS, constraints_internal=XSS)
    html = pdf.annual_report_html(report, now=NOW)
    assert "<script>" not in html and '<img src="http://example.com' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=&quot;http://example.com/x.png&quot;&gt;" in html

    spy = pdf.url_fetcher()
    assert pdf.annual_report_pdf(report, now=NOW, fetcher=spy).startswith(b"%PDF")
    assert spy.refused == []
    assert spy.fetched and all(url.endswith("/reports/pdf.css") for url in spy.fetched)


def test_url_fetcher_refuses_everything_but_static_files():
    import weasyprint

    fetcher = pdf.url_fetcher()
    for url in ("http://example.com/x.png", "https://example.com/a.css", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"
    # Wired into a render, an external image is refused, not fetched.
    spy = pdf.url_fetcher()
    weasyprint.HTML(
        string='<p>x</p><img src="http://example.com/x.png">',
        base_url=pdf.base_url(),
        url_fetcher=spy,
    ).write_pdf()
    assert spy.refused == ["http://example.com/x.png"]


def test_regency_pdf_lists_each_active_agency(
    submitted, agency_b, tmp_path, django_assert_max_num_queries
):
    AgencyFactory(name="Dinas Lama", short_name="Lama", slug="lama", is_active=False)
    from reports.regency import compile_regency

    with django_assert_max_num_queries(8):
        data = compile_regency(2026, now=NOW)
    rows = {row["slug"]: row for row in data["rows"]}
    assert set(rows) == {"dinkes", "disdukcapil"}
    assert (rows["dinkes"]["posts"], rows["dinkes"]["audience"]) == (5, 4234)
    assert rows["dinkes"]["forwardings_received"] == 6
    assert rows["disdukcapil"]["status"] == ""
    # More agencies, same queries.
    for n in range(5):
        AgencyFactory(name=f"Kecamatan Uji {n}", slug=f"kec-uji-{n}")
    with django_assert_max_num_queries(8):
        compile_regency(2026, now=NOW)

    content = pdf.regency_report_pdf(2026, now=NOW)
    text, raw = pdf_text(content, tmp_path), pdf_text(content, tmp_path, layout=False)
    for n in range(5):
        assert f"Kecamatan Uji {n}" in raw
    assert "Dinas Kesehatan" in raw and "Dinas Kependudukan dan Pencatatan Sipil" in raw
    assert "Dinas Lama" not in raw
    assert "66,7 %" in text and "4.234" in text
    assert t("Not started") in raw


def test_command_writes_the_pdf(submitted, tmp_path):
    out = tmp_path / "dinkes.pdf"
    call_command("build_report", agency="dinkes", year=2026, output=str(out))
    assert out.read_bytes().startswith(b"%PDF")
    regency = tmp_path / "kabupaten.pdf"
    call_command("build_report", "--regency", "--year", "2026", "--output", str(regency))
    assert regency.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError):
        call_command("build_report", agency="dinkes", year=2025, output=str(tmp_path / "x.pdf"))


def test_task_builds_the_file_once(submitted, pejabat_a, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(build_file, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        report_file = request_file(
            report=submitted, kind=ReportFileKind.ANNUAL, by=pejabat_a, now=NOW
        )
    delay.assert_called_once_with(report_file.pk)
    assert report_file.status == ReportFileStatus.PENDING

    assert build_file.apply((report_file.pk,)).get() is True
    report_file.refresh_from_db()
    assert report_file.status == ReportFileStatus.DONE and report_file.finished_at
    assert report_file.document.name.endswith(f"laporan-dinkes-2026-v{submitted.version}.pdf")
    with report_file.document.open("rb") as fh:
        assert fh.read(4) == b"%PDF"
    finished, name = report_file.finished_at, report_file.document.name

    # A second run leaves it alone; asking again reuses it.
    assert build_file.apply((report_file.pk,)).get() is False
    report_file.refresh_from_db()
    assert (report_file.finished_at, report_file.document.name) == (finished, name)
    with mock.patch.object(build_file, "delay") as delay:
        again = request_file(report=submitted, kind=ReportFileKind.ANNUAL, by=pejabat_a, now=NOW)
    assert again.pk == report_file.pk and not delay.called
    assert ReportFile.objects.count() == 1


def test_task_records_a_failure(submitted, pejabat_a, django_capture_on_commit_callbacks):
    with mock.patch.object(build_file, "delay"), django_capture_on_commit_callbacks(execute=True):
        report_file = request_file(year=2026, kind=ReportFileKind.REGENCY, by=pejabat_a, now=NOW)
    with mock.patch("reports.pdf.regency_report_pdf", side_effect=RuntimeError("boom")):
        assert build_file.apply((report_file.pk,)).get() is False
    report_file.refresh_from_db()
    assert report_file.status == ReportFileStatus.FAILED and "boom" in report_file.error
    # Built again, it succeeds under the regency name.
    assert build_file.apply((report_file.pk,)).get() is True
    report_file.refresh_from_db()
    assert report_file.document.name.endswith("laporan-kabupaten-2026.pdf")
