"""The deadline board (Lampiran B angka 4): the on-time rates counted by hand, the
due-soon list, who sees which rows and a fixed number of queries."""

import datetime as dt
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from accounts.tests.factories import AgencyFactory, UserFactory
from inquiries.board import (
    FIGURES,
    DeadlineState,
    due_soon_and_overdue,
    figure_forwardings,
    on_time_rates,
)
from inquiries.board_views import FIGURE_LABELS, period_bounds
from inquiries.tests.factories import InquiryFactory, perform
from notifications.models import EmailStatus, Notification

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
    with django_assert_num_queries(2):
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
    assert "tenggat/daftar/?periode=bulan&amp;angka=overdue_open" in html

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
    assert "instansi=disdukcapil&amp;angka=overdue_open" in html
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


# --- The lists behind the figures -------------------------------------------------------

LIST_URL = reverse("inquiries:deadline_list")


@pytest.fixture
def drill_down(hand_counted, agency_a, agency_b, agency_c, officer_a, officer_b):
    """The hand count, plus to B: open and not due yet, cancelled (the sender closed
    the inquiry as spam), re-routed to C (whose new forwarding is open and overdue)."""
    march_5 = dt.datetime(2026, 3, 5, 1, 0, tzinfo=dt.UTC)
    a = (agency_a, officer_a)
    cancelled = forwarded(*a, agency_b, march_5)
    perform("dismiss", cancelled.inquiry, by=officer_a, now=march_5 + HOUR)
    rerouted = forwarded(*a, agency_b, march_5)
    perform("reroute", rerouted.inquiry, by=officer_b, now=march_5 + HOUR, to_agency=agency_c)
    rerouted.inquiry.refresh_from_db()
    return {
        **hand_counted,
        "b_not_due": forwarded(*a, agency_b, NOW - 2 * HOUR),
        "b_cancelled": cancelled,
        "b_rerouted": rerouted,
        "c_after_reroute": rerouted.inquiry.current_forwarding,
    }


# What each figure of agency B counts in March, by hand.
B_MARCH = {
    "total": {"b_on_time", "b_late", "b_open", "b_not_due", "b_rerouted"},
    "replied": {"b_on_time", "b_late"},
    "replied_on_time": {"b_on_time"},
    "replied_late": {"b_late"},
    "overdue_open": {"b_open"},
}
C_MARCH = {
    "total": {"c_on_time", "c_after_reroute"},
    "replied": {"c_on_time"},
    "replied_on_time": {"c_on_time"},
    "replied_late": set(),
    "overdue_open": {"c_after_reroute"},
}


def pks(dataset, names):
    return {dataset[name].pk for name in names}


def test_the_hand_count_covers_every_figure():
    assert set(B_MARCH) == set(C_MARCH) == set(FIGURES) == set(FIGURE_LABELS)


def test_the_lists_hold_exactly_what_the_figures_count(drill_down, agency_b, agency_c):
    start, end = MARCH
    rates = on_time_rates(start=start, end=end, now=NOW)
    for agency, expected in ((agency_b, B_MARCH), (agency_c, C_MARCH)):
        for figure in FIGURES:
            listed = figure_forwardings(
                figure=figure, start=start, end=end, now=NOW, agency_ids=[agency.pk]
            )
            assert {f.pk for f in listed} == pks(drill_down, expected[figure]), figure
            assert getattr(rates[agency.pk], figure) == len(expected[figure]), figure


def test_each_forwarding_is_labelled_with_its_deadline_state(drill_down):
    start, end = MARCH
    states = {
        f.pk: f.deadline_state
        for f in figure_forwardings(figure="total", start=start, end=end, now=NOW)
    }
    assert states == {
        drill_down["b_on_time"].pk: DeadlineState.ON_TIME,
        drill_down["b_late"].pk: DeadlineState.LATE,
        drill_down["b_open"].pk: DeadlineState.OVERDUE,
        drill_down["b_not_due"].pk: DeadlineState.OPEN,
        drill_down["b_rerouted"].pk: DeadlineState.REROUTED,
        drill_down["c_on_time"].pk: DeadlineState.ON_TIME,
        drill_down["c_after_reroute"].pk: DeadlineState.OVERDUE,
    }


@pytest.mark.parametrize("figure", FIGURES)
@pytest.mark.parametrize("who", ["officer_b", "evaluator", "pimpinan", "administrator"])
def test_the_list_page_counts_the_board_figure(client, request, drill_down, agency_b, who, figure):
    client.force_login(request.getfixturevalue(who))
    params = {"angka": figure}
    if who != "officer_b":
        params["instansi"] = agency_b.slug
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    rate = on_time_rates(start=MARCH[0], end=MARCH[1], now=NOW)[agency_b.pk]
    page = response.context["page"]
    assert page.paginator.count == getattr(rate, figure) == len(B_MARCH[figure])
    assert {f.pk for f in page} == pks(drill_down, B_MARCH[figure])
    html = response.content.decode()
    assert f'data-count="{getattr(rate, figure)}"' in html
    heading = response.context["figure_label"]
    assert f"{heading}: {agency_b.name}, This month" in html


