"""The report pages: who may open and move what (a matrix over every URL and role),
the path through the pages, the previous year's evaluation while drafting, the table
exports and the weekly reminders."""

import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.urls import reverse

from notifications.models import Notification
from reports.models import AnnualReport, Evaluation, ReportEvent, ReportFile, ReportStatus
from reports.reminders import reminder_year, send_report_reminders
from reports.services import (
    evaluation_save,
    evaluation_start,
    report_create,
    report_edit,
    report_evaluated,
    report_submit,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 1, 10, 2, 0, tzinfo=dt.UTC)
S = ReportStatus


@pytest.fixture(autouse=True)
def _fixed(settings, time_machine):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    time_machine.move_to(NOW, tick=False)


def narrative(report, by, now=NOW):
    return report_edit(
        report=report,
        by=by,
        now=now,
        expected_version=report.version,
        policy_overview="Kebijakan.",
        constraints_internal="Kendala internal.",
        facilities={"computer": True},
    )


@pytest.fixture
def rep(agency_a, officer_a, pejabat_a, evaluator):
    """Agency A's reports: 2026 as a draft and 2025 submitted, under evaluation."""
    draft = narrative(report_create(agency=agency_a, year=2026, by=officer_a, now=NOW), officer_a)
    older = narrative(report_create(agency=agency_a, year=2025, by=officer_a, now=NOW), officer_a)
    report_submit(report=older, by=pejabat_a, now=NOW)
    evaluation_start(report=older, by=evaluator, now=NOW)
    return SimpleNamespace(draft=draft, evaluating=AnnualReport.objects.get(pk=older.pk))


ROLES = [
    "anonymous",
    "officer_a",
    "pejabat_a",
    "officer_b",
    "evaluator",
    "pimpinan",
    "administrator",
    "outsider",
]


def matrix(*values):
    return dict(zip(ROLES[1:], values, strict=True))


LIST = matrix(200, 200, 200, 200, 200, 200, 200)
READ = matrix(200, 200, 404, 200, 200, 200, 404)
EDIT = matrix(200, 200, 404, 403, 403, 200, 404)
CREATE = matrix(302, 302, 302, 403, 403, 200, 403)  # the administrator gets the chooser
AGENCY_STEP = matrix("refused", 302, 404, 403, 403, 302, 404)  # a petugas does not submit
EVALUATOR_STEP = matrix(403, 403, 403, 302, 403, 302, 403)
EVALUATOR_PAGE = matrix(403, 403, 403, 200, 403, 200, 403)
# Asking for a PDF: whoever reads the report (a new ReportFile row).
ASK = matrix(302, 302, 404, 302, 302, 302, 404)
REGENCY = matrix(403, 403, 403, 200, 200, 200, 403)
REGENCY_ASK = matrix(403, 403, 403, 302, 302, 302, 403)

ROUTES = [
    ("report_list", None, "get", LIST, None),
    ("report_create", None, "post", CREATE, {"year": "2024"}),
    ("report_detail", "draft", "get", READ, None),
    ("report_detail", "evaluating", "get", READ, None),
    ("report_edit", "draft", "get", EDIT, None),
    ("report_edit", "draft", "post", EDIT, {}),
    ("report_submit", "draft", "post", AGENCY_STEP, {}),
    ("evaluation_edit", "evaluating", "get", EVALUATOR_PAGE, None),
    ("report_return", "evaluating", "post", EVALUATOR_STEP, {"note": "Lengkapi."}),
    ("file_request", "evaluating", "post", ASK, {}),
    ("file_status", "evaluating", "get", READ, None),
    ("regency", None, "get", REGENCY, None),
    ("regency_file_request", None, "post", REGENCY_ASK, {"tahun": "2026"}),
    ("regency_file_status", None, "get", REGENCY, None),
    ("regency_export", "csv", "get", REGENCY, None),
]


