"""Two officers acting on the same inquiry at the same moment (RELIABILITY 33, 34).

On PostgreSQL every test runs its calls in two (or more) threads, each with its own
database connection, in real transactions: once released together by a barrier, and
once in a forced interleaving where the first call holds its lock until the second is
seen waiting for it. The result must be the same whichever wins: one transition
succeeds, the other is refused with a FlowError, and no update is lost.

SQLite cannot run writers side by side, so there the same calls run one after the
other (the sequential variant) and the same assertions hold.
"""

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, connections, transaction

from accounts.roles import Role
from accounts.tests.factories import AgencyFactory, OfficialAccountFactory, UserFactory
from inquiries import flow
from inquiries.models import Forwarding, ForwardingStatus, Inquiry, InquiryEvent, InquiryStatus
from inquiries.tests.factories import InquiryFactory

# serialized_rollback: the flush after a transactional test empties the role groups
# that a data migration made; this puts them back for the next test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NOW = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=2)
PARALLEL = connection.vendor == "postgresql"
TIMEOUT = 20  # seconds; a hang is a failure, not a wait for luck


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Running calls at once ----------------------------------------------------------------


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None

    @property
    def won(self) -> bool:
        return self.error is None


def _call(fn: Callable[[], Any]) -> Outcome:
    try:
        return Outcome(value=fn())
    except flow.FlowError as error:
        return Outcome(error=error)


def _threads(targets: list[Callable[[], None]]) -> None:
    errors: list[BaseException] = []

    def run(target):
        try:
            target()
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    if errors:
        raise errors[0]


def together(*calls: Callable[[], Any]) -> list[Outcome]:
    """Run the calls at the same moment, each in its own thread and connection."""
    if not PARALLEL:
        return [_call(fn) for fn in calls]
    outcomes: list[Outcome | None] = [None] * len(calls)
    barrier = threading.Barrier(len(calls), timeout=TIMEOUT)

    def worker(index: int) -> Callable[[], None]:
        def target():
            connection.ensure_connection()
            barrier.wait()
            outcomes[index] = _call(calls[index])

        return target

    _threads([worker(i) for i in range(len(calls))])
    return outcomes  # type: ignore[return-value]


def _wait_until_blocked(pid: int) -> None:
    """Return once the backend ``pid`` waits for a lock (polled, with a deadline)."""
    deadline = time.monotonic() + TIMEOUT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
            if row and row[0] == "Lock":
                return
            time.sleep(0.005)
    raise AssertionError("the second call never waited for the first one's lock")


def first_then_waiting(first: Callable[[], Any], second: Callable[[], Any]) -> list[Outcome]:
    """``first`` acts and keeps its transaction open until ``second`` is seen blocked on
    its lock; then ``first`` commits and ``second`` goes on with what it finds."""
    if not PARALLEL:
        return [_call(first), _call(second)]
    outcomes: list[Outcome | None] = [None, None]
    acted = threading.Event()
    second_pid: list[int] = []

    def run_first():
        try:
            with transaction.atomic():
                outcomes[0] = _call(first)
                acted.set()
                while not second_pid:
                    time.sleep(0.001)
                _wait_until_blocked(second_pid[0])
        finally:
            acted.set()

    def run_second():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        assert acted.wait(TIMEOUT)
        second_pid.append(pid)
        outcomes[1] = _call(second)

    _threads([run_first, run_second])
    return outcomes  # type: ignore[return-value]


# --- Cast and invariants ------------------------------------------------------------------


@pytest.fixture
def agency_c(db):
    return AgencyFactory(name="Dinas Sosial", short_name="Dinsos", slug="dinsos")


@pytest.fixture
def agency_d(db):
    return AgencyFactory(
        name="Dinas Pekerjaan Umum dan Penataan Ruang", short_name="PUPR", slug="pupr"
    )


@pytest.fixture
def officer_a2(agency_a):
    return UserFactory(
        username="petugas_a2", full_name="Siti Aminah", agency=agency_a, roles=[Role.PETUGAS]
    )


@pytest.fixture
def officer_b2(agency_b):
    return UserFactory(
        username="petugas_b2", full_name="Yohanes Ardi", agency=agency_b, roles=[Role.PETUGAS]
    )


@pytest.fixture
def inquiry(agency_a, officer_a):
    return InquiryFactory(agency=agency_a, recorded_by=officer_a)


@pytest.fixture
def forwarded(inquiry, officer_a, agency_b):
    flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_a, now=NOW)
    inquiry.refresh_from_db()
    return inquiry


