"""The Lampiran B state machine, through its service functions."""

import datetime as dt
import re
from functools import partial

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from accounts.roles import Role
from accounts.tests.factories import AgencyFactory, OfficialAccountFactory, UserFactory
from inquiries import flow
from inquiries.models import Forwarding, ForwardingStatus, Inquiry, InquiryEvent, InquiryStatus
from inquiries.selectors import inquiries_for
from inquiries.tests import factories as f
from inquiries.tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The cast's passwords are never checked here; Argon2 would cost most of the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def agency_c(db):
    return AgencyFactory(name="Dinas Sosial", short_name="Dinsos", slug="dinsos")


@pytest.fixture
def officer_c(agency_c):
    return UserFactory(username="petugas_c", agency=agency_c, roles=[Role.PETUGAS])


@pytest.fixture
def inquiry(agency_a, officer_a):
    channel = OfficialAccountFactory(agency=agency_a)
    inquiry, created = flow.inquiry_record(
        agency=agency_a,
        channel=channel,
        kind="pertanyaan",
        author_name="Budi Santoso",
        text="Bagaimana cara mengurus KTP elektronik yang hilang?",
        received_at=NOW - dt.timedelta(hours=1),
        by=officer_a,
        now=NOW,
    )
    assert created
    return inquiry


def test_five_steps_across_two_agencies(inquiry, officer_a, officer_b, agency_b):
    forwarding = flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_a, now=NOW)
    assert forwarding.due_at == NOW + dt.timedelta(hours=24)
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.FORWARDED and inquiry.due_at == forwarding.due_at

    later = NOW + dt.timedelta(hours=3)
    flow.forwarding_reply(
        inquiry=inquiry, by=officer_b, reply_text="Datang ke Disdukcapil.", now=later
    )
    forwarding.refresh_from_db()
    assert forwarding.status == ForwardingStatus.REPLIED and forwarding.replied_on_time

    flow.inquiry_answer_public(
        inquiry=inquiry, by=officer_a, answer_text="Silakan ke Disdukcapil.", now=later
    )
    flow.inquiry_close(inquiry=inquiry, by=officer_a, now=later)
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CLOSED
    assert [e.action for e in inquiry.events.all()] == [
        "record",
        "forward",
        "reply",
        "answer_public",
        "close",
    ]


def test_reroute_keeps_each_clock(inquiry, officer_a, officer_b, agency_b, agency_c, officer_c):
    first = flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_a, now=NOW)
    later = NOW + dt.timedelta(hours=5)
    second = flow.forwarding_reroute(inquiry=inquiry, to_agency=agency_c, by=officer_b, now=later)
    first.refresh_from_db()
    assert first.status == ForwardingStatus.REROUTED
    assert second.from_agency == agency_b and second.due_at == later + dt.timedelta(hours=24)
    with pytest.raises(flow.FlowError):
        flow.forwarding_reply(inquiry=inquiry, by=officer_b, reply_text="x", now=later)
    flow.forwarding_reply(inquiry=inquiry, by=officer_c, reply_text="Kami tangani.", now=later)


def test_impossible_and_stale_transitions_are_refused(inquiry, officer_a, officer_b, agency_b):
    with pytest.raises(flow.FlowError):
        flow.inquiry_close(inquiry=inquiry, by=officer_a, now=NOW)
    with pytest.raises(flow.FlowError):
        flow.inquiry_forward(inquiry=inquiry, to_agency=inquiry.agency, by=officer_a, now=NOW)
    with pytest.raises(flow.FlowError):
        flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_b, now=NOW)
    seen = inquiry.version
    flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_a, now=NOW)
    with pytest.raises(flow.StaleInquiry):
        flow.inquiry_dismiss(
            inquiry=inquiry,
            by=officer_a,
            reason="spam",
            note="iklan",
            now=NOW,
            expected_version=seen,
        )


# --- The whole table: every status × action × side -----------------------------------

S = InquiryStatus

