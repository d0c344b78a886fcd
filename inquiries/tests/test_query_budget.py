"""Issue 11's query budgets, as tests (timings are in docs/benchmarks.md): every listed
view of the inbox costs at most 10 queries and the detail page at most 15, and neither
grows with the number of rows or of history steps."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import OfficialAccountFactory
from inquiries import flow
from inquiries.models import Inquiry
from inquiries.tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
INBOX_BUDGET = 10
DETAIL_BUDGET = 15

INBOX_VIEWS = {
    "default": "",
    "one status": "?status=forwarded",
    "text search": "?q=posyandu",
    "page 2": "?halaman=2",
    "forwarded to us": "?kotak=diteruskan",
}


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def channel_a(agency_a):
    return OfficialAccountFactory(agency=agency_a, handle="@dinkes.katingan")


def _fill(agency, channel, officer, target, n: int) -> None:
    for number, inquiry in enumerate(
        InquiryFactory.create_batch(n, agency=agency, channel=channel, text="Jadwal posyandu?")
    ):
        if number % 2:
            flow.inquiry_forward(inquiry=inquiry, to_agency=target, by=officer, now=NOW)


def _queries(client, url: str) -> int:
    """Queries of one request, with the filter bar rendered afresh (its worst case)."""
    from inquiries import filterbar

    filterbar._rendered.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["officer_a", "evaluator"])
def test_every_inquiry_list_view_stays_within_its_budget(
    client, request, who, agency_a, agency_b, channel_a, officer_a
):
    client.force_login(request.getfixturevalue(who))
    inbox = reverse("inquiries:inbox")
    _fill(agency_a, channel_a, officer_a, agency_b, 30)
    client.get(inbox)  # the session's first request checks the day's ethics once
    small = {name: _queries(client, inbox + query) for name, query in INBOX_VIEWS.items()}
    _fill(agency_a, channel_a, officer_a, agency_b, 30)
    large = {name: _queries(client, inbox + query) for name, query in INBOX_VIEWS.items()}
    assert large == small
    assert max(large.values()) <= INBOX_BUDGET, large


def _history(inquiry, officer_a, holders, hops: int) -> None:
    """Forward, then re-route ``hops - 1`` times between the ``holders`` (agency,
    officer): each hop is a forwarding row and a history step."""
    for hop in range(hops):
        at = NOW - dt.timedelta(hours=hops - hop)
        target, _officer = holders[hop % 2]
        if hop == 0:
            flow.inquiry_forward(inquiry=inquiry, to_agency=target, by=officer_a, now=at)
        else:
            _holder, holder_officer = holders[(hop - 1) % 2]
            flow.forwarding_reroute(
                inquiry=Inquiry.objects.get(pk=inquiry.pk),
                to_agency=target,
                by=holder_officer,
                now=at,
            )


def test_the_detail_page_does_not_grow_with_its_history(
    client, agency_a, agency_b, channel_a, officer_a, officer_b
):
    from accounts.roles import Role
    from accounts.tests.factories import AgencyFactory, UserFactory

    agency_c = AgencyFactory(name="Dinas Sosial", short_name="Dinsos", slug="dinsos")
    officer_c = UserFactory(username="petugas_c", agency=agency_c, roles=[Role.PETUGAS])
    holders = [(agency_b, officer_b), (agency_c, officer_c)]
    short = InquiryFactory(
        agency=agency_a, channel=channel_a, received_at=NOW - dt.timedelta(days=1)
    )
    long = InquiryFactory(
        agency=agency_a, channel=channel_a, received_at=NOW - dt.timedelta(days=1)
    )
    _history(short, officer_a, holders, hops=1)
    _history(long, officer_a, holders, hops=12)
    assert long.events.count() >= 12 and long.forwardings.count() == 12
    client.force_login(officer_a)
    client.get(reverse("inquiries:inbox"))
    few = _queries(client, reverse("inquiries:detail", args=[short.pk]))
    many = _queries(client, reverse("inquiries:detail", args=[long.pk]))
    assert many == few
    assert many <= DETAIL_BUDGET, many


def test_a_long_list_counts_only_up_to_its_cap_and_links_few_pages(
    client, settings, agency_a, channel_a, officer_a
):
    from accounts import viewkit

    InquiryFactory.create_batch(60, agency=agency_a, channel=channel_a)
    client.force_login(officer_a)
    original = viewkit.CappedPaginator.cap
    viewkit.CappedPaginator.cap = 50
    try:
        page = client.get(reverse("inquiries:inbox"), {"halaman": 2}).context["page"]
    finally:
        viewkit.CappedPaginator.cap = original
    assert page.paginator.capped and page.paginator.count == 51
    assert list(page.window) == [1, 2, 3]


def test_the_remembered_filter_bar_follows_accounts_language_and_query(
    client, agency_a, channel_a, officer_a
):
    from django.conf import settings

    client.force_login(officer_a)
    inbox = reverse("inquiries:inbox")
    first = client.get(inbox).content.decode()
    assert "@dinkes.katingan" in first and "@dinkes.baru" not in first
    # A new account shows at once: the bar is keyed by the accounts' count and change.
    OfficialAccountFactory(agency=agency_a, handle="@dinkes.baru")
    assert "@dinkes.baru" in client.get(inbox).content.decode()
    # The chosen value is the query string's.
    chosen = client.get(inbox, {"status": "forwarded"}).content.decode()
    assert 'value="forwarded" selected' in chosen
    assert 'value="forwarded" selected' not in client.get(inbox).content.decode()
    # Each language has its own bar.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(inbox).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    indonesian = client.get(inbox).content.decode()
    assert "All statuses" in english and "All statuses" not in indonesian


@pytest.mark.parametrize("values", [None, ("id", "tracking_code", "agency__short_name")])
def test_a_deep_page_is_read_by_its_keys_first_with_the_same_rows(
    monkeypatch, rf, agency_a, channel_a, values
):
    from accounts import viewkit
    from inquiries.selectors import by_urgency

    InquiryFactory.create_batch(40, agency=agency_a, channel=channel_a)
    queryset = by_urgency(Inquiry.objects.select_related("agency", "channel"))
    monkeypatch.setattr(viewkit, "DEFERRED_JOIN_OFFSET", 10)
    expected = [row.pk for row in queryset[10:20]]
    request = rf.get("/", {"halaman": 2})
    with CaptureQueriesContext(connection) as captured:
        page = viewkit.paginate(request, queryset, per_page=10, values=values)
        rows = list(page)
    listing = captured[-1]["sql"]
    assert len(captured) == 2  # the count, then the page
    assert 'IN (SELECT U0."id"' in listing and "OFFSET 10" in listing
    assert [row["id"] if values else row.pk for row in rows] == expected
    if values:
        assert rows[0]["agency__short_name"] == agency_a.short_name
    else:  # the select_related joins are kept: no query per row
        with CaptureQueriesContext(connection) as more:
            assert {row.agency.short_name + row.channel.handle for row in rows}
        assert len(more) == 0
    # A first page is read as it is, in one query.
    with CaptureQueriesContext(connection) as captured:
        list(viewkit.paginate(rf.get("/"), queryset, per_page=10, values=values))
    assert "IN (SELECT" not in captured[-1]["sql"]