def state():
    return (
        tuple(AnnualReport.objects.order_by("pk").values_list("status", "version")),
        ReportEvent.objects.count(),
        ReportFile.objects.count(),
    )


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize(
    ("name", "target", "method", "expected", "data"),
    ROUTES,
    ids=[f"{m}-{n}-{t}" for n, t, m, _e, _d in ROUTES],
)
def test_permission_matrix(client, request, rep, who, name, target, method, expected, data):
    if target in ("csv", "xlsx"):
        args = [target]
    else:
        args = [getattr(rep, target).pk] if target else []
    url = reverse(f"reports:{name}", args=args)
    before = state()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(url, data) if method == "post" else client.get(url)
    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert state() == before
        return
    want = expected[who]
    if want == "refused":
        assert response.status_code == 302 and state() == before
        return
    assert response.status_code == want, (who, name, method)
    if (
        method == "post"
        and want == 302
        and name != "report_create"
        or (name == "report_create" and want == 302 and who in ("officer_a", "pejabat_a"))
    ):
        assert state() != before
    elif method == "get" or want in (403, 404):
        assert state() == before


def test_table_exports_are_scoped_and_hold_the_figures(client, rep, officer_a, officer_b):
    client.force_login(officer_a)
    url = reverse("reports:table_export", args=[rep.draft.pk, "diteruskan", "csv"])
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert rows[0][0] == "Angka"
    xlsx = client.get(reverse("reports:table_export", args=[rep.draft.pk, "khalayak", "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    assert (
        client.get(reverse("reports:table_export", args=[rep.draft.pk, "lain", "csv"])).status_code
        == 404
    )
    client.force_login(officer_b)
    assert client.get(url).status_code == 404


def test_the_path_through_the_pages(client, agency_a, officer_a, pejabat_a, evaluator):
    client.force_login(officer_a)
    client.post(reverse("reports:report_create"), {"year": "2026"})
    report = AnnualReport.objects.get()
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    for letter in "abcdefgh":
        assert f'data-section="{letter}"' in page
    client.post(
        reverse("reports:report_edit", args=[report.pk]),
        {
            "version": report.version,
            "policy_overview": "Kebijakan Dinkes.",
            "constraints_internal": "Dua petugas.",
            "facility_computer": "on",
        },
    )
    client.force_login(pejabat_a)
    client.post(reverse("reports:report_submit", args=[report.pk]))
    client.force_login(evaluator)
    client.post(reverse("reports:evaluation_start", args=[report.pk]))
    client.post(
        reverse("reports:evaluation_edit", args=[report.pk]),
        {"b_findings": "Pengikut tumbuh.", "conclusion": "Baik.", "finish": "yes"},
    )
    client.post(reverse("reports:report_send", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == S.SENT
    assert report.facilities == {"computer": True, "electricity": False, "internet": False}
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "data-frozen" in page and "Pengikut tumbuh." in page


def test_last_years_evaluation_is_shown_while_drafting(client, rep, evaluator, officer_a):
    evaluation_save(
        report=rep.evaluating,
        by=evaluator,
        now=NOW,
        sections={},
        conclusion="Tingkatkan balasan 24 jam.",
    )
    report_evaluated(report=rep.evaluating, by=evaluator, now=NOW)
    client.force_login(officer_a)
    page = client.get(reverse("reports:report_detail", args=[rep.draft.pk])).content.decode()
    assert "data-previous-evaluation" in page and "Tingkatkan balasan 24 jam." in page
    assert Evaluation.objects.get(report=rep.evaluating).completed_at == NOW


# --- Reminders ------------------------------------------------------------------------


def test_the_reminder_year_turns_on_the_first_of_december(settings):
    assert reminder_year(dt.date(2026, 11, 30)) == 2025
    assert reminder_year(dt.date(2026, 12, 1)) == 2026
    assert reminder_year(dt.date(2027, 1, 10)) == 2026
    settings.REPORT_REMINDER_FROM = "11-15"
    assert reminder_year(dt.date(2026, 11, 20)) == 2026


def test_reminders_go_weekly_to_agencies_that_have_not_submitted(
    agency_a, agency_b, officer_a, pejabat_a, officer_b, evaluator
):
    monday = dt.datetime(2027, 1, 4, 1, 0, tzinfo=dt.UTC)
    # Agency A submitted its 2026 report; agency B did not (and Diskominfo did not).
    report = narrative(
        report_create(agency=agency_a, year=2026, by=officer_a, now=monday), officer_a, monday
    )
    report_submit(report=report, by=pejabat_a, now=monday)
    assert send_report_reminders(now=monday) == 1  # officer_b; the evaluator is no petugas
    assert send_report_reminders(now=monday + dt.timedelta(days=2)) == 0  # same week
    assert send_report_reminders(now=monday + dt.timedelta(days=7)) == 1  # next week
    notices = Notification.objects.filter(kind="report_reminder")
    assert set(notices.values_list("recipient__username", flat=True)) == {"petugas_b"}
    assert notices.count() == 2


def test_a_pdf_is_asked_for_built_and_downloaded_only_in_scope(
    client, rep, pimpinan, officer_b, django_capture_on_commit_callbacks
):
    from reports.tasks import build_report_file

    client.force_login(pimpinan)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:file_request", args=[rep.evaluating.pk]))
        client.post(reverse("reports:file_request", args=[rep.evaluating.pk]))
    report_file = ReportFile.objects.get()  # asked twice, one file
    status = reverse("reports:file_status", args=[rep.evaluating.pk])
    assert 'hx-trigger="every 2s"' in client.get(status).content.decode()
    build_report_file(report_file.pk)
    panel = client.get(status).content.decode()
    assert "hx-trigger" not in panel and "data-file-link" in panel
    download = client.get(reverse("reports:file_download", args=[report_file.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(officer_b)
    assert client.get(reverse("reports:file_download", args=[report_file.pk])).status_code == 404


def test_the_regency_page_lists_every_agency_with_its_report_status(
    client, rep, pimpinan, agency_b
):
    client.force_login(pimpinan)
    page = client.get(reverse("reports:regency"), {"tahun": "2025"}).content.decode()
    assert 'data-agency="dinkes"' in page and 'data-agency="disdukcapil"' in page
    row = page.split('data-agency="dinkes"')[1].split("</tr>")[0]
    assert str(S.UNDER_EVALUATION.label) in row


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_table_of_the_report_downloads(client, rep, officer_a, fmt):
    from openpyxl import load_workbook

    from reports import tables
    from reports.views import figures_of

    client.force_login(officer_a)
    figures = figures_of(rep.draft)
    for name in tables.TABLES:
        response = client.get(reverse("reports:table_export", args=[rep.draft.pk, name, fmt]))
        assert response.status_code == 200, name
        header, rows = tables.table(name, figures)
        if fmt == "csv":
            got = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        else:
            sheet = load_workbook(io.BytesIO(response.content)).active
            got = [
                ["" if c is None else str(c) for c in row]
                for row in sheet.iter_rows(values_only=True)
            ]
        assert got[0] == [str(h) for h in header], name
        assert len(got) == len(rows) + 1, name


def test_the_admin_lists_reports_read_only(client, rep, administrator):
    client.force_login(administrator)
    for name in ("annualreport", "evaluation", "reportfile"):
        assert client.get(reverse(f"admin:reports_{name}_changelist")).status_code == 200
    change = client.get(reverse("admin:reports_annualreport_change", args=[rep.draft.pk]))
    assert change.status_code == 200
    assert client.get(reverse("admin:reports_annualreport_add")).status_code == 403


def test_the_scoring_rubric_is_a_setting(client, rep, evaluator, settings):
    url = reverse("reports:evaluation_edit", args=[rep.evaluating.pk])
    client.force_login(evaluator)
    assert 'name="b_score"' not in client.get(url).content.decode()
    settings.REPORT_SCORING = True
    assert 'name="b_score"' in client.get(url).content.decode()
    client.post(url, {"b_findings": "Baik.", "b_score": "4", "conclusion": "Cukup."})
    assert Evaluation.objects.get(report=rep.evaluating).sections["b"]["score"] == 4
