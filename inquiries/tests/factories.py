"""Deterministic factories for inquiries (sequences, a fixed base datetime, no random data).

An inquiry is always made through :func:`inquiries.flow.inquiry_record`, and brought to a
later state only through the flow's own transitions (:func:`perform`, :func:`bring_to`),
never by setting ``status``: the history, versions and forwardings are then exactly what
production would have written.
"""

import datetime as dt
from collections.abc import Iterable

import factory
from django.db import transaction

from accounts.models import Agency, User
from accounts.tests.factories import AgencyFactory, OfficialAccountFactory
from inquiries import counts, flow
from inquiries.models import (
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    Answer,
    DismissReason,
    Forwarding,
    Inquiry,
    InquiryKind,
    InquiryStatus,
)

# Monday 2 March 2026, 08:00 WIB.
BASE = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
STEP = dt.timedelta(hours=1)

AUTHORS = ("Budi Santoso", "Siti Aminah", "@rina_ksg", "Yulianus Ringkai", "Dewi Lestari")


def forwarding_made(**fields) -> Forwarding:
    """A forwarding written directly, for a fixture that needs a state the flow reaches
    only over hours (a reply 30 hours late), counted in the daily counters as the flow
    would count it."""
    with transaction.atomic():
        forwarding = Forwarding.objects.create(**fields)
        counts.change(forwarding, before=())
    return forwarding


def tracking_code(n: int) -> str:
    """A distinct, valid tracking code for each ``n`` (base 32 over the tracking alphabet)."""
    digits = []
    for _ in range(TRACKING_LENGTH):
        n, digit = divmod(n, len(TRACKING_ALPHABET))
        digits.append(TRACKING_ALPHABET[digit])
    return "".join(reversed(digits))


class InquiryFactory(factory.django.DjangoModelFactory):
    """A recorded inquiry, written by :func:`flow.inquiry_record` (so with its first event).

    ``recorded_at`` is the ``now`` of the recording; ``recorded_by`` is its ``by``.
    """

    class Meta:
        model = Inquiry

    agency = factory.SubFactory(AgencyFactory)
    channel = factory.SubFactory(OfficialAccountFactory, agency=factory.SelfAttribute("..agency"))
    kind = InquiryKind.QUESTION
    author_name = factory.Sequence(lambda n: AUTHORS[n % len(AUTHORS)])
    author_contact = factory.Sequence(lambda n: f"0812-0000-{n % 10000:04d}")
    text = factory.Sequence(lambda n: f"Pertanyaan uji nomor {n}: bagaimana cara mengurus KTP?")
    source_url = ""
    # Distinct moments in the day before BASE, so that flow steps at BASE come after.
    received_at = factory.Sequence(lambda n: BASE - dt.timedelta(days=1) + dt.timedelta(seconds=n))
    recorded_at = factory.LazyAttribute(lambda o: o.received_at + dt.timedelta(minutes=5))
    recorded_by = None
    topics = factory.LazyFunction(list)
    idempotency_key = None
    tracking_code = factory.Sequence(tracking_code)

    @classmethod
    def _create(cls, model_class, *, recorded_at, recorded_by, tracking_code, **kwargs):
        inquiry, created = flow.inquiry_record(now=recorded_at, by=recorded_by, **kwargs)
        if created:
            # Only to make codes deterministic; the flow draws them at random.
            Inquiry.objects.filter(pk=inquiry.pk).update(tracking_code=tracking_code)
            inquiry.tracking_code = tracking_code
        return inquiry


class AnswerFactory(factory.django.DjangoModelFactory):
    """An approved library answer."""

    class Meta:
        model = Answer

    agency = factory.SubFactory(AgencyFactory)
    topic = "ktp elektronik"
    question = factory.Sequence(lambda n: f"Pertanyaan umum {n}")
    text = "Silakan datang ke kantor dengan membawa dokumen asli."
    is_approved = True
    approved_at = factory.LazyAttribute(lambda a: BASE if a.is_approved else None)
    created_at = BASE


# --- Bringing an inquiry to a state through the flow ---------------------------------