def test_regency_roles_see_every_agency_without_instansi(client, drill_down, evaluator):
    client.force_login(evaluator)
    response = client.get(LIST_URL, {"angka": "overdue_open"})
    assert {f.pk for f in response.context["page"]} == pks(
        drill_down, {"b_open", "c_after_reroute"}
    )
    assert "Overdue now: All agencies, This month" in response.content.decode()


def test_the_list_shows_the_columns_in_wib(client, drill_down, evaluator):
    client.force_login(evaluator)
    html = client.get(LIST_URL, {"angka": "replied_late"}).content.decode()
    late = drill_down["b_late"]
    # Forwarded 2 March 01:00 UTC, due 24 h later, replied after 30 h.
    assert f'href="{reverse("inquiries:detail", args=[late.inquiry_id])}"' in html
    assert late.inquiry.tracking_code in html
    assert "2 Mar 2026 08:00 WIB" in html
    assert "3 Mar 2026 08:00 WIB" in html
    assert "3 Mar 2026 14:00 WIB" in html
    assert 'data-state="late"' in html
    assert "Dinkes" in html and "Disdukcapil" in html


def test_the_period_narrows_the_list(client, drill_down, evaluator, agency_b):
    client.force_login(evaluator)
    # This year holds February too.
    response = client.get(
        LIST_URL, {"angka": "overdue_open", "instansi": "disdukcapil", "periode": "tahun"}
    )
    assert {f.pk for f in response.context["page"]} == pks(drill_down, {"b_open", "b_february"})
    assert "Overdue now: Dinas Kependudukan dan Pencatatan Sipil, This year" in (
        response.content.decode()
    )


def test_an_unknown_figure_or_period_falls_back(client, drill_down, evaluator):
    client.force_login(evaluator)
    response = client.get(
        LIST_URL, {"angka": "pk__gt", "periode": "abad", "instansi": "disdukcapil"}
    )
    assert response.status_code == 200
    assert (response.context["figure"], response.context["period"]) == ("total", "bulan")
    assert response.context["page"].paginator.count == len(B_MARCH["total"])


def test_agency_roles_see_only_their_own_agency(client, drill_down, officer_a, officer_b):
    client.force_login(officer_b)
    assert client.get(LIST_URL, {"instansi": "dinsos"}).status_code == 404
    assert client.get(LIST_URL, {"instansi": "dinkes"}).status_code == 404
    own = client.get(LIST_URL, {"instansi": "disdukcapil"})
    assert {f.pk for f in own.context["page"]} == pks(drill_down, B_MARCH["total"])
    # Agency A forwarded everything and received nothing.
    client.force_login(officer_a)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert "No forwarding is counted in this figure." in response.content.decode()


def test_an_unknown_agency_does_not_exist(client, drill_down, evaluator):
    client.force_login(evaluator)
    assert client.get(LIST_URL, {"instansi": "tidak-ada"}).status_code == 404


@pytest.mark.parametrize(
    ("who", "own", "other"),
    [
        ("officer_a", 200, 404),
        ("pejabat_a", 200, 404),
        ("officer_b", 200, 200),
        ("evaluator", 200, 200),
        ("pimpinan", 200, 200),
        ("administrator", 200, 200),
        ("outsider", 200, 404),
    ],
)
def test_list_permission_matrix(client, cast, agency_b, who, own, other):
    """``own``: without ``instansi``; ``other``: with agency B's slug."""
    client.force_login(cast[who])
    assert client.get(LIST_URL).status_code == own
    assert client.get(LIST_URL, {"instansi": agency_b.slug}).status_code == other


def test_anonymous_is_sent_to_login_from_the_list(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_list_paginates(client, agency_a, officer_a, agency_b, officer_b):
    for i in range(27):
        forwarded(agency_a, officer_a, agency_b, NOW - (30 + i) * HOUR)
    client.force_login(officer_b)
    first = client.get(LIST_URL, {"angka": "overdue_open"})
    assert first.context["page"].paginator.count == 27
    assert len(first.context["page"].object_list) == 25
    assert 'data-count="27"' in first.content.decode()
    second = client.get(LIST_URL, {"angka": "overdue_open", "halaman": 2})
    assert len(second.context["page"].object_list) == 2


@pytest.mark.parametrize("who", ["officer_b", "evaluator"])
def test_list_query_count_is_constant(client, request, who, agency_a, officer_a, agency_b):
    client.force_login(request.getfixturevalue(who))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST_URL, {"angka": "total"})
            assert response.status_code == 200
        return len(queries)

    for i in range(3):
        forwarded(agency_a, officer_a, agency_b, NOW - (30 + i) * HOUR)
    count()  # warm the per-process caches (session, site settings)
    few = count()
    for i in range(12):
        forwarded(agency_a, officer_a, agency_b, NOW - (40 + i) * HOUR)
    assert client.get(LIST_URL).context["page"].paginator.count == 15
    assert count() == few