# Exactly the transitions of the module docstring of inquiries.flow, written out again
# here (not read from flow.ACTIONS) so that a change to the flow must change this table.
TRANSITIONS: dict[tuple[str, str, str], str] = {
    (S.RECORDED, "answer_directly", "receiver"): S.ANSWERED_DIRECTLY,
    (S.RECORDED, "forward", "receiver"): S.FORWARDED,
    (S.RECORDED, "dismiss", "receiver"): S.DISMISSED,
    (S.ANSWERED_DIRECTLY, "close", "receiver"): S.CLOSED,
    (S.FORWARDED, "reply", "holder"): S.REPLIED,
    (S.FORWARDED, "reroute", "holder"): S.FORWARDED,
    (S.FORWARDED, "dismiss", "receiver"): S.DISMISSED,
    (S.REPLIED, "answer_public", "receiver"): S.ANSWERED,
    (S.REPLIED, "dismiss", "receiver"): S.DISMISSED,
    (S.ANSWERED, "close", "receiver"): S.CLOSED,
}
SIDES = ("receiver", "holder")


def test_the_table_covers_every_action_of_the_flow():
    assert {code for _status, code, _side in TRANSITIONS} == set(flow.ACTIONS)
    for (status, code, side), _target in TRANSITIONS.items():
        action = flow.ACTIONS[code]
        assert status in action.sources and side == action.side


@pytest.fixture
def agency_d(db):
    return AgencyFactory(
        name="Dinas Pekerjaan Umum dan Penataan Ruang", short_name="PUPR", slug="pupr"
    )


@pytest.fixture
def officer_d(agency_d):
    return UserFactory(username="petugas_d", agency=agency_d, roles=[Role.PETUGAS])


@pytest.fixture
def inactive_agency(db):
    return AgencyFactory(name="Dinas Lama", short_name="Lama", slug="dinas-lama", is_active=False)


@pytest.fixture
def story(agency_a, officer_a, agency_b, officer_b, agency_c, officer_c):
    """Make a fresh inquiry of agency A and walk it along a path of factories.PATHS;
    forwarded to B, re-routed (when the path does) to C."""

    def make(path, **kwargs):
        inquiry = InquiryFactory(agency=agency_a, recorded_by=officer_a, **kwargs)
        return f.bring_to(
            path,
            inquiry,
            receiver=officer_a,
            holders=[(officer_b, agency_b), (officer_c, agency_c)],
        )

    return make


def state(inquiry):
    """Everything a refused transition must leave untouched."""
    stored = type(inquiry).objects.get(pk=inquiry.pk)
    return {
        "status": stored.status,
        "version": stored.version,
        "events": stored.events.count(),
        "due_at": stored.due_at,
        "current_forwarding": stored.current_forwarding_id,
        "answer_text": stored.answer_text,
        "closed_at": stored.closed_at,
        "dismiss_reason": stored.dismiss_reason,
        "forwardings": list(
            stored.forwardings.order_by("pk").values_list("pk", "status", "to_agency", "due_at")
        ),
    }


def holder_of(inquiry, officer_b, officer_c):
    """The officer on the holder side: of the agency with the open forwarding (B, or C
    after a re-route); B, an uninvolved agency, when nothing was forwarded."""
    forwarding = inquiry.current_forwarding
    if forwarding is not None and forwarding.to_agency_id == officer_c.agency_id:
        return officer_c
    return officer_b


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("code", list(flow.ACTIONS))
@pytest.mark.parametrize("path", list(f.PATHS))
def test_every_status_action_and_side(
    story, path, code, side, officer_a, officer_b, officer_c, agency_d
):
    inquiry = story(path)
    status = f.PATH_STATUS[path]
    assert inquiry.status == status
    by = officer_a if side == "receiver" else holder_of(inquiry, officer_b, officer_c)
    target = TRANSITIONS.get((status, code, side))
    offered = {action.code for action in flow.allowed_actions(inquiry, by)}
    later = NOW + dt.timedelta(days=1)

    if target is None:
        before = state(inquiry)
        assert code not in offered
        with pytest.raises(flow.FlowError):
            f.perform(code, inquiry, by=by, now=later, to_agency=agency_d)
        assert state(inquiry) == before
        return

    assert code in offered
    before = state(inquiry)
    # The version the user saw is checked first: an outdated one changes nothing, and
    # the message names who made the last change.
    last_actor = inquiry.events.order_by("-at", "-pk").first().actor
    with pytest.raises(flow.StaleInquiry, match=re.escape(last_actor.get_full_name())):
        f.perform(
            code,
            inquiry,
            by=by,
            now=later,
            to_agency=agency_d,
            expected_version=inquiry.version - 1,
        )
    assert state(inquiry) == before

    f.perform(code, inquiry, by=by, now=later, to_agency=agency_d, expected_version=inquiry.version)
    after = state(inquiry)
    assert after["status"] == target
    assert after["version"] == before["version"] + 1
    assert after["events"] == before["events"] + 1
    event = inquiry.events.order_by("-pk").first()
    assert (event.action, event.from_status, event.to_status) == (code, status, target)
    assert (event.actor, event.at) == (by, later)
    assert event.agency_id == by.agency_id
    open_forwardings = inquiry.forwardings.filter(status=ForwardingStatus.OPEN)
    assert open_forwardings.count() == (1 if target == S.FORWARDED else 0)


