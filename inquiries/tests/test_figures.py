"""Inquiries by kind and topic in a period (feedback analysis, Pasal 8 huruf h–j; the
annual report's section d), against hand counts."""

import datetime as dt

import pytest

from inquiries.figures import NO_TOPIC, kinds_in, topics_in
from inquiries.models import InquiryKind
from inquiries.tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db

WIB = dt.timezone(dt.timedelta(hours=7))
JULY, AUGUST = dt.date(2026, 7, 1), dt.date(2026, 8, 1)


@pytest.fixture
def received(agency_a, agency_b):
    def at(day, hour=9, minute=0):
        return dt.datetime(2026, *day, hour, minute, tzinfo=WIB)

    Q, C, K, S = (
        InquiryKind.QUESTION,
        InquiryKind.COMMENT,
        InquiryKind.CRITICISM,
        InquiryKind.SUGGESTION,
    )
    for kind, topics, when, agency in [
        (Q, ["KTP"], at((7, 1), 0, 0), agency_a),  # the first moment of July (WIB)
        (Q, ["ktp", "KTP "], at((7, 2)), agency_a),  # one topic written twice
        (K, ["KTP", "Antrean"], at((7, 3)), agency_a),
        (S, ["antrean"], at((7, 31), 23, 59), agency_a),  # the last minute of July
        (C, [], at((7, 4)), agency_a),
        (Q, ["KTP"], at((6, 30), 23, 59), agency_a),  # June: outside
        (Q, ["KTP"], at((8, 1), 0, 0), agency_a),  # August: outside
        (Q, ["KTP"], at((7, 5)), agency_b),  # another agency
    ]:
        InquiryFactory(agency=agency, kind=kind, topics=topics, received_at=when)


def test_kinds_in_a_period(received, agency_a):
    assert kinds_in(JULY, AUGUST, [agency_a.pk]) == {
        "pertanyaan": 2,
        "komentar": 1,
        "kritik": 1,
        "saran": 1,
    }
    assert sum(kinds_in(JULY, AUGUST).values()) == 6  # every agency


def test_topics_in_a_period(received, agency_a):
    summary = topics_in(JULY, AUGUST, [agency_a.pk])
    rows = {row.topic: (row.by_kind, row.total) for row in summary.rows}
    assert [row.topic for row in summary.rows] == ["KTP", "Antrean", NO_TOPIC]
    assert rows["KTP"] == ({"pertanyaan": 2, "komentar": 0, "kritik": 1, "saran": 0}, 3)
    assert rows["Antrean"] == ({"pertanyaan": 0, "komentar": 0, "kritik": 1, "saran": 1}, 2)
    assert rows[NO_TOPIC][1] == 1
    assert summary.total == 5
    assert summary.by_kind == kinds_in(JULY, AUGUST, [agency_a.pk])
    assert [row.topic for row in topics_in(JULY, AUGUST, [agency_a.pk], limit=1).rows] == ["KTP"]
    assert topics_in(JULY, AUGUST, []).total == 0
