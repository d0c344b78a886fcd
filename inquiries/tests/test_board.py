"""The deadline board (Lampiran B angka 4): the on-time rates counted by hand, the
due-soon list, who sees which rows and a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from accounts.tests.factories import AgencyFactory, UserFactory
from inquiries.board import due_soon_and_overdue, on_time_rates
from inquiries.board_views import period_bounds
from inquiries.tests.factories import InquiryFactory, perform

pytestmark = pytest.mark.django_db

# 09:00 WIB on Friday 20 March 2026.
NOW = dt.datetime(2026, 3, 20, 2, 0, tzinfo=dt.UTC)
MARCH = (
    dt.datetime(2026, 2, 28, 17, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 31, 17, 0, tzinfo=dt.UTC),
)
HOUR = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _fast_fixed_english(settings, time_machine, client):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    time_machine.move_to(NOW, tick=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def agency_c(db):
    return AgencyFactory(name="Dinas Sosial", short_name="Dinsos", slug="dinsos")


@pytest.fixture
def officer_c(agency_c):
    return UserFactory(username="petugas_c", agency=agency_c, roles=[Role.PETUGAS])


def forwarded(sender, officer, to_agency, at, *, replier=None, reply_after=None):
    """An inquiry of ``sender`` forwarded to ``to_agency`` at ``at``, replied after
    ``reply_after`` when given."""
    inquiry = InquiryFactory(agency=sender, received_at=at - 2 * HOUR)
    forwarding = perform("forward", inquiry, by=officer, now=at, to_agency=to_agency)
    if reply_after is not None:
        inquiry.refresh_from_db()
        perform("reply", inquiry, by=replier, now=at + reply_after)
    return forwarding


@pytest.fixture
def hand_counted(agency_a, agency_b, agency_c, officer_a, officer_b, officer_c):
    """To B: replied in 2 h, replied after 30 h, open and overdue; to C: replied on
    time; to B in February: outside the period."""
    march_2 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
    a = (agency_a, officer_a)
    return {
        "b_on_time": forwarded(*a, agency_b, march_2, replier=officer_b, reply_after=2 * HOUR),
        "b_late": forwarded(*a, agency_b, march_2, replier=officer_b, reply_after=30 * HOUR),
        "b_open": forwarded(*a, agency_b, march_2 + 240 * HOUR),
        "c_on_time": forwarded(*a, agency_c, march_2, replier=officer_c, reply_after=HOUR),
        "b_february": forwarded(*a, agency_b, dt.datetime(2026, 2, 10, 1, 0, tzinfo=dt.UTC)),
    }


def test_on_time_rates_match_the_hand_count(
    hand_counted, agency_a, agency_b, agency_c, django_assert_num_queries
):
    start, end = MARCH
    with django_assert_num_queries(1):
        rates = on_time_rates(start=start, end=end, now=NOW)
    assert set(rates) == {agency_b.pk, agency_c.pk}
    b, c = rates[agency_b.pk], rates[agency_c.pk]
    assert (b.total, b.replied, b.replied_on_time, b.overdue_open) == (3, 2, 1, 1)
    assert b.rate == pytest.approx(1 / 3)
    assert (c.total, c.replied, c.replied_on_time, c.overdue_open) == (1, 1, 1, 0)
    assert c.rate == 1
    only_c = on_time_rates(start=start, end=end, now=NOW, agency_ids=[agency_c.pk])
    assert set(only_c) == {agency_c.pk}


def test_february_counts_only_the_february_forwarding(hand_counted, agency_b):
    february = period_bounds("bulan", dt.datetime(2026, 2, 15, tzinfo=dt.UTC))
    rates = on_time_rates(start=february[0], end=february[1], now=NOW)
    assert (rates[agency_b.pk].total, rates[agency_b.pk].overdue_open) == (1, 1)
    assert rates[agency_b.pk].rate == 0


def test_period_bounds_are_wib():
    assert period_bounds("bulan", NOW) == MARCH
    # The first quarter: 1 January to 1 April, WIB.
    assert period_bounds("kuartal", NOW) == (
        dt.datetime(2025, 12, 31, 17, 0, tzinfo=dt.UTC),
        MARCH[1],
    )
    # 23:30 WIB on 31 December is still this year.
    year = period_bounds("tahun", dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC))
    assert year == (
        dt.datetime(2025, 12, 31, 17, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 31, 17, 0, tzinfo=dt.UTC),
    )


def test_due_soon_and_overdue(hand_counted, agency_a, officer_a, agency_b, agency_c):
    soon = forwarded(agency_a, officer_a, agency_c, NOW - 20 * HOUR)  # due in 4 h
    forwarded(agency_a, officer_a, agency_c, NOW - 2 * HOUR)  # due in 22 h: not yet
    listed = list(due_soon_and_overdue(now=NOW))
    assert [f.pk for f in listed] == [
        hand_counted["b_february"].pk,
        hand_counted["b_open"].pk,
        soon.pk,
    ]
    assert [f.pk for f in due_soon_and_overdue(agency_id=agency_c.pk, now=NOW)] == [soon.pk]


URL = reverse("inquiries:deadline_board")


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_officer_sees_only_own_agency(client, hand_counted, officer_a, officer_b):
    client.force_login(officer_b)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-forwarding="{hand_counted["b_open"].pk}"' in html
    assert "data-rate>33%" in html
    assert "data-agency=" not in html
    assert "kotak=diteruskan&amp;terlambat=ya" in html

    client.force_login(officer_a)
    html = client.get(URL).content.decode()
    assert "data-forwarding=" not in html
    assert "data-rate>&ndash;" in html


def test_evaluator_sees_every_agency(client, hand_counted, evaluator, agency_b):
    client.force_login(evaluator)
    response = client.get(URL, {"urutan": "-persentase"})
    assert response.status_code == 200
    rows = [row.agency.slug for row in response.context["rows"]]
    assert rows[:2] == ["dinsos", "disdukcapil"]
    assert {"dinkes", "diskominfo"} <= set(rows)
    html = response.content.decode()
    assert f'data-forwarding="{hand_counted["b_open"].pk}"' in html
    assert "instansi=disdukcapil&amp;terlambat=ya" in html
    # An ordering outside the allow-list is ignored.
    response = client.get(URL, {"urutan": "agency__name", "periode": "abad"})
    assert response.status_code == 200
    assert response.context["period"] == "bulan"
    assert [row.agency.short_name for row in response.context["rows"]] == sorted(
        (row.agency.short_name for row in response.context["rows"]), key=str.lower
    )


def test_outsider_sees_nothing(client, hand_counted, outsider):
    client.force_login(outsider)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-forwarding=" not in html
    assert "data-agency=" not in html
    assert "data-own-rate" not in html


@pytest.mark.parametrize("who", ["officer_b", "evaluator"])
def test_constant_query_count(client, request, who, agency_a, officer_a, agency_b):
    client.force_login(request.getfixturevalue(who))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    for i in range(5):
        forwarded(agency_a, officer_a, agency_b, NOW - (23 - i) * HOUR)
    count()  # warm the per-process caches (session, site settings)
    few = count()
    for i in range(15):
        forwarded(agency_a, officer_a, agency_b, NOW - (30 + i) * HOUR)
    assert count() == few
