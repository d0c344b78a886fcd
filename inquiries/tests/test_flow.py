"""The Lampiran B state machine, through its service functions."""

import datetime as dt

import pytest

from accounts.roles import Role
from accounts.tests.factories import AgencyFactory, OfficialAccountFactory, UserFactory
from inquiries import flow
from inquiries.models import ForwardingStatus, InquiryStatus

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)


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