def one_winner(outcomes: list[Outcome]) -> tuple[int, Outcome]:
    winners = [i for i, outcome in enumerate(outcomes) if outcome.won]
    assert len(winners) == 1, outcomes
    for outcome in outcomes:
        if not outcome.won:
            assert isinstance(outcome.error, flow.FlowError)
    return winners[0], outcomes[winners[0]]


def assert_consistent(inquiry: Inquiry, *, transitions: int) -> Inquiry:
    """The stored inquiry agrees with its history and its forwardings."""
    stored = Inquiry.objects.get(pk=inquiry.pk)
    events = list(InquiryEvent.objects.filter(inquiry=stored).order_by("pk"))
    assert len(events) == 1 + transitions  # "record", then one per transition
    assert stored.version == 1 + transitions
    for previous, event in zip(events, events[1:], strict=False):
        assert event.from_status == previous.to_status
    assert events[-1].to_status == stored.status
    open_forwardings = list(stored.forwardings.filter(status=ForwardingStatus.OPEN))
    if stored.status == InquiryStatus.FORWARDED:
        assert [f.pk for f in open_forwardings] == [stored.current_forwarding_id]
        assert stored.due_at == open_forwardings[0].due_at
    else:
        assert open_forwardings == []
    return stored


RUNNERS = [pytest.param(together, id="together"), pytest.param(first_then_waiting, id="waiting")]


# --- Races --------------------------------------------------------------------------------


@pytest.mark.parametrize("run", RUNNERS)
def test_reply_and_dismiss_on_the_same_version(run, forwarded, officer_a, officer_b):
    seen = forwarded.version
    outcomes = run(
        lambda: flow.forwarding_reply(
            inquiry=forwarded,
            by=officer_b,
            reply_text="Sudah kami jawab.",
            now=LATER,
            expected_version=seen,
        ),
        lambda: flow.inquiry_dismiss(
            inquiry=forwarded,
            by=officer_a,
            reason="spam",
            note="Iklan.",
            now=LATER,
            expected_version=seen,
        ),
    )
    winner, _ = one_winner(outcomes)
    loser = outcomes[1 - winner]
    assert isinstance(loser.error, flow.StaleInquiry)
    winner_name = (officer_b, officer_a)[winner].get_full_name()
    assert winner_name in str(loser.error)  # "changed by <who> in the meantime"
    stored = assert_consistent(forwarded, transitions=2)
    forwarding = Forwarding.objects.get(inquiry=forwarded)
    if winner == 0:
        assert (stored.status, forwarding.status) == (InquiryStatus.REPLIED, "replied")
    else:
        assert (stored.status, forwarding.status) == (InquiryStatus.DISMISSED, "cancelled")


@pytest.mark.parametrize("run", RUNNERS)
def test_dismiss_then_a_reply_without_a_version_is_refused(run, forwarded, officer_a, officer_b):
    outcomes = run(
        lambda: flow.inquiry_dismiss(
            inquiry=forwarded, by=officer_a, reason="spam", note="Iklan.", now=LATER
        ),
        lambda: flow.forwarding_reply(
            inquiry=forwarded, by=officer_b, reply_text="Sudah kami jawab.", now=LATER
        ),
    )
    if run is first_then_waiting:
        assert outcomes[0].won and not outcomes[1].won
    stored = assert_consistent(forwarded, transitions=1 + sum(o.won for o in outcomes))
    # Reply then dismiss is a valid order too (a replied inquiry may still be dismissed);
    # a reply after the dismissal never is.
    assert stored.status == InquiryStatus.DISMISSED or not outcomes[0].won


@pytest.mark.parametrize("run", RUNNERS)
def test_two_forwards_to_different_agencies(
    run, inquiry, officer_a, officer_a2, agency_b, agency_c
):
    outcomes = run(
        lambda: flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_a, now=NOW),
        lambda: flow.inquiry_forward(inquiry=inquiry, to_agency=agency_c, by=officer_a2, now=NOW),
    )
    winner, won = one_winner(outcomes)
    assert not isinstance(outcomes[1 - winner].error, flow.StaleInquiry)  # no version sent
    stored = assert_consistent(inquiry, transitions=1)
    assert stored.status == InquiryStatus.FORWARDED
    assert stored.current_forwarding_id == won.value.pk
    assert stored.forwardings.count() == 1
    assert won.value.to_agency == (agency_b, agency_c)[winner]