# --- Who may do what, per role and side ------------------------------------------------

RECEIVER_WRITES = {
    S.RECORDED: {"answer_directly", "forward", "dismiss"},
    S.ANSWERED_DIRECTLY: {"close"},
    S.FORWARDED: {"dismiss"},
    "rerouted": {"dismiss"},
    S.REPLIED: {"answer_public", "dismiss"},
    S.ANSWERED: {"close"},
    S.CLOSED: set(),
    S.DISMISSED: set(),
}
HOLDER_WRITES = {S.FORWARDED: {"reply", "reroute"}, "rerouted": {"reply", "reroute"}}


def expected_actions(path: str, who: str) -> set[str]:
    if who in ("officer_a", "pejabat_a"):
        return RECEIVER_WRITES[path]
    if who == "administrator":
        return RECEIVER_WRITES[path] | HOLDER_WRITES.get(path, set())
    if who == "officer_b":  # the holder, or the previous holder after a re-route
        return HOLDER_WRITES.get(path, set()) if path == S.FORWARDED else set()
    if who == "officer_c":  # the holder after a re-route, uninvolved otherwise
        return HOLDER_WRITES.get(path, set()) if path == "rerouted" else set()
    return set()  # evaluator, pimpinan, outsider, a deactivated officer


@pytest.mark.parametrize(
    "who",
    [
        "officer_a",
        "pejabat_a",
        "officer_b",
        "officer_c",
        "evaluator",
        "pimpinan",
        "administrator",
        "outsider",
        "deactivated",
    ],
)
@pytest.mark.parametrize("path", list(RECEIVER_WRITES))
def test_allowed_actions_per_role_and_side(story, cast, officer_c, path, who):
    inquiry = story(path)
    users = {**cast, "officer_c": officer_c}
    if who == "deactivated":
        user = UserFactory(agency=inquiry.agency, roles=[Role.PETUGAS], is_active=False)
    else:
        user = users[who]
    assert {action.code for action in flow.allowed_actions(inquiry, user)} == expected_actions(
        path, who
    )


# --- Forwarding and re-routing ---------------------------------------------------------


