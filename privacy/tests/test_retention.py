"""Retention (UU 27/2022): the citizen's details of inquiries closed longer than the
retention period are anonymised, exactly those, and no figure of a past report moves."""

import datetime as dt

import pytest

from audit.models import AuditEvent
from inquiries import counts
from inquiries.models import Forwarding, Inquiry, InquiryEvent
from inquiries.tests.factories import InquiryFactory, bring_to
from privacy.models import RetentionRun, SubjectRequest
from privacy.services import ANONYMOUS, REDACTED, retention_apply
from privacy.tasks import apply_retention
from reports.compile import compile_report

pytestmark = pytest.mark.django_db

WIB = dt.timezone(dt.timedelta(hours=7))
# Handled in the first months of 2024; the run happens on 1 June 2026, with two years'
# retention, so the cutoff is 1 June 2024 (730 days earlier, 2024 being a leap year).
HANDLED = dt.datetime(2024, 2, 1, 9, 0, tzinfo=WIB)
RUN = dt.datetime(2026, 6, 1, 2, 30, tzinfo=WIB)
CUTOFF = RUN - dt.timedelta(days=730)


@pytest.fixture
def year_2024(settings, agency_a, agency_b, officer_a, officer_b):
    """Inquiries of agency A in 2024 in every state, and when their handling ended."""
    settings.PERSONAL_DATA_RETENTION_DAYS = 730

    def made(path, *, at, holders=(), **fields):
        inquiry = InquiryFactory(
            agency=agency_a,
            received_at=at - dt.timedelta(hours=2),
            recorded_at=at - dt.timedelta(hours=1),
            **fields,
        )
        return bring_to(path, inquiry, receiver=officer_a, holders=holders, now=at)

    via_b = [(officer_b, agency_b)]
    return {
        # Ended before the cutoff: anonymised.
        "answered_directly": made(
            "answered_directly",
            at=HANDLED,
            author_name="Budi Santoso",
            author_contact="0812-3456-7789",
            text="Nomor saya 0812 3456 7789, surel budi@contoh.id, akun @budisan. Kapan buka?",
            source_url="https://www.instagram.com/p/abc123/",
        ),
        "answered_after_forwarding": made("answered", at=HANDLED, holders=via_b),
        "closed": made("closed", at=HANDLED),
        "dismissed": made("dismissed", at=HANDLED),
        # Ended after the cutoff: kept.
        "answered_later": made(
            "answered_directly", at=CUTOFF + dt.timedelta(days=1), author_name="Siti Aminah"
        ),
        # Never ended (open since 2024): kept, however old.
        "open": made("recorded", at=HANDLED, author_name="Yulianus Ringkai"),
        "awaiting_reply": made("forwarded", at=HANDLED, holders=via_b),
    }


EXPIRED = {"answered_directly", "answered_after_forwarding", "closed", "dismissed"}


def test_exactly_the_expired_closed_inquiries_are_anonymised(year_2024, time_machine):
    before = {name: (i.author_name, i.author_contact) for name, i in year_2024.items()}
    time_machine.move_to(RUN, tick=False)

    run = retention_apply()

    anonymised = {
        name
        for name, inquiry in year_2024.items()
        if Inquiry.objects.get(pk=inquiry.pk).anonymised_at is not None
    }
    assert anonymised == EXPIRED
    for name, inquiry in year_2024.items():
        inquiry.refresh_from_db()
        if name in EXPIRED:
            assert (inquiry.author_name, inquiry.author_contact, inquiry.source_url) == (
                ANONYMOUS,
                "",
                "",
            )
            assert inquiry.anonymised_at == RUN
        else:
            assert (inquiry.author_name, inquiry.author_contact) == before[name]
    assert (run.inquiries, run.cutoff, run.retention_days) == (4, CUTOFF, 730)
    assert run.finished_at is not None


def test_contact_details_written_into_the_texts_are_scrubbed(year_2024, time_machine):
    time_machine.move_to(RUN, tick=False)
    retention_apply()
    inquiry = Inquiry.objects.get(pk=year_2024["answered_directly"].pk)
    assert inquiry.text == (
        f"Nomor saya {REDACTED}, surel {REDACTED}, akun {REDACTED}. Kapan buka?"
    )
    # What the inquiry was about stays: the agency's answers and the texts themselves.
    assert "Kapan buka?" in inquiry.text
    assert inquiry.answer_text
    history = list(InquiryEvent.objects.filter(inquiry=inquiry).values_list("action", flat=True))
    assert history[-1] == "anonymise"


