"""The regency dashboard and the Pimpinan view: each figure against a hand count, the
drill-down list holding exactly the figure, a fixed number of queries, the export of
what is shown, and who may see it."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import AgencyFactory, OfficialAccountFactory
from inquiries import counts
from inquiries.models import ForwardingStatus
from inquiries.tests.factories import InquiryFactory, forwarding_made
from publications.models import AudienceSnapshot
from publications.tests.factories import PublishedPostFactory

pytestmark = pytest.mark.django_db

WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 7, 20, 2, 0, tzinfo=dt.UTC)  # 20 July 2026, 09:00 WIB
H = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _fixed(settings, time_machine):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    time_machine.move_to(NOW, tick=False)


def at(day, hour=9, month=7):
    return dt.datetime(2026, month, day, hour, tzinfo=WIB)


@pytest.fixture
def month(agency_a, agency_b, officer_a, officer_b):
    """July 2026, counted by hand.

    Agency A received 4 inquiries in July: 1 answered directly, 2 forwarded to B,
    1 still recorded; one in June is outside. Agency B received 1, forwarded to A.
    B received A's 2 forwardings: one replied in 3 h, one open past its deadline.
    A received B's 1, replied after 30 h (late).
    """
    ch_a, ch_b = OfficialAccountFactory(agency=agency_a), OfficialAccountFactory(agency=agency_b)
    inquiry(agency=agency_a, channel=ch_a, received_at=at(1), answered_at=at(1, 10))
    fwd = [
        inquiry(agency=agency_a, channel=ch_a, received_at=at(d), forwarded_at=at(d, 10))
        for d in (2, 18)
    ]
    InquiryFactory(agency=agency_a, channel=ch_a, received_at=at(5))
    InquiryFactory(agency=agency_a, channel=ch_a, received_at=at(30, month=6))
    from_b = inquiry(agency=agency_b, channel=ch_b, received_at=at(3), forwarded_at=at(3, 10))

    def forward(inquiry, sender, receiver, by, when, replied_after=None):
        forwarding_made(
            inquiry=inquiry,
            from_agency=sender,
            to_agency=receiver,
            forwarded_by=by,
            forwarded_at=when,
            due_at=when + 24 * H,
            status=ForwardingStatus.REPLIED if replied_after else ForwardingStatus.OPEN,
            replied_at=when + replied_after if replied_after else None,
            replied_by=by if replied_after else None,
        )

    forward(fwd[0], agency_a, agency_b, officer_a, at(2, 10), replied_after=3 * H)
    forward(fwd[1], agency_a, agency_b, officer_a, at(18, 10))
    forward(from_b, agency_b, agency_a, officer_b, at(3, 10), replied_after=30 * H)
    AudienceSnapshot.objects.create(
        account=ch_a,
        taken_on=dt.date(2026, 7, 1),
        followers=1200,
        source="manual",
        recorded_by=officer_a,
        recorded_at=NOW,
    )
    PublishedPostFactory(account=ch_a, published_at=at(10, month=3))
    PublishedPostFactory(account=ch_a, published_at=at(10))


def inquiry(**fields):
    """An inquiry recorded through the flow, then given its answer or forwarding time."""
    later = {key: fields.pop(key) for key in ("answered_at", "forwarded_at") if key in fields}
    made = InquiryFactory(**fields)
    if later:
        # Set directly (the fixture also writes its forwardings by hand), moving the
        # daily counters as the flow would.
        with transaction.atomic():
            before = counts.counted(made)
            type(made).objects.filter(pk=made.pk).update(**later)
            made.refresh_from_db()
            counts.change(made, before=before)
    return made


def row_of(html: str, slug: str) -> str:
    return html.split(f'data-agency="{slug}"')[1].split("</tr>")[0]


def figure(row: str, name: str) -> str:
    return row.split(f'data-figure="{name}">')[1].split("<")[0]


def test_each_figure_against_the_hand_count(client, month, evaluator):
    client.force_login(evaluator)
    html = client.get(reverse("reports:dashboard"), {"periode": "bulan"}).content.decode()
    a, b = row_of(html, "dinkes"), row_of(html, "disdukcapil")
    assert (figure(a, "received"), figure(a, "answered_directly"), figure(a, "forwarded")) == (
        "4",
        "1",
        "2",
    )
    assert (figure(b, "received"), figure(b, "forwarded")) == ("1", "1")
    assert figure(b, "on_time") == "1/2"  # B replied one of A's two in time
    assert figure(b, "overdue") == "1"
    assert figure(a, "on_time") == "0/1"  # A replied B's one late
    assert "1.200" in a  # audience
    assert '<td class="text-end">2</td>' in a  # posts this year


@pytest.mark.parametrize(
    ("slug", "name", "count"),
    [("dinkes", "received", 4), ("dinkes", "answered_directly", 1), ("dinkes", "forwarded", 2)],
)
def test_the_drill_down_lists_exactly_the_figure(client, month, evaluator, slug, name, count):
    client.force_login(evaluator)
    html = client.get(reverse("reports:dashboard")).content.decode()
    link = row_of(html, slug).split(f'data-figure="{name}"')[0].rsplit('href="', 1)[1].split('"')[0]
    listing = client.get(link.replace("&amp;", "&")).content.decode()
    assert listing.count("data-inquiry=") == count


def test_the_overdue_figure_opens_the_board_list_with_the_same_count(client, month, evaluator):
    client.force_login(evaluator)
    html = client.get(reverse("reports:dashboard")).content.decode()
    link = row_of(html, "disdukcapil").split('data-figure="overdue"')[0].rsplit('href="', 1)[1]
    listing = client.get(link.split('"')[0].replace("&amp;", "&")).content.decode()
    assert listing.count("data-forwarding=") == 1


def test_the_dashboard_takes_a_fixed_number_of_queries(client, month, evaluator):
    client.force_login(evaluator)
    client.get(reverse("reports:dashboard"))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reports:dashboard")).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(10):
        OfficialAccountFactory(agency=AgencyFactory())
    assert queries() == few


def test_the_export_holds_what_is_shown(client, month, evaluator):
    client.force_login(evaluator)
    body = client.get(reverse("reports:dashboard"), {"format": "csv", "kepatuhan": "belum"})
    rows = list(csv.reader(io.StringIO(body.content.decode("utf-8-sig"))))
    html = client.get(reverse("reports:dashboard"), {"kepatuhan": "belum"}).content.decode()
    assert len(rows) - 1 == html.count('<tr data-agency="')
    dinkes = next(r for r in rows if r[0] == "Dinas Kesehatan")
    assert dinkes[2:5] == ["4", "1", "2"]


def test_sorting_is_allow_listed(client, month, evaluator):
    client.force_login(evaluator)
    html = client.get(reverse("reports:dashboard"), {"urutan": "diterima"}).content.decode()
    assert html.index('data-agency="dinkes"') < html.index('data-agency="disdukcapil"')
    assert (
        client.get(reverse("reports:dashboard"), {"urutan": "agency__password"}).status_code == 200
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer_a", 403),
        ("pejabat_a", 403),
        ("outsider", 403),
        ("evaluator", 200),
        ("pimpinan", 200),
        ("administrator", 200),
    ],
)
def test_who_sees_the_dashboard_and_the_pimpinan_view(client, request, month, who, status):
    client.force_login(request.getfixturevalue(who))
    for name in ("dashboard", "pimpinan"):
        assert client.get(reverse(f"reports:{name}")).status_code == status
    url = reverse("reports:dashboard_inquiries") + "?angka=diterima"
    assert client.get(url).status_code == status


def test_the_pimpinan_view_lists_agencies_needing_attention(client, month, pimpinan):
    client.force_login(pimpinan)
    html = client.get(reverse("reports:pimpinan")).content.decode()
    attention = html.split("data-attention")[1].split('id="files-heading"')[0]
    # B has an overdue forwarding; every test agency lacks decrees, so all are listed.
    assert 'data-agency="disdukcapil"' in attention
    assert "1 penerusan melewati tenggat" in attention or "1 forwarding overdue" in attention
    assert "<form" not in html.split("data-attention")[1].split("<h2")[0]  # read-only


def test_overdue_per_week_against_the_hand_count(month):
    from inquiries.board_views import period_bounds
    from reports import trends

    start, end = period_bounds("bulan", NOW)
    weeks, overdue = trends.overdue_per_week(start, end, NOW, None)
    assert [w.isoformat() for w in weeks] == [
        "2026-06-29",
        "2026-07-06",
        "2026-07-13",
        "2026-07-20",
        "2026-07-27",
    ]
    # B's forwarding to A was replied late, but before the end of its week: never counted.
    # A's second forwarding to B (due 19 July, open) is overdue from the week of 13 July on.
    assert overdue == [0, 0, 1, 1, 1]


def test_inquiries_per_week_against_the_hand_count(client, month, evaluator):
    """July 2026: A's inquiries of 1, 2 and 5 July and B's of 3 July fall in the week of
    29 June, A's of 18 July in the week of 13 July; all are questions. The chart counts
    only the agencies shown: with a kind of agency that none of them is, nothing."""
    client.force_login(evaluator)
    url = reverse("reports:dashboard")
    table = client.get(url, {"periode": "bulan"}).context["charts"]["inquiries_table"]
    assert [counts[0] for _label, counts in table] == [4, 0, 1, 0, 0]
    assert all(sum(counts[1:]) == 0 for _label, counts in table)
    none_shown = client.get(url, {"periode": "bulan", "jenis": "kecamatan"}).context
    assert all(sum(counts) == 0 for _label, counts in none_shown["charts"]["inquiries_table"])


def test_overdue_per_week_equals_the_definition_on_random_forwardings(
    agency_a, agency_b, officer_a
):
    """The bucketed count against the plain definition — at the end of each week (or
    now), due before it and not replied by it — over 60 seeded random forwardings,
    some due or replied exactly at a week's end."""
    import random

    from inquiries.board_views import period_bounds
    from reports import trends

    rng = random.Random(8)
    channel = OfficialAccountFactory(agency=agency_a)
    start, end = period_bounds("bulan", NOW)
    week_ends = [dt.datetime(2026, 7, d, tzinfo=WIB) for d in (6, 13, 20, 27)]
    made = []
    for _ in range(60):
        forwarded = start + dt.timedelta(minutes=rng.randrange(0, 19 * 24 * 60))
        due = rng.choice([forwarded + 24 * H, rng.choice(week_ends)])
        reply = rng.choice([None, due + rng.choice([H, 30 * H, 100 * H]), rng.choice(week_ends)])
        if reply is not None and reply <= forwarded:
            reply = None
        inquiry = InquiryFactory(agency=agency_a, channel=channel, received_at=forwarded - H)
        forwarding_made(
            inquiry=inquiry,
            from_agency=agency_a,
            to_agency=agency_b,
            forwarded_by=officer_a,
            forwarded_at=forwarded,
            due_at=due,
            status=ForwardingStatus.REPLIED if reply else ForwardingStatus.OPEN,
            replied_at=reply,
            replied_by=officer_a if reply else None,
        )
        made.append((due, reply))
    weeks, overdue = trends.overdue_per_week(start, end, NOW, None)
    moments = [
        min(dt.datetime.combine(w + dt.timedelta(days=7), dt.time(), WIB), NOW) for w in weeks
    ]
    expected = [
        sum(1 for due, reply in made if due < m and (reply is None or reply > m)) for m in moments
    ]
    assert overdue == expected
    assert any(expected)  # the data exercises the count