def test_many_forwards_at_once_leave_one_open_forwarding(inquiry, agency_a, officer_a):
    targets = [AgencyFactory(slug=f"tujuan-{i}") for i in range(4)]
    officers = [
        UserFactory(username=f"petugas_a_{i}", agency=agency_a, roles=[Role.PETUGAS])
        for i in range(4)
    ]
    outcomes = together(
        *(
            lambda target=target, officer=officer: flow.inquiry_forward(
                inquiry=inquiry, to_agency=target, by=officer, now=NOW
            )
            for target, officer in zip(targets, officers, strict=True)
        )
    )
    one_winner(outcomes)
    assert_consistent(inquiry, transitions=1)
    assert Forwarding.objects.filter(inquiry=inquiry, status=ForwardingStatus.OPEN).count() == 1


@pytest.mark.parametrize("run", RUNNERS)
def test_two_reroutes_by_the_holder(run, forwarded, officer_b, officer_b2, agency_c, agency_d):
    """Two officers of the holding agency pass it on at once, without a version: the
    second must not re-route a forwarding that has just become another agency's."""
    outcomes = run(
        lambda: flow.forwarding_reroute(
            inquiry=forwarded, to_agency=agency_c, by=officer_b, now=LATER
        ),
        lambda: flow.forwarding_reroute(
            inquiry=forwarded, to_agency=agency_d, by=officer_b2, now=LATER
        ),
    )
    winner, won = one_winner(outcomes)
    stored = assert_consistent(forwarded, transitions=2)
    assert stored.current_forwarding.to_agency == (agency_c, agency_d)[winner]
    assert list(stored.forwardings.values_list("status", flat=True)) == ["rerouted", "open"]


@pytest.mark.parametrize("run", RUNNERS)
def test_reply_and_reroute_by_the_holder(run, forwarded, officer_b, officer_b2, agency_c):
    outcomes = run(
        lambda: flow.forwarding_reply(
            inquiry=forwarded, by=officer_b, reply_text="Kami jawab.", now=LATER
        ),
        lambda: flow.forwarding_reroute(
            inquiry=forwarded, to_agency=agency_c, by=officer_b2, now=LATER
        ),
    )
    winner, _ = one_winner(outcomes)
    stored = assert_consistent(forwarded, transitions=2)
    assert stored.status == (InquiryStatus.REPLIED, InquiryStatus.FORWARDED)[winner]


@pytest.mark.parametrize("run", RUNNERS)
def test_two_closes(run, inquiry, officer_a, officer_a2):
    flow.inquiry_answer_directly(inquiry=inquiry, by=officer_a, answer_text="Sudah.", now=NOW)
    outcomes = run(
        lambda: flow.inquiry_close(inquiry=inquiry, by=officer_a, now=LATER),
        lambda: flow.inquiry_close(inquiry=inquiry, by=officer_a2, now=LATER),
    )
    one_winner(outcomes)
    assert assert_consistent(inquiry, transitions=2).status == InquiryStatus.CLOSED


@pytest.mark.parametrize("run", RUNNERS)
def test_the_same_idempotency_key_twice_at_once_records_once(run, agency_a, officer_a, officer_a2):
    channel = OfficialAccountFactory(agency=agency_a)

    def record(by):
        return lambda: flow.inquiry_record(
            agency=agency_a,
            channel=channel,
            kind="pertanyaan",
            author_name="Budi Santoso",
            text="Kapan jadwal imunisasi di Puskesmas Kasongan?",
            received_at=NOW,
            by=by,
            now=NOW,
            idempotency_key="9b1c6c5e-form",
        )

    outcomes = run(record(officer_a), record(officer_a2))
    assert all(outcome.won for outcome in outcomes), outcomes
    (first, created_first), (second, created_second) = (o.value for o in outcomes)
    assert first.pk == second.pk
    assert sorted([created_first, created_second]) == [False, True]
    assert Inquiry.objects.filter(agency=agency_a).count() == 1
    assert InquiryEvent.objects.filter(inquiry=first).count() == 1


@pytest.fixture
def officer_c(agency_c):
    return UserFactory(username="petugas_c", agency=agency_c, roles=[Role.PETUGAS])


def test_a_waiting_call_sees_what_the_first_one_committed(
    forwarded, officer_b, officer_c, agency_c
):
    """Serialisable: the call that waited for the lock acts on the committed state as if
    it had come after, including the forwarding the first call created (here C, the
    new holder, may reply at once)."""
    outcomes = first_then_waiting(
        lambda: flow.forwarding_reroute(
            inquiry=forwarded, to_agency=agency_c, by=officer_b, now=LATER
        ),
        lambda: flow.forwarding_reply(
            inquiry=forwarded, by=officer_c, reply_text="Kami tangani.", now=LATER
        ),
    )
    assert [outcome.won for outcome in outcomes] == [True, True], outcomes
    assert outcomes[1].value == outcomes[0].value  # the reply closed C's forwarding
    stored = assert_consistent(forwarded, transitions=3)
    assert stored.status == InquiryStatus.REPLIED