# --- The board links to the lists ---------------------------------------------------------

LINK = re.compile(r'<a href="([^"]+)" data-(total|on-time|overdue-count)>(\d+)</a>')
LINKED_FIGURES = {"total": "total", "on-time": "replied_on_time", "overdue-count": "overdue_open"}


def board_links(html: str) -> list[tuple[str, str, int]]:
    return [(unescape(url), LINKED_FIGURES[kind], int(n)) for url, kind, n in LINK.findall(html)]


@pytest.mark.parametrize("who", ["officer_b", "evaluator"])
def test_every_board_number_links_to_a_list_of_that_many(client, request, drill_down, who):
    client.force_login(request.getfixturevalue(who))
    html = client.get(URL, {"periode": "kuartal"}).content.decode()
    links = board_links(html)
    # The officer's summary: three numbers; the evaluator: three per agency row.
    assert len(links) == (3 if who == "officer_b" else 3 * html.count("data-agency="))
    for url, figure, number in links:
        query = parse_qs(urlsplit(url).query)
        assert urlsplit(url).path == LIST_URL
        assert query["angka"] == [figure]
        assert query["periode"] == ["kuartal"]
        assert ("instansi" in query) is (who == "evaluator")
        response = client.get(url)
        assert response.context["page"].paginator.count == number, url


def test_board_links_carry_the_params(client, drill_down, officer_b, evaluator):
    client.force_login(evaluator)
    html = client.get(URL, {"periode": "tahun"}).content.decode()
    assert f"{LIST_URL}?periode=tahun&amp;instansi=disdukcapil&amp;angka=overdue_open" in html
    assert f"{LIST_URL}?periode=tahun&amp;instansi=dinsos&amp;angka=replied_on_time" in html
    client.force_login(officer_b)
    html = client.get(URL).content.decode()
    assert f"{LIST_URL}?periode=bulan&amp;angka=total" in html
    assert "instansi=" not in html


# --- Notification e-mails that failed -------------------------------------------------------


def notice(recipient, key, status):
    return Notification.objects.create(
        recipient=recipient,
        key=key,
        kind="test",
        title=f"Pemberitahuan {key}",
        body="Isi.",
        created_at=NOW,
        email_status=status,
    )


@pytest.fixture
def notices(officer_a):
    return {
        status: notice(officer_a, f"test:{status}", status)
        for status in (EmailStatus.FAILED, EmailStatus.PENDING, EmailStatus.SENT)
    }


@pytest.mark.parametrize(
    ("who", "shown", "linked"),
    [
        ("officer_a", False, False),
        ("evaluator", True, False),
        ("pimpinan", True, False),
        ("administrator", True, True),
    ],
)
def test_regency_roles_see_how_many_emails_failed(
    client, cast, notices, officer_b, who, shown, linked
):
    notice(officer_b, "test:failed-too", EmailStatus.FAILED)
    client.force_login(cast[who])
    html = client.get(URL).content.decode()
    assert ('data-failed-emails="2"' in html) is shown
    assert ("2 notification e-mails failed to send." in html) is shown
    admin_url = (
        f"{reverse('admin:notifications_notification_changelist')}?email_status__exact=failed"
    )
    assert (admin_url in html) is linked
    if linked:
        changelist = client.get(admin_url)
        assert changelist.status_code == 200
        assert changelist.context["cl"].result_count == 2


def test_no_failed_email_is_said_so(client, evaluator):
    client.force_login(evaluator)
    html = client.get(URL).content.decode()
    assert 'data-failed-emails="0"' in html
    assert "No notification e-mail failed to send." in html


def test_the_notification_list_marks_failed_and_pending_emails(client, notices, officer_a):
    client.force_login(officer_a)
    html = client.get(reverse("notifications:list")).content.decode()
    assert html.count('data-email-status="failed"') == 1
    assert html.count('data-email-status="pending"') == 1
    assert html.count("data-email-status=") == 2
    assert "E-mail failed to send" in html


def test_the_badges_are_indonesian_by_default(client, notices, officer_a, settings):
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    client.force_login(officer_a)
    with translation.override("id"):
        html = client.get(reverse("notifications:list")).content.decode()
    assert "Gagal kirim e-mail" in html


def test_the_board_links_the_working_calendar_for_those_who_may_change_it(client, cast):
    for name, linked in (("evaluator", True), ("administrator", True), ("officer_a", False)):
        client.force_login(cast[name])
        html = client.get(reverse("inquiries:deadline_board")).content.decode()
        assert (reverse("inquiries:deadline_calendar") in html) is linked, name
