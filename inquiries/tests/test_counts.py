"""The stored daily counters of the dashboard (inquiries.counts): every step of the
flow keeps them equal to a recount of the inquiries, they count WIB days, concurrent
recordings lose no increment, and the rebuild command finds and repairs a drift."""

import datetime as dt
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from accounts.roles import Role
from accounts.tests.factories import AgencyFactory, OfficialAccountFactory, UserFactory
from inquiries import counts, flow
from inquiries.models import DailyCount, DismissReason, ForwardingDailyCount, InquiryKind
from inquiries.tests.factories import InquiryFactory

WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def stored(agency) -> dict[dt.date, tuple[int, int, int, int, int, int]]:
    """(questions, comments, criticisms, suggestions, answered directly, forwarded) per day."""
    return {
        row.day: (
            row.questions,
            row.comments,
            row.criticisms,
            row.suggestions,
            row.answered_directly,
            row.forwarded,
        )
        for row in DailyCount.objects.filter(agency=agency)
    }


def forwarded_to(agency) -> dict[dt.date, tuple[int, int, int, int]]:
    """(total, replied, on time, late) per day of forwarding."""
    return {
        row.day: (row.total, row.replied, row.replied_on_time, row.replied_late)
        for row in ForwardingDailyCount.objects.filter(agency=agency)
    }


@pytest.mark.django_db
def test_every_step_of_the_flow_moves_the_counters_as_a_recount(
    agency_a, agency_b, officer_a, officer_b
):
    agency_c = AgencyFactory(slug="bappeda", name="Bappeda")
    officer_c = UserFactory(agency=agency_c, roles=[Role.PETUGAS])
    channel = OfficialAccountFactory(agency=agency_a)
    day = dt.date(2026, 3, 1)
    received = dt.datetime(2026, 3, 1, 20, 0, tzinfo=WIB)

    def record(kind=InquiryKind.QUESTION):
        return InquiryFactory(agency=agency_a, channel=channel, kind=kind, received_at=received)

    direct, forwarded, dismissed, _criticism = record(), record(), record(), record("kritik")
    rerouted = record()
    assert stored(agency_a) == {day: (4, 0, 1, 0, 0, 0)}
    assert dt.date(2026, 3, 1).weekday() == 6  # a Sunday: its week began on 23 February
    assert DailyCount.objects.get(agency=agency_a).week == dt.date(2026, 2, 23)

    flow.inquiry_answer_directly(inquiry=direct, by=officer_a, answer_text="Ya.", now=NOW)
    flow.inquiry_close(inquiry=direct, by=officer_a, now=NOW + H)
    flow.inquiry_forward(inquiry=forwarded, to_agency=agency_b, by=officer_a, now=NOW)
    # Replied 30 hours after the forwarding: late.
    flow.forwarding_reply(inquiry=forwarded, by=officer_b, reply_text="Begini.", now=NOW + 30 * H)
    flow.inquiry_answer_public(
        inquiry=forwarded, by=officer_a, answer_text="Jadi.", now=NOW + 31 * H
    )
    flow.inquiry_forward(inquiry=dismissed, to_agency=agency_b, by=officer_a, now=NOW)
    flow.inquiry_dismiss(
        inquiry=dismissed, by=officer_a, reason=DismissReason.SPAM, note="Iklan.", now=NOW + H
    )
    flow.inquiry_forward(inquiry=rerouted, to_agency=agency_b, by=officer_a, now=NOW)
    flow.forwarding_reroute(inquiry=rerouted, to_agency=agency_c, by=officer_b, now=NOW + H)
    flow.forwarding_reply(inquiry=rerouted, by=officer_c, reply_text="Kami.", now=NOW + 2 * H)

    # Answered after a forwarding is not "answered directly"; a dismissed inquiry was
    # still forwarded; the criticism was never touched. Counted where received.
    assert stored(agency_a) == {day: (4, 0, 1, 0, 1, 3)}
    assert stored(agency_b) == {}
    # B: the late reply and the re-routed one count; the cancelled one does not.
    # C: the re-routed one, replied on time.
    assert forwarded_to(agency_b) == {NOW.date(): (2, 1, 0, 1)}
    assert forwarded_to(agency_c) == {NOW.date(): (1, 1, 1, 0)}
    assert counts.differences() == []


@pytest.mark.django_db
def test_counters_count_days_in_wib(agency_a):
    channel = OfficialAccountFactory(agency=agency_a)
    # 23:30 WIB on 1 March is 16:30 UTC that day; 00:10 WIB on 2 March is 17:10 UTC on 1 March.
    InquiryFactory(
        agency=agency_a, channel=channel, received_at=dt.datetime(2026, 3, 1, 16, 30, tzinfo=dt.UTC)
    )
    InquiryFactory(
        agency=agency_a, channel=channel, received_at=dt.datetime(2026, 3, 1, 17, 10, tzinfo=dt.UTC)
    )
    assert stored(agency_a) == {
        dt.date(2026, 3, 1): (1, 0, 0, 0, 0, 0),
        dt.date(2026, 3, 2): (1, 0, 0, 0, 0, 0),
    }
    assert counts.differences() == []


@pytest.mark.django_db
def test_counters_are_read_for_whole_local_days_only():
    midnight = dt.datetime(2026, 3, 1, tzinfo=WIB)
    assert counts.local_days(midnight, midnight + 24 * H) == (
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 2),
    )
    with pytest.raises(ValueError):
        list(counts.inquiries_per_week(start=midnight + H, end=midnight + 24 * H, agency_ids=[1]))


@pytest.mark.django_db
def test_the_command_reports_a_drift_and_the_rebuild_repairs_it(agency_a, capsys):
    channel = OfficialAccountFactory(agency=agency_a)
    for minute in range(3):
        InquiryFactory(
            agency=agency_a, channel=channel, received_at=NOW + minute * dt.timedelta(minutes=1)
        )
    call_command("rebuild_inquiry_counts", "--check")
    DailyCount.objects.filter(agency=agency_a).update(questions=7)
    other = AgencyFactory()
    DailyCount.objects.create(
        agency=other, day=dt.date(2026, 1, 1), week=dt.date(2025, 12, 29), suggestions=1
    )
    with pytest.raises(CommandError, match="2 daily counters differ"):
        call_command("rebuild_inquiry_counts", "--check")

    call_command("rebuild_inquiry_counts")
    assert "1 daily counters rebuilt" in capsys.readouterr().out
    assert stored(agency_a) == {dt.date(2026, 3, 2): (3, 0, 0, 0, 0, 0)}
    assert not DailyCount.objects.filter(agency=other).exists()
    call_command("rebuild_inquiry_counts", "--check")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_recordings_of_one_day_lose_no_increment(agency_a):
    """Eight officers record at once into the same, not yet existing, counter row:
    the upsert turns the race into eight increments."""
    channel = OfficialAccountFactory(agency=agency_a)
    barrier = threading.Barrier(8)
    errors = []

    def record(n):
        try:
            barrier.wait(timeout=20)
            flow.inquiry_record(
                agency=agency_a,
                channel=channel,
                kind=InquiryKind.SUGGESTION,
                author_name="Warga",
                text=f"Saran {n}",
                received_at=NOW,
                by=None,
                now=NOW,
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert stored(agency_a) == {dt.date(2026, 3, 2): (0, 0, 0, 8, 0, 0)}