def test_reroute_chain_keeps_a_clock_per_hop_and_moves_access_with_it(
    agency_a, officer_a, agency_b, officer_b, agency_c, officer_c, agency_d, officer_d, evaluator
):
    """RELIABILITY 3: after every hop each party reads and writes exactly what the rule says."""
    inquiry = InquiryFactory(agency=agency_a, recorded_by=officer_a)
    officers = {"a": officer_a, "b": officer_b, "c": officer_c, "d": officer_d}

    def check_access(*, readers: str, writers: dict[str, set[str]]):
        inquiry.refresh_from_db()
        for name, officer in officers.items():
            readable = inquiries_for(officer).filter(pk=inquiry.pk).exists()
            assert readable == (name in readers), name
            offered = {a.code for a in flow.allowed_actions(inquiry, officer)}
            assert offered == writers.get(name, set()), name
        assert inquiries_for(evaluator).filter(pk=inquiry.pk).exists()
        assert flow.allowed_actions(inquiry, evaluator) == []

    check_access(readers="a", writers={"a": {"answer_directly", "forward", "dismiss"}})

    hops = [
        (officer_a, agency_b, NOW),
        (officer_b, agency_c, NOW + dt.timedelta(hours=2)),
        (officer_c, agency_d, NOW + dt.timedelta(hours=7, minutes=30)),
    ]
    forwardings = []
    for i, (by, to_agency, at) in enumerate(hops):
        version = inquiry.version
        if i == 0:
            forwarding = flow.inquiry_forward(inquiry=inquiry, to_agency=to_agency, by=by, now=at)
        else:
            forwarding = flow.forwarding_reroute(
                inquiry=inquiry, to_agency=to_agency, by=by, now=at, note=f"hop {i}"
            )
        forwardings.append(forwarding)
        assert forwarding.from_agency_id == by.agency_id
        assert forwarding.forwarded_at == at
        assert forwarding.due_at == at + dt.timedelta(hours=24)
        inquiry.refresh_from_db()
        assert inquiry.version == version + 1
        assert inquiry.status == S.FORWARDED
        assert inquiry.current_forwarding_id == forwarding.pk
        assert inquiry.due_at == forwarding.due_at
        holder = "bcd"[i]
        check_access(
            readers="a" + "bcd"[: i + 1],
            writers={"a": {"dismiss"}, holder: {"reply", "reroute"}},
        )

    assert [
        (fw.from_agency_id, fw.to_agency_id, fw.status, fw.closed_at, fw.due_at)
        for fw in inquiry.forwardings.order_by("pk")
    ] == [
        (agency_a.pk, agency_b.pk, ForwardingStatus.REROUTED, hops[1][2], hops[0][2] + DAY),
        (agency_b.pk, agency_c.pk, ForwardingStatus.REROUTED, hops[2][2], hops[1][2] + DAY),
        (agency_c.pk, agency_d.pk, ForwardingStatus.OPEN, None, hops[2][2] + DAY),
    ]
    assert [
        (e.action, e.agency_id, e.forwarding_id, e.from_status, e.to_status)
        for e in inquiry.events.order_by("pk")
    ] == [
        ("record", agency_a.pk, None, "", S.RECORDED),
        ("forward", agency_a.pk, forwardings[0].pk, S.RECORDED, S.FORWARDED),
        ("reroute", agency_b.pk, forwardings[1].pk, S.FORWARDED, S.FORWARDED),
        ("reroute", agency_c.pk, forwardings[2].pk, S.FORWARDED, S.FORWARDED),
    ]

    # Only D, the last holder, can reply; the earlier ones cannot any more.
    for earlier in (officer_b, officer_c):
        with pytest.raises(flow.FlowError):
            flow.forwarding_reply(inquiry=inquiry, by=earlier, reply_text="x", now=NOW)
    replied_at = hops[2][2] + dt.timedelta(hours=23)
    last = flow.forwarding_reply(
        inquiry=inquiry, by=officer_d, reply_text="Perbaikan dijadwalkan.", now=replied_at
    )
    assert last.replied_on_time is True
    check_access(readers="abcd", writers={"a": {"answer_public", "dismiss"}})
    assert inquiry.status == S.REPLIED and inquiry.due_at is None


DAY = dt.timedelta(hours=24)


def test_the_reply_window_comes_from_the_settings(settings, inquiry, officer_a, agency_b):
    settings.FORWARDING_REPLY_HOURS = 48
    forwarding = flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_a, now=NOW)
    assert forwarding.due_at == NOW + dt.timedelta(hours=48)


def test_a_late_reply_is_accepted_and_marked_late(inquiry, officer_a, officer_b, agency_b):
    forwarding = flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_a, now=NOW)
    flow.forwarding_reply(
        inquiry=inquiry,
        by=officer_b,
        reply_text="Maaf terlambat.",
        now=NOW + DAY + dt.timedelta(seconds=1),
    )
    forwarding.refresh_from_db()
    assert forwarding.replied_on_time is False


@pytest.mark.parametrize(
    "case",
    [
        "forward_to_self",
        "forward_to_inactive",
        "reroute_to_self",
        "reroute_to_receiver",
        "reroute_to_inactive",
    ],
)
def test_forwarding_targets_that_are_refused(
    case, inquiry, officer_a, officer_b, agency_a, agency_b, inactive_agency
):
    if case.startswith("reroute"):
        flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_a, now=NOW)
    before = state(inquiry)
    target = {
        "forward_to_self": agency_a,
        "forward_to_inactive": inactive_agency,
        "reroute_to_self": agency_b,
        "reroute_to_receiver": agency_a,
        "reroute_to_inactive": inactive_agency,
    }[case]
    with pytest.raises(flow.FlowError):
        if case.startswith("forward"):
            flow.inquiry_forward(inquiry=inquiry, to_agency=target, by=officer_a, now=NOW)
        else:
            flow.forwarding_reroute(inquiry=inquiry, to_agency=target, by=officer_b, now=NOW)
    assert state(inquiry) == before


