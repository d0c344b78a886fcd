"""Aggregate reads of inquiries for feedback analysis (Pasal 8 huruf h–j) and the
annual report (Pasal 15 ayat (3) huruf d).

Periods are local (WIB) dates, ``start`` inclusive and ``end`` exclusive, counted on
the moment the inquiry was received on social media. An inquiry counts for the
agency that received it.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from katingan_sosmed.clock import local_midnight

from .models import Inquiry, InquiryKind

NO_TOPIC = ""


@dataclass
class TopicRow:
    topic: str  # NO_TOPIC for inquiries recorded without a topic
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


@dataclass
class TopicSummary:
    rows: list[TopicRow]
    by_kind: dict[str, int]
    total: int


def received_in(start: dt.date, end: dt.date, agency_ids: list[int] | None = None):
    """Inquiries received between two local dates, optionally of some agencies."""
    since, until = local_midnight(start), local_midnight(end)
    inquiries = Inquiry.objects.filter(received_at__gte=since, received_at__lt=until)
    if agency_ids is not None:
        inquiries = inquiries.filter(agency_id__in=agency_ids)
    return inquiries


def kinds_in(start: dt.date, end: dt.date, agency_ids: list[int] | None = None) -> dict[str, int]:
    """Inquiries per kind (pertanyaan, komentar, kritik, saran), every kind present."""
    counts = dict.fromkeys(InquiryKind.values, 0)
    rows = received_in(start, end, agency_ids).values("kind").annotate(n=Count("pk"))
    for row in rows.order_by():
        counts[row["kind"]] = row["n"]
    return counts


def topics_in(
    start: dt.date, end: dt.date, agency_ids: list[int] | None = None, *, limit: int | None = None
) -> TopicSummary:
    """Inquiries per topic and kind, the most frequent topic first.

    An inquiry with two topics counts once under each; the totals per kind count it
    once. Topics are compared without regard to case and surrounding space, and shown
    as first written. Inquiries without a topic form one row (``NO_TOPIC``), last.
    """
    per_topic: dict[str, Counter] = {}
    shown: dict[str, str] = {}
    by_kind: Counter = Counter()
    # In arrival order: "as first written" must not depend on the plan the database picks.
    rows = (
        received_in(start, end, agency_ids)
        .values_list("kind", "topics")
        .order_by("received_at", "pk")
    )
    for kind, topics in rows.iterator(chunk_size=5000):
        by_kind[kind] += 1
        keys = {}
        for topic in topics or ():
            text = " ".join(str(topic).split())
            if text:
                keys.setdefault(text.casefold(), text)
        if not keys:
            keys = {NO_TOPIC: NO_TOPIC}
        for key, text in keys.items():
            shown.setdefault(key, text)
            per_topic.setdefault(key, Counter())[kind] += 1
    ordered = sorted(
        per_topic.items(), key=lambda item: (item[0] == NO_TOPIC, -item[1].total(), item[0])
    )
    if limit is not None:
        ordered = ordered[:limit]
    return TopicSummary(
        rows=[
            TopicRow(topic=shown[key], by_kind={k: counts[k] for k in InquiryKind.values})
            for key, counts in ordered
        ],
        by_kind={k: by_kind[k] for k in InquiryKind.values},
        total=sum(by_kind.values()),
    )