# The path from "recorded" to each state, as action codes of flow.ACTIONS.
PATHS: dict[str, tuple[str, ...]] = {
    InquiryStatus.RECORDED: (),
    InquiryStatus.ANSWERED_DIRECTLY: ("answer_directly",),
    InquiryStatus.FORWARDED: ("forward",),
    InquiryStatus.REPLIED: ("forward", "reply"),
    InquiryStatus.ANSWERED: ("forward", "reply", "answer_public"),
    InquiryStatus.CLOSED: ("answer_directly", "close"),
    InquiryStatus.DISMISSED: ("dismiss",),
    # Variants reaching the same status another way.
    "closed_after_forwarding": ("forward", "reply", "answer_public", "close"),
    "rerouted": ("forward", "reroute"),
    "dismissed_while_forwarded": ("forward", "dismiss"),
    "dismissed_after_reply": ("forward", "reply", "dismiss"),
}

# The status each path ends in.
PATH_STATUS: dict[str, str] = {
    **{status: status for status in InquiryStatus.values},
    "closed_after_forwarding": InquiryStatus.CLOSED,
    "rerouted": InquiryStatus.FORWARDED,
    "dismissed_while_forwarded": InquiryStatus.DISMISSED,
    "dismissed_after_reply": InquiryStatus.DISMISSED,
}


def perform(
    code: str,
    inquiry: Inquiry,
    *,
    by: User,
    now: dt.datetime,
    to_agency: Agency | None = None,
    duplicate_of: Inquiry | None = None,
    expected_version: int | None = None,
) -> Inquiry | Forwarding:
    """Take the action ``code`` through its flow function, with plausible texts.

    ``to_agency`` is the target of ``forward`` and ``reroute``; ``dismiss`` closes as
    spam unless ``duplicate_of`` is given.
    """
    common = {"inquiry": inquiry, "by": by, "now": now, "expected_version": expected_version}
    if code == "answer_directly":
        return flow.inquiry_answer_directly(
            answer_text="Silakan datang ke kantor kami dengan membawa KK asli.", **common
        )
    if code == "forward":
        assert to_agency is not None, "forward needs to_agency"
        return flow.inquiry_forward(to_agency=to_agency, note="Mohon dijawab.", **common)
    if code == "reply":
        return flow.forwarding_reply(reply_text="Sudah kami tindak lanjuti.", **common)
    if code == "reroute":
        assert to_agency is not None, "reroute needs to_agency"
        return flow.forwarding_reroute(to_agency=to_agency, note="Bukan kewenangan kami.", **common)
    if code == "answer_public":
        return flow.inquiry_answer_public(
            answer_text="Menurut instansi terkait, sudah ditindaklanjuti.", **common
        )
    if code == "close":
        return flow.inquiry_close(**common)
    if code == "dismiss":
        reason = DismissReason.DUPLICATE if duplicate_of is not None else DismissReason.SPAM
        return flow.inquiry_dismiss(
            reason=reason, note="Iklan judi daring.", duplicate_of=duplicate_of, **common
        )
    raise ValueError(f"unknown action {code!r}")


def bring_to(
    path: str | Iterable[str],
    inquiry: Inquiry,
    *,
    receiver: User,
    holders: Iterable[tuple[User, Agency]] = (),
    now: dt.datetime | None = None,
    step: dt.timedelta = STEP,
) -> Inquiry:
    """Walk ``inquiry`` along a path of :data:`PATHS` (or a sequence of action codes).

    ``receiver`` is an officer of the receiving agency. ``holders`` lists, in order, the
    officer and agency of each agency the inquiry is forwarded or re-routed to: the first
    receives the ``forward``, each ``reroute`` passes to the next. Step ``i`` happens at
    ``now + i * step`` (``now`` defaults to the later of BASE and the recording).
    Returns the inquiry as stored afterwards.
    """
    if now is None:
        now = max(BASE, inquiry.recorded_at)
    codes = PATHS[path] if isinstance(path, str) else tuple(path)
    chain = list(holders)
    holder_index = -1
    for i, code in enumerate(codes, start=1):
        at = now + i * step
        if code == "forward":
            holder_index = 0
            perform(code, inquiry, by=receiver, now=at, to_agency=chain[0][1])
        elif code == "reroute":
            by = chain[holder_index][0]
            holder_index += 1
            perform(code, inquiry, by=by, now=at, to_agency=chain[holder_index][1])
        elif code == "reply":
            perform(code, inquiry, by=chain[holder_index][0], now=at)
        else:
            perform(code, inquiry, by=receiver, now=at)
    inquiry.refresh_from_db()
    return inquiry