def test_the_database_refuses_a_second_open_forwarding_and_a_forwarding_to_itself(
    inquiry, officer_a, agency_a, agency_b, agency_c
):
    forwarding = flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_a, now=NOW)
    fields = {"inquiry": inquiry, "forwarded_by": officer_a, "forwarded_at": NOW, "due_at": NOW}
    with pytest.raises(IntegrityError), transaction.atomic():
        Forwarding.objects.create(from_agency=agency_a, to_agency=agency_c, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Forwarding.objects.create(
            from_agency=agency_b, to_agency=agency_b, status=ForwardingStatus.REPLIED, **fields
        )
    assert list(inquiry.forwardings.all()) == [forwarding]


# --- Dismissing ---------------------------------------------------------------------------


@pytest.fixture
def original(agency_a, officer_a):
    return InquiryFactory(agency=agency_a, recorded_by=officer_a)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"reason": "duplicate", "note": "sama"}, "duplicates"),
        ({"reason": "lainnya", "note": "sama"}, "spam or duplicate"),
        ({"reason": "spam", "note": "   "}, "why"),
    ],
)
def test_dismissing_needs_a_reason_a_note_and_for_a_duplicate_the_original(
    inquiry, officer_a, arguments, message
):
    before = state(inquiry)
    # The messages are matched in their English source form.
    with translation.override("en"), pytest.raises(flow.FlowError, match=message):
        flow.inquiry_dismiss(inquiry=inquiry, by=officer_a, now=NOW, **arguments)
    assert state(inquiry) == before


def test_an_inquiry_cannot_duplicate_itself(inquiry, officer_a):
    before = state(inquiry)
    with pytest.raises(flow.FlowError):
        flow.inquiry_dismiss(
            inquiry=inquiry,
            by=officer_a,
            reason="duplicate",
            note="sama",
            now=NOW,
            duplicate_of=inquiry,
        )
    assert state(inquiry) == before


def test_dismissing_a_forwarded_duplicate_cancels_the_open_forwarding(
    inquiry, original, officer_a, officer_b, agency_b
):
    forwarding = flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_a, now=NOW)
    later = NOW + dt.timedelta(hours=2)
    flow.inquiry_dismiss(
        inquiry=inquiry,
        by=officer_a,
        reason="duplicate",
        note="Ditanyakan lagi oleh akun yang sama.",
        now=later,
        duplicate_of=original,
    )
    inquiry.refresh_from_db()
    forwarding.refresh_from_db()
    assert inquiry.status == S.DISMISSED
    assert (inquiry.dismiss_reason, inquiry.duplicate_of) == ("duplicate", original)
    assert (inquiry.closed_at, inquiry.due_at) == (later, None)
    assert (forwarding.status, forwarding.closed_at) == (ForwardingStatus.CANCELLED, later)
    assert not inquiry.forwardings.filter(status=ForwardingStatus.OPEN).exists()
    assert flow.allowed_actions(inquiry, officer_b) == []
    event = inquiry.events.order_by("pk").last()
    assert (event.action, event.from_status, event.to_status) == (
        "dismiss",
        S.FORWARDED,
        S.DISMISSED,
    )
    assert event.note.endswith("Ditanyakan lagi oleh akun yang sama.")
    original.refresh_from_db()
    assert original.status == S.RECORDED  # the original stays open


def test_dismissing_after_the_reply_keeps_the_reply(story):
    inquiry = story("dismissed_after_reply")
    assert list(inquiry.forwardings.values_list("status", flat=True)) == [ForwardingStatus.REPLIED]


def test_a_spam_dismissal_names_no_original(inquiry, original, officer_a):
    flow.inquiry_dismiss(
        inquiry=inquiry, by=officer_a, reason="spam", note="iklan", now=NOW, duplicate_of=original
    )
    inquiry.refresh_from_db()
    assert (inquiry.dismiss_reason, inquiry.duplicate_of) == ("spam", None)


# --- History and version ----------------------------------------------------------------