def test_every_figure_of_the_past_report_is_unchanged(year_2024, agency_a, agency_b, time_machine):
    fixed = dt.datetime(2026, 5, 31, 12, 0, tzinfo=WIB)
    figures_before = [compile_report(agency, 2024, now=fixed) for agency in (agency_a, agency_b)]
    counters_before = sorted(counts.DailyCount.objects.values_list("agency", "day", "questions"))
    time_machine.move_to(RUN, tick=False)

    assert retention_apply().inquiries == 4

    assert [compile_report(agency, 2024, now=fixed) for agency in (agency_a, agency_b)] == (
        figures_before
    )
    assert figures_before[0]["a"]  # the report does count these inquiries
    assert sorted(counts.DailyCount.objects.values_list("agency", "day", "questions")) == (
        counters_before
    )
    assert counts.differences() == []


def test_forwarding_notes_and_replies_are_scrubbed_too(year_2024, time_machine):
    inquiry = year_2024["answered_after_forwarding"]
    Forwarding.objects.filter(inquiry=inquiry).update(
        note="Warga bisa dihubungi di +62 812-3456-7789",
        reply_text="Sudah kami telepon 081234567789",
    )
    time_machine.move_to(RUN, tick=False)
    retention_apply()
    forwarding = Forwarding.objects.get(inquiry=inquiry)
    assert (forwarding.note, forwarding.reply_text) == (
        f"Warga bisa dihubungi di {REDACTED}",
        f"Sudah kami telepon {REDACTED}",
    )


def test_a_second_run_anonymises_nothing_more_and_each_run_is_logged(year_2024, time_machine):
    time_machine.move_to(RUN, tick=False)
    first = retention_apply()
    time_machine.move_to(RUN + dt.timedelta(days=1), tick=False)
    second = retention_apply()
    assert (first.inquiries, second.inquiries) == (4, 0)
    assert RetentionRun.objects.count() == 2
    # One audit event per anonymised inquiry, by the system.
    events = AuditEvent.objects.filter(action="anonymise")
    assert events.count() == 4
    assert set(events.values_list("actor", flat=True)) == {None}


def test_the_day_before_the_cutoff_nothing_is_due(year_2024, time_machine):
    time_machine.move_to(HANDLED + dt.timedelta(days=729), tick=False)
    assert retention_apply().inquiries == 0
    assert not Inquiry.objects.filter(anonymised_at__isnull=False).exists()


def test_the_period_comes_from_the_settings(year_2024, settings, time_machine):
    settings.PERSONAL_DATA_RETENTION_DAYS = 3650
    time_machine.move_to(RUN, tick=False)
    assert retention_apply().inquiries == 0


def test_closed_subject_requests_past_the_period_are_anonymised(year_2024, evaluator, time_machine):
    def request(received_at, **fields):
        return SubjectRequest.objects.create(
            kind="access",
            requester_name="Budi Santoso",
            identifier="@budisan",
            received_at=received_at,
            due_at=received_at + dt.timedelta(hours=72),
            recorded_at=received_at,
            recorded_by=evaluator,
            **fields,
        )

    old = request(HANDLED, status="done", resolved_at=HANDLED + dt.timedelta(days=1))
    recent = request(RUN - dt.timedelta(days=2))
    time_machine.move_to(RUN, tick=False)
    run = retention_apply()
    assert run.subject_requests == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.requester_name, old.identifier) == (ANONYMOUS, REDACTED)
    assert recent.requester_name != ANONYMOUS
    assert SubjectRequest.objects.filter(anonymised_at__isnull=False).count() == 1


def test_the_daily_task_runs_the_rule(year_2024, settings, time_machine):
    assert settings.CELERY_BEAT_SCHEDULE["personal-data-retention"]["task"] == (
        "privacy.apply_retention"
    )
    time_machine.move_to(RUN, tick=False)
    run_id = apply_retention.apply().get()
    assert RetentionRun.objects.get(pk=run_id).inquiries == 4


def test_old_sign_in_records_are_deleted_by_the_run(settings, time_machine):
    from axes.models import AccessLog

    settings.SIGN_IN_LOG_RETENTION_DAYS = 90
    time_machine.move_to(RUN - dt.timedelta(days=91), tick=False)
    old = AccessLog.objects.create(username="petugas_a", ip_address="10.0.0.1", user_agent="x")
    time_machine.move_to(RUN - dt.timedelta(days=89), tick=False)
    recent = AccessLog.objects.create(username="petugas_a", ip_address="10.0.0.2", user_agent="x")
    time_machine.move_to(RUN, tick=False)
    run = retention_apply(now=RUN)
    assert run.sign_in_records == 1
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AccessLog.objects.filter(pk=old.pk).exists()
