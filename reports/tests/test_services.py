"""The report workflow (Pasal 15–16): who moves each step, the frozen figures, revision."""

import datetime as dt

import pytest

from accounts.tests.factories import OfficialAccountFactory
from audit.models import AuditEvent
from publications.tests.factories import PublishedPostFactory
from reports.models import AnnualReport, ReportStatus
from reports.services import (
    ReportError,
    evaluation_save,
    evaluation_start,
    report_create,
    report_edit,
    report_evaluated,
    report_return,
    report_send,
    report_submit,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 1, 10, 2, 0, tzinfo=dt.UTC)
WIB = dt.timezone(dt.timedelta(hours=7))
S = ReportStatus


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def written(report, by):
    return report_edit(
        report=report,
        by=by,
        now=NOW,
        expected_version=report.version,
        policy_overview="Kebijakan layanan informasi Dinkes.",
        constraints_internal="Petugas baru dua orang.",
        constraints_external="Sinyal lemah di hulu.",
        recommendations_text="Tambah petugas.",
        facilities={"computer": True, "electricity": True, "internet": False},
    )


@pytest.fixture
def draft(agency_a, officer_a):
    return written(report_create(agency=agency_a, year=2026, by=officer_a, now=NOW), officer_a)


def test_the_whole_path_and_its_history(draft, pejabat_a, evaluator):
    report = report_submit(report=draft, by=pejabat_a, now=NOW)
    assert report.status == S.SUBMITTED and report.snapshot["year"] == 2026
    evaluation_start(report=report, by=evaluator, now=NOW)
    evaluation_save(
        report=report,
        by=evaluator,
        now=NOW,
        sections={"b": {"findings": "Pengikut naik.", "recommendations": "Pertahankan."}},
        conclusion="Baik.",
    )
    report_evaluated(report=report, by=evaluator, now=NOW)
    report = report_send(report=report, by=evaluator, now=NOW)
    assert report.status == S.SENT and report.sent_at == NOW
    assert list(report.events.values_list("action", flat=True)) == [
        "create",
        "edit",
        "submit",
        "evaluate_start",
        "evaluated",
        "send",
    ]
    assert report.evaluation.sections["b"]["findings"] == "Pengikut naik."
    assert AuditEvent.objects.filter(action__startswith="report_").count() == 6


def test_a_submitted_report_does_not_change_when_new_data_arrives(draft, pejabat_a, agency_a):
    account = OfficialAccountFactory(agency=agency_a)
    PublishedPostFactory(account=account, published_at=dt.datetime(2026, 5, 1, 9, tzinfo=WIB))
    report = report_submit(report=draft, by=pejabat_a, now=NOW)
    frozen = AnnualReport.objects.get(pk=report.pk).snapshot
    assert frozen["c"]["posts"] == 1
    PublishedPostFactory(account=account, published_at=dt.datetime(2026, 6, 1, 9, tzinfo=WIB))
    assert AnnualReport.objects.get(pk=report.pk).snapshot == frozen
    with pytest.raises(ReportError):
        report_edit(
            report=report,
            by=pejabat_a,
            now=NOW,
            expected_version=report.version,
            policy_overview="Diubah",
        )


def test_a_returned_report_is_revised_and_resubmitted_with_fresh_figures(
    draft, pejabat_a, evaluator, officer_a, agency_a
):
    report = report_submit(report=draft, by=pejabat_a, now=NOW)
    with pytest.raises(ReportError, match="revisi|revised"):
        report_return(report=report, by=evaluator, note=" ", now=NOW)
    report = report_return(report=report, by=evaluator, note="Lengkapi bagian g.", now=NOW)
    assert report.status == S.RETURNED
    PublishedPostFactory(
        account=OfficialAccountFactory(agency=agency_a),
        published_at=dt.datetime(2026, 7, 1, 9, tzinfo=WIB),
    )
    report = report_edit(
        report=report,
        by=officer_a,
        now=NOW,
        expected_version=report.version,
        constraints_external="Sinyal lemah; listrik padam.",
    )
    report = report_submit(report=report, by=pejabat_a, now=NOW + dt.timedelta(days=1))
    assert report.status == S.SUBMITTED
    assert report.snapshot["c"]["posts"] == 1


@pytest.mark.parametrize(
    ("step", "who"),
    [
        ("submit", "officer_a"),  # a petugas drafts; only the pejabat submits
        ("submit", "officer_b"),
        ("submit", "evaluator"),
        ("start", "pejabat_a"),
        ("start", "pimpinan"),
        ("return", "pejabat_a"),
    ],
)
def test_only_the_allowed_role_moves_each_step(request, draft, pejabat_a, step, who):
    user = request.getfixturevalue(who)
    if step != "submit":
        report_submit(report=draft, by=pejabat_a, now=NOW)
    before = AnnualReport.objects.get(pk=draft.pk).status
    with pytest.raises(ReportError):
        if step == "submit":
            report_submit(report=draft, by=user, now=NOW)
        elif step == "start":
            evaluation_start(report=draft, by=user, now=NOW)
        else:
            report_return(report=draft, by=user, note="x", now=NOW)
    assert AnnualReport.objects.get(pk=draft.pk).status == before


def test_submission_needs_the_narrative(agency_a, officer_a, pejabat_a):
    report = report_create(agency=agency_a, year=2026, by=officer_a, now=NOW)
    with pytest.raises(ReportError):
        report_submit(report=report, by=pejabat_a, now=NOW)


def test_one_report_per_agency_and_year_and_none_for_the_future(agency_a, officer_a, draft):
    with pytest.raises(ReportError):
        report_create(agency=agency_a, year=2026, by=officer_a, now=NOW)
    with pytest.raises(ReportError):
        report_create(agency=agency_a, year=2028, by=officer_a, now=NOW)


def test_a_stale_edit_is_refused(draft, officer_a):
    with pytest.raises(ReportError):
        report_edit(
            report=draft,
            by=officer_a,
            now=NOW,
            expected_version=draft.version - 1,
            policy_overview="Lama",
        )


def test_the_evaluation_needs_a_conclusion(draft, pejabat_a, evaluator):
    report_submit(report=draft, by=pejabat_a, now=NOW)
    evaluation_start(report=draft, by=evaluator, now=NOW)
    with pytest.raises(ReportError):
        report_evaluated(report=draft, by=evaluator, now=NOW)