@pytest.mark.parametrize("path", list(f.PATHS))
def test_each_transition_writes_one_event_and_bumps_the_version_once(story, path):
    inquiry = story(path)
    events = list(inquiry.events.order_by("pk"))
    steps = f.PATHS[path]
    assert [e.action for e in events] == ["record", *steps]
    assert inquiry.version == 1 + len(steps)
    assert events[0].from_status == "" and events[0].to_status == S.RECORDED
    for previous, event in zip(events, events[1:], strict=False):
        assert event.from_status == previous.to_status
        assert event.at >= previous.at
    assert events[-1].to_status == inquiry.status == f.PATH_STATUS[path]


def test_history_is_append_only(story):
    inquiry = story("closed_after_forwarding")
    event = inquiry.events.order_by("pk").first()
    event.note = "diubah"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        InquiryEvent.objects.get(pk=event.pk).save(update_fields=["note"])
    assert InquiryEvent.objects.get(pk=event.pk).note == ""


# --- Recording ----------------------------------------------------------------------------


def test_an_idempotency_key_returns_the_first_inquiry_and_writes_nothing(agency_a, officer_a):
    channel = OfficialAccountFactory(agency=agency_a)
    fields = {
        "agency": agency_a,
        "channel": channel,
        "kind": "pertanyaan",
        "author_name": "Budi Santoso",
        "received_at": NOW,
        "by": officer_a,
        "now": NOW,
        "idempotency_key": "form-123",
    }
    first, created = flow.inquiry_record(text="Kapan posyandu buka?", **fields)
    assert created
    again, created_again = flow.inquiry_record(text="Teks lain dari POST kedua", **fields)
    assert (again.pk, created_again) == (first.pk, False)
    assert again.text == "Kapan posyandu buka?"
    assert Inquiry.objects.count() == 1
    assert InquiryEvent.objects.count() == 1

    # The key is the agency's own: another agency may use the same one.
    other_channel = OfficialAccountFactory()
    other, created_other = flow.inquiry_record(
        text="x", **{**fields, "agency": other_channel.agency, "channel": other_channel, "by": None}
    )
    assert created_other and other.pk != first.pk
    # Without a key, each call records.
    flow.inquiry_record(text="y", **{**fields, "idempotency_key": None})
    flow.inquiry_record(text="y", **{**fields, "idempotency_key": ""})
    assert Inquiry.objects.filter(agency=agency_a).count() == 3


def test_a_channel_of_another_agency_is_refused(agency_a, agency_b, officer_a):
    channel_of_b = OfficialAccountFactory(agency=agency_b)
    with pytest.raises(flow.FlowError):
        flow.inquiry_record(
            agency=agency_a,
            channel=channel_of_b,
            kind="pertanyaan",
            author_name="Budi",
            text="x",
            received_at=NOW,
            by=officer_a,
            now=NOW,
        )
    assert not Inquiry.objects.exists() and not InquiryEvent.objects.exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("officer_a", True),
        ("pejabat_a", True),
        ("administrator", True),
        ("officer_b", False),
        ("evaluator", False),
        ("pimpinan", False),
        ("outsider", False),
    ],
)
def test_who_may_record_for_an_agency(cast, agency_a, who, allowed):
    channel = OfficialAccountFactory(agency=agency_a)
    record = partial(
        flow.inquiry_record,
        agency=agency_a,
        channel=channel,
        kind="saran",
        author_name="Budi",
        text="Mohon tambah jadwal posyandu.",
        received_at=NOW,
        by=cast[who],
        now=NOW,
    )
    if allowed:
        assert record()[1]
    else:
        with pytest.raises(flow.FlowError):
            record()
        assert not Inquiry.objects.exists()


def test_an_integration_records_without_a_user(agency_a):
    inquiry = InquiryFactory(agency=agency_a, recorded_by=None)
    event = inquiry.events.get()
    assert (event.actor, event.agency_id, event.action) == (None, agency_a.pk, "record")


def test_the_first_forwarding_time_is_kept_through_a_reroute(
    inquiry, officer_a, officer_b, agency_b
):
    assert inquiry.forwarded_at is None
    flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer_a, now=NOW)
    assert Inquiry.objects.get(pk=inquiry.pk).forwarded_at == NOW
    other = AgencyFactory()
    flow.forwarding_reroute(
        inquiry=Inquiry.objects.get(pk=inquiry.pk),
        to_agency=other,
        by=officer_b,
        now=NOW + dt.timedelta(hours=1),
    )
    assert Inquiry.objects.get(pk=inquiry.pk).forwarded_at == NOW
