"""The deadline sweep: reminders, overdue notices and escalations of forwardings."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AppointmentRole
from accounts.roles import Role
from accounts.tests.factories import (
    AgencyFactory,
    AppointmentFactory,
    DecreeFactory,
    OfficialAccountFactory,
    UserFactory,
)
from inquiries import flow
from inquiries.deadlines import deadline_sweep
from inquiries.notices import KIND_RECEIVED
from inquiries.tasks import sweep_deadlines
from notifications.models import Notification

T = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # 08:00 WIB
H = dt.timedelta(hours=1)
S = dt.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEADLINE_REMINDER_HOURS = (6, 1)
    settings.DEADLINE_SECOND_ESCALATION_HOURS = 24


@pytest.fixture
def pejabat_b(agency_b):
    return UserFactory(username="pejabat_b", agency=agency_b, roles=[Role.PEJABAT])


@pytest.fixture
def people(cast, pejabat_b):
    retired = UserFactory(
        username="petugas_b_lama", agency=cast["officer_b"].agency, roles=[Role.PETUGAS]
    )
    retired.is_active = False
    retired.save(update_fields=["is_active"])
    return {**cast, "pejabat_b": pejabat_b, "retired": retired}


def record(agency, by, n=0):
    inquiry, _ = flow.inquiry_record(
        agency=agency,
        channel=OfficialAccountFactory(agency=agency),
        kind="pertanyaan",
        author_name="Budi Santoso",
        text=f"Bagaimana cara mengurus KTP elektronik yang hilang? ({n})",
        received_at=T - H,
        by=by,
        now=T - H + S,
    )
    return inquiry


@pytest.fixture
def forwarding(people, agency_b):
    inquiry = record(people["officer_a"].agency, people["officer_a"])
    return flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=people["officer_a"], now=T)


def keys(forwarding=None):
    rows = Notification.objects.exclude(kind=KIND_RECEIVED).order_by("key", "recipient__username")
    if forwarding is not None:
        rows = rows.filter(key__startswith=f"fwd:{forwarding.pk}:")
    return [(n.key.split(":", 2)[2], n.recipient.username) for n in rows]


def test_nothing_before_the_first_mark(forwarding):
    assert deadline_sweep(now=T + 17 * H + 59 * dt.timedelta(minutes=1)) == {
        "reminder": 0,
        "overdue": 0,
        "escalation": 0,
    }
    assert not Notification.objects.exclude(kind=KIND_RECEIVED).exists()


def test_the_whole_clock_with_each_notice_once(forwarding):
    assert deadline_sweep(now=T + 18 * H)["reminder"] == 2
    assert deadline_sweep(now=T + 18 * H)["reminder"] == 0  # a second sweep: nothing new
    assert keys() == [("reminder:6h", "pejabat_b"), ("reminder:6h", "petugas_b")]

    assert deadline_sweep(now=T + 23 * H)["reminder"] == 2
    assert deadline_sweep(now=T + 24 * H) == {"reminder": 0, "overdue": 0, "escalation": 0}
    assert not Notification.objects.filter(key__contains="overdue").exists()

    assert deadline_sweep(now=T + 24 * H + S) == {"reminder": 0, "overdue": 2, "escalation": 2}
    assert deadline_sweep(now=T + 24 * H + S) == {"reminder": 0, "overdue": 0, "escalation": 0}
    assert deadline_sweep(now=T + 30 * H) == {"reminder": 0, "overdue": 0, "escalation": 0}
    assert deadline_sweep(now=T + 48 * H + S) == {"reminder": 0, "overdue": 0, "escalation": 2}
    assert deadline_sweep(now=T + 49 * H) == {"reminder": 0, "overdue": 0, "escalation": 0}
    assert keys() == [
        ("escalation:1", "evaluator"),
        ("escalation:1", "pejabat_b"),
        ("escalation:2", "evaluator"),
        ("escalation:2", "pejabat_b"),
        ("overdue", "pejabat_b"),
        ("overdue", "petugas_b"),
        ("reminder:1h", "pejabat_b"),
        ("reminder:1h", "petugas_b"),
        ("reminder:6h", "pejabat_b"),
        ("reminder:6h", "petugas_b"),
    ]
    overdue = Notification.objects.get(key__endswith=":overdue", recipient__username="petugas_b")
    # Due 02-03-2026 01:00 UTC + 24 h = 03-03-2026 08:00 WIB.
    assert (
        overdue.title == f"Terlambat: pertanyaan publik {forwarding.inquiry.tracking_code} "
        "seharusnya ditanggapi pada 03-03-2026 08:00 WIB"
    )
    assert overdue.url == reverse("inquiries:detail", args=[forwarding.inquiry_id])
    assert overdue.created_at == T + 24 * H + S


def test_a_reply_before_the_deadline_stops_every_later_notice(forwarding, people):
    deadline_sweep(now=T + 18 * H)
    flow.forwarding_reply(
        inquiry=forwarding.inquiry, by=people["officer_b"], reply_text="Sudah.", now=T + 24 * H - S
    )
    for at in (T + 23 * H + 30 * dt.timedelta(minutes=1), T + 24 * H + S, T + 50 * H):
        assert deadline_sweep(now=at) == {"reminder": 0, "overdue": 0, "escalation": 0}
    assert [k for k, _ in keys()] == ["reminder:6h", "reminder:6h"]


def test_a_sweep_found_late_sends_only_the_nearest_reminder(forwarding):
    deadline_sweep(now=T + 23 * H + 30 * dt.timedelta(minutes=1))
    assert {k for k, _ in keys()} == {"reminder:1h"}


def test_catch_up_after_a_long_outage(forwarding):
    assert deadline_sweep(now=T + 30 * H) == {"reminder": 0, "overdue": 2, "escalation": 2}
    assert {k for k, _ in keys()} == {"overdue", "escalation:1"}
    body = Notification.objects.filter(key__endswith=":overdue").first().body
    assert "6" in body  # 6 hours late


def test_recipients_by_role_and_agency(forwarding, people):
    deadline_sweep(now=T + 20 * H)
    deadline_sweep(now=T + 25 * H)
    got = {}
    for key, username in keys():
        got.setdefault(username, set()).add(key.split(":")[0])
    assert got == {
        "petugas_b": {"reminder", "overdue"},
        "pejabat_b": {"reminder", "overdue", "escalation"},
        "evaluator": {"escalation"},
    }
    # Nothing to the receiving agency, other agencies, Pimpinan, inactive or role-less users.


def test_appointments_decide_when_the_agency_has_them(forwarding, agency_b, people):
    decree = DecreeFactory(agency=agency_b)
    appointed = AppointmentFactory(decree=decree, role=AppointmentRole.PETUGAS).user
    ended = AppointmentFactory(
        decree=decree, role=AppointmentRole.PEJABAT, ends_on=dt.date(2026, 2, 1)
    ).user
    deadline_sweep(now=T + 25 * H)
    assert {u for _, u in keys()} == {appointed.username, "evaluator"}
    assert ended.username not in {u for _, u in keys()}


def test_a_rerouted_forwarding_keeps_no_clock(forwarding, people, agency_b):
    agency_c = AgencyFactory(name="Dinas Sosial", short_name="Dinsos", slug="dinsos")
    UserFactory(username="petugas_c", agency=agency_c, roles=[Role.PETUGAS])
    deadline_sweep(now=T + 18 * H)
    second = flow.forwarding_reroute(
        inquiry=forwarding.inquiry, to_agency=agency_c, by=people["officer_b"], now=T + 20 * H
    )
    deadline_sweep(now=T + 23 * H)
    deadline_sweep(now=T + 30 * H)
    assert [k for k, _ in keys(forwarding)] == ["reminder:6h", "reminder:6h"]
    # The new forwarding has its own clock: due at T + 44 h, 6 h reminder from T + 38 h.
    assert keys(second) == []
    deadline_sweep(now=T + 38 * H)
    assert keys(second) == [("reminder:6h", "petugas_c")]


def _sweep_queries(now):
    """(queries other than INSERTs, INSERTs, notices written) of one sweep."""
    with CaptureQueriesContext(connection) as ctx:
        counts = deadline_sweep(now=now)
    inserts = sum(q["sql"].startswith("INSERT") for q in ctx.captured_queries)
    return len(ctx.captured_queries) - inserts, inserts, sum(counts.values())


def _sweep_after_forwarding(people, agency_b, n):
    for i in range(n):
        inquiry = record(people["officer_a"].agency, people["officer_a"], n=i)
        flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=people["officer_a"], now=T)
    return _sweep_queries(T + 25 * H)


@pytest.mark.parametrize("n", [5, 20])
def test_queries_do_not_grow_per_forwarding(people, agency_b, n):
    # The batch (locked), the working calendar, agency names, people of agency B (appointments,
    # then roles), evaluators, the batch's next marks; savepoints around them. Then
    # the notices: on PostgreSQL one INSERT … ON CONFLICT DO NOTHING; elsewhere a
    # lookup of the existing ones, a savepoint and INSERTs (SQLite splits them every
    # ~60 rows).
    queries, inserts, notices = _sweep_after_forwarding(people, agency_b, n)
    assert notices == n * 4
    if connection.vendor == "postgresql":
        assert (queries, inserts) == (9, 1)
    else:
        assert (queries, inserts) == (12, -(-notices // 66))
    # A repeated sweep finds nothing due: one index probe, whatever n is.
    assert _sweep_queries(T + 25 * H) == (3, 0, 0)  # savepoint, select, release


def test_the_task_and_the_command_read_the_clock(forwarding, capsys):
    with time_machine.travel(T + 18 * H, tick=False):
        assert sweep_deadlines() == {"reminder": 2, "overdue": 0, "escalation": 0}
    with time_machine.travel(T + 24 * H + S, tick=False):
        call_command("sweep_deadlines")
    out = capsys.readouterr().out
    assert "overdue: 2" in out and "escalation: 2" in out
    assert Notification.objects.exclude(kind=KIND_RECEIVED).count() == 6


def test_next_notice_at_walks_the_marks_and_ends(forwarding):
    due = T + 24 * H
    assert forwarding.next_notice_at == due - 6 * H
    marks = []
    for at in (T + 18 * H, T + 23 * H, T + 24 * H + S, T + 48 * H):
        deadline_sweep(now=at)
        forwarding.refresh_from_db()
        marks.append(forwarding.next_notice_at)
    assert marks == [due - H, due + dt.timedelta(microseconds=1), due + 24 * H, None]


def test_a_clock_jumping_back_neither_unmarks_nor_repeats(forwarding):
    assert deadline_sweep(now=T + 25 * H)["overdue"] == 2
    written = Notification.objects.count()
    for at in (T + 23 * H, T + 18 * H, T + 25 * H):
        assert deadline_sweep(now=at) == {"reminder": 0, "overdue": 0, "escalation": 0}
    assert Notification.objects.count() == written


def test_a_sweep_that_dies_midway_loses_and_doubles_nothing(people, agency_b, monkeypatch):
    """A worker killed in the middle of a sweep: the batches committed before stay,
    the batch in flight rolls back whole, and the next sweep finishes the rest."""
    import inquiries.deadlines as deadlines

    forwardings = []
    for i in range(3):
        inquiry = record(people["officer_a"].agency, people["officer_a"], n=i)
        forwardings.append(
            flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=people["officer_a"], now=T)
        )
    write = deadlines.notifications_create_many
    calls = []

    def dies_on_the_second_batch(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise SystemExit("worker lost")
        return write(**kwargs)

    monkeypatch.setattr(deadlines, "notifications_create_many", dies_on_the_second_batch)
    with pytest.raises(SystemExit):
        deadline_sweep(now=T + 25 * H, batch_size=1)
    assert [len(keys(f)) for f in forwardings] == [4, 0, 0]

    monkeypatch.setattr(deadlines, "notifications_create_many", write)
    assert deadline_sweep(now=T + 25 * H, batch_size=1)["overdue"] == 4
    assert [len(keys(f)) for f in forwardings] == [4, 4, 4]
    assert deadline_sweep(now=T + 25 * H) == {"reminder": 0, "overdue": 0, "escalation": 0}


def test_the_receiving_agency_is_told_at_once_and_once(forwarding, people, agency_b):
    received = Notification.objects.filter(kind=KIND_RECEIVED).order_by("recipient__username")
    assert [(n.recipient.username, n.key) for n in received] == [
        ("pejabat_b", f"fwd:{forwarding.pk}:received"),
        ("petugas_b", f"fwd:{forwarding.pk}:received"),
    ]
    code = forwarding.inquiry.tracking_code
    assert received[0].title == (
        f"Pertanyaan publik baru diteruskan kepada Anda: {code}, tanggapi paling lambat "
        "03-03-2026 08:00 WIB"
    )
    assert received[0].created_at == T
    # A re-routing tells the next agency, not again the previous one.
    agency_c = AgencyFactory(name="Dinas Sosial", short_name="Dinsos", slug="dinsos")
    UserFactory(username="petugas_c", agency=agency_c, roles=[Role.PETUGAS])
    second = flow.forwarding_reroute(
        inquiry=forwarding.inquiry, to_agency=agency_c, by=people["officer_b"], now=T + H
    )
    assert list(
        Notification.objects.filter(
            kind=KIND_RECEIVED, key__startswith=f"fwd:{second.pk}:"
        ).values_list("recipient__username", flat=True)
    ) == ["petugas_c"]
    assert Notification.objects.filter(kind=KIND_RECEIVED).count() == 3


def test_a_backlog_starts_one_helper_sweep_and_a_helper_starts_none(
    people, agency_b, monkeypatch, settings
):
    settings.DEADLINE_SWEEP_BATCH_SIZE = 2
    settings.DEADLINE_SWEEP_HELPERS = 1
    for i in range(5):
        inquiry = record(people["officer_a"].agency, people["officer_a"], n=i)
        flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=people["officer_a"], now=T)
    started = []
    monkeypatch.setattr(sweep_deadlines, "apply_async", lambda **kw: started.append(kw))
    with time_machine.travel(T + 25 * H, tick=False):
        assert sweep_deadlines()["overdue"] == 10
        assert started == [{"kwargs": {"helper": True}, "expires": 55}]
        assert sweep_deadlines(helper=True) == {"reminder": 0, "overdue": 0, "escalation": 0}
    assert len(started) == 1
