"""The optional working calendar of the 24-hour reply deadline (Lampiran B angka 4):
the arithmetic, the Diskominfo settings page, and a forwarding's deadline and
reminders with the calendar on."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import OfficialAccountFactory
from audit.models import AuditEvent
from inquiries import flow, services, workcalendar
from inquiries.deadlines import deadline_sweep, next_notice_at, notice_marks
from inquiries.models import DeadlineCalendar, Forwarding
from inquiries.workcalendar import WIB, WorkingCalendar, holidays_of
from notifications.models import Notification

H = dt.timedelta(hours=1)
MIN = dt.timedelta(minutes=1)
S = dt.timedelta(seconds=1)
ON = WorkingCalendar(enabled=True)  # 07:30–16:00, Monday to Friday, cuti bersama off
OFF = WorkingCalendar()


def wib(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


def holiday_named(year: int, text: str, *, cuti: bool = False) -> list[dt.date]:
    """The days of ``year`` whose Indonesian name in the library contains ``text``."""
    return [
        h.day
        for h in holidays_of(year, include_cuti_bersama=True, language="id")
        if text in h.name and h.cuti_bersama == cuti
    ]


# --- The arithmetic, pure --------------------------------------------------------------------


def test_wib_has_no_daylight_saving():
    assert wib(2026, 1, 15, 12).utcoffset() == wib(2026, 7, 15, 12).utcoffset() == 7 * H


@pytest.mark.parametrize(
    "start",
    [wib(2026, 3, 6, 15), wib(2026, 3, 7, 3), wib(2026, 8, 17, 9), wib(2026, 3, 2, 22)],
    ids=["friday", "saturday-night", "independence-day", "late-evening"],
)
def test_disabled_is_the_wall_clock(start):
    assert OFF.add(start, 24) == start + 24 * H
    assert OFF.add(start, dt.timedelta(hours=24)) == start + 24 * H
    assert OFF.subtract(start, 6) == start - 6 * H
    assert OFF.working_hours_between(start, start + 30 * H) == 30 * H
    # The sweep's marks without a calendar are those it always had.
    assert notice_marks(start, calendar=OFF) == notice_marks(start)


def test_friday_afternoon_plus_24_working_hours_crosses_the_weekend():
    start = wib(2026, 3, 6, 15)  # Friday 15:00
    assert start.weekday() == 4
    # Friday 1 h, Monday 8.5 h, Tuesday 8.5 h, Wednesday 6 h.
    due = ON.add(start, 24)
    assert due == wib(2026, 3, 11, 13, 30)
    assert due.tzinfo == dt.UTC
    assert ON.working_hours_between(start, due) == 24 * H
    assert ON.subtract(due, 24) == start


def test_a_forwarding_at_night_starts_counting_next_morning():
    night = wib(2026, 3, 2, 22)  # Monday 22:00
    early = wib(2026, 3, 3, 5)  # Tuesday 05:00
    opening = wib(2026, 3, 3, 7, 30)
    assert ON.add(night, 24) == ON.add(early, 24) == ON.add(opening, 24)
    assert ON.add(night, 24) == wib(2026, 3, 5, 14, 30)  # Tue 8.5 + Wed 8.5 + Thu 7
    assert ON.add(night, 0.5) == wib(2026, 3, 3, 8)
    assert ON.working_hours_between(night, opening) == dt.timedelta(0)


def test_a_deadline_ending_with_the_working_day_is_at_its_end():
    assert ON.add(wib(2026, 3, 5, 7, 30), 8.5) == wib(2026, 3, 5, 16)
    assert ON.add(wib(2026, 3, 5, 16), 0.5) == wib(2026, 3, 6, 8)


def test_independence_day_from_the_library_is_a_day_off():
    day = dt.date(2026, 8, 17)
    assert holiday_named(2026, "Kemerdekaan") == [day]
    assert day.weekday() == 0  # a Monday
    assert ON.is_holiday(day) and not ON.is_working_day(day)
    assert all(ON.is_working_day(day + dt.timedelta(days=n)) for n in (1, 2, 3))
    start = wib(2026, 8, 17, 9)
    assert ON.add(start, 24) == wib(2026, 8, 20, 14, 30)  # from Tuesday 07:30
    assert ON.working_hours_between(wib(2026, 8, 14, 16), wib(2026, 8, 18, 7, 30)) == dt.timedelta(
        0
    )


def test_idul_fitri_2026_and_its_cuti_bersama_from_the_library():
    eid = holiday_named(2026, "Idul Fitri")
    cuti = holiday_named(2026, "Idul Fitri", cuti=True)
    assert eid and cuti
    first = eid[0]
    start = dt.datetime.combine(first, dt.time(10), tzinfo=WIB)
    with_cuti = WorkingCalendar(enabled=True, include_cuti_bersama=True)
    without_cuti = WorkingCalendar(enabled=True, include_cuti_bersama=False)

    def next_working_day(calendar: WorkingCalendar) -> dt.date:
        day = first
        while not calendar.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    # Each calendar starts the clock on its first working day after Eid, at 07:30.
    for calendar in (with_cuti, without_cuti):
        opening = dt.datetime.combine(next_working_day(calendar), dt.time(7, 30), tzinfo=WIB)
        assert calendar.add(start, 1) == opening + H
    # In 2026 Eid is Saturday 21 March; cuti bersama on Monday 23 and Tuesday 24 March.
    assert first == dt.date(2026, 3, 21)
    assert {dt.date(2026, 3, 23), dt.date(2026, 3, 24)} <= set(cuti)
    assert next_working_day(without_cuti) == dt.date(2026, 3, 23)
    assert next_working_day(with_cuti) == dt.date(2026, 3, 25)


def test_subtract_gives_the_latest_moment_at_the_start_of_a_working_day():
    due = wib(2026, 3, 9, 13, 30)  # Monday 13:30
    assert ON.subtract(due, 6) == wib(2026, 3, 9, 7, 30)
    assert ON.subtract(due, 1) == wib(2026, 3, 9, 12, 30)
    # Across the weekend: Monday 07:30–09:30 is 2 h, the other 4 h end Friday at 16:00.
    assert ON.subtract(wib(2026, 3, 9, 9, 30), 6) == wib(2026, 3, 6, 12)
    assert ON.subtract(wib(2026, 3, 9, 6), 1) == wib(2026, 3, 6, 15)


@pytest.mark.parametrize("hours", [0.5, 1, 6, 8.5, 24, 60])
@pytest.mark.parametrize(
    "start", [wib(2026, 3, 2, 7, 30), wib(2026, 3, 6, 15, 45), wib(2026, 12, 23, 12)]
)
def test_add_subtract_and_between_agree(start, hours):
    due = ON.add(start, hours)
    assert ON.working_hours_between(start, due) == dt.timedelta(hours=hours)
    assert ON.subtract(due, hours) == start


def test_working_hours_between_counts_only_working_hours():
    assert ON.working_hours_between(wib(2026, 3, 6, 12), wib(2026, 3, 9, 10)) == 6.5 * H
    assert ON.working_hours_between(wib(2026, 3, 9, 10), wib(2026, 3, 6, 12)) == dt.timedelta(0)
    assert ON.working_hours_between(wib(2026, 3, 7, 8), wib(2026, 3, 8, 15)) == dt.timedelta(0)


def test_other_working_hours_and_refused_calendars():
    eight_to_four = WorkingCalendar(enabled=True, day_start=dt.time(8), day_end=dt.time(16))
    assert eight_to_four.add(wib(2026, 3, 6, 15), 24) == wib(2026, 3, 11, 15)
    with pytest.raises(ValueError, match="end after"):
        WorkingCalendar(enabled=True, day_start=dt.time(16), day_end=dt.time(7, 30))
    with pytest.raises(ValueError, match="aware"):
        ON.add(dt.datetime(2026, 3, 6, 15), 24)  # noqa: DTZ001 - naive on purpose


def test_holidays_are_looked_up_once_per_year(monkeypatch):
    calls = []
    real = workcalendar.holidays.country_holidays

    def counting(*args, **kwargs):
        calls.append(kwargs["years"])
        return real(*args, **kwargs)

    workcalendar._holidays.cache_clear()
    workcalendar._holiday_dates.cache_clear()
    monkeypatch.setattr(workcalendar.holidays, "country_holidays", counting)
    try:
        calendar = WorkingCalendar(enabled=True, include_cuti_bersama=True)
        for _ in range(3):
            calendar.add(wib(2026, 12, 30, 9), 24)  # into 2027
        assert sorted(calls) == [2026, 2026, 2027, 2027]  # public, government; per year
    finally:
        workcalendar._holidays.cache_clear()
        workcalendar._holiday_dates.cache_clear()


# --- The setting -------------------------------------------------------------------------------


def test_no_saved_setting_is_off(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert DeadlineCalendar.current() == OFF


def test_the_saved_setting_is_the_calendar_in_force(evaluator):
    services.deadline_calendar_update(
        by=evaluator,
        now=wib(2026, 3, 2, 9),
        enabled=True,
        day_start=dt.time(8),
        day_end=dt.time(15, 30),
        include_cuti_bersama=False,
    )
    calendar = DeadlineCalendar.current()
    assert calendar.enabled
    assert (calendar.day_start, calendar.day_end) == (dt.time(8), dt.time(15, 30))
    assert not calendar.include_cuti_bersama
    assert calendar.weekdays == frozenset(range(5))


@pytest.mark.parametrize("who", ["officer_a", "pejabat_a", "pimpinan", "outsider"])
def test_the_service_refuses_everybody_but_diskominfo(cast, who):
    with pytest.raises(services.CalendarError):
        services.deadline_calendar_update(by=cast[who], now=wib(2026, 3, 2, 9), enabled=True)
    assert not DeadlineCalendar.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_service_audits_changes_only(administrator):
    now = wib(2026, 3, 2, 9)
    services.deadline_calendar_update(by=administrator, now=now, enabled=False)
    assert not AuditEvent.objects.exists()  # nothing changed
    services.deadline_calendar_update(by=administrator, now=now, enabled=True)
    event = AuditEvent.objects.get()
    assert event.action == "deadline_calendar.update"
    assert event.actor == administrator
    assert event.changes == {"enabled": ["False", "True"]}
    with pytest.raises(services.CalendarError):
        services.deadline_calendar_update(by=administrator, now=now, day_end=dt.time(7))
    assert AuditEvent.objects.count() == 1
    with pytest.raises(TypeError):
        services.deadline_calendar_update(by=administrator, now=now, weekdays={5, 6})


# --- The settings page -------------------------------------------------------------------------

URL = reverse("inquiries:deadline_calendar")
PAGE_NOW = dt.datetime(2026, 8, 3, 2, 0, tzinfo=dt.UTC)  # Monday 09:00 WIB
VALID = {"enabled": "on", "day_start": "08:00", "day_end": "16:00", "include_cuti_bersama": "on"}


@pytest.fixture
def _page_clock():
    with time_machine.travel(PAGE_NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEADLINE_REMINDER_HOURS = (6, 1)
    settings.DEADLINE_SECOND_ESCALATION_HOURS = 24


def test_anonymous_is_sent_to_login(client, db):
    for response in (client.get(URL), client.post(URL, VALID)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer_a", 403),
        ("officer_b", 403),
        ("pejabat_a", 403),
        ("pimpinan", 403),
        ("outsider", 403),
        ("evaluator", 200),
        ("administrator", 200),
    ],
)
def test_permission_matrix(client, cast, _page_clock, who, status):
    client.force_login(cast[who])
    assert client.get(URL).status_code == status
    response = client.post(URL, VALID)
    assert response.status_code == (302 if status == 200 else 403)
    assert DeadlineCalendar.objects.filter(enabled=True).exists() == (status == 200)


def test_the_page_explains_the_default_and_lists_the_library_s_holidays(
    client, evaluator, _page_clock
):
    client.force_login(evaluator)
    response = client.get(URL)
    html = response.content.decode()
    assert response.context["calendar"] == OFF
    assert 'data-calendar-enabled="0"' in html
    assert "24 jam" in html
    assert "Kalender kerja" in html
    # Holidays of this year from today on, and of next year, from the library.
    shown = {h.day for h in response.context["holidays"]}
    assert dt.date(2026, 8, 17) in shown
    assert dt.date(2026, 6, 1) not in shown  # already past
    assert {h.day for h in holidays_of(2027, include_cuti_bersama=True)} <= shown
    assert 'data-holiday="2026-08-17"' in html
    assert "Hari Kemerdekaan" in html
    assert "cuti bersama" in html
    # A forwarding made now is due 24 hours later on the wall clock.
    assert response.context["due_now"] == PAGE_NOW + 24 * H


def test_the_evaluator_saves_the_calendar_and_it_is_audited(client, evaluator, _page_clock):
    client.force_login(evaluator)
    response = client.post(URL, VALID, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    setting = DeadlineCalendar.objects.get()
    assert setting.enabled and setting.day_start == dt.time(8) and setting.include_cuti_bersama
    assert setting.updated_by == evaluator and setting.updated_at == PAGE_NOW
    event = AuditEvent.objects.get(action="deadline_calendar.update")
    assert event.actor == evaluator
    assert event.changes == {"enabled": ["False", "True"], "day_start": ["07:30:00", "08:00:00"]}
    html = response.content.decode()
    assert "Kalender kerja disimpan" in html
    assert 'data-calendar-enabled="1"' in html
    # Monday 09:00: 24 working hours from 08:00–16:00 days end on Thursday at 09:00.
    assert response.context["due_now"] == wib(2026, 8, 6, 9)

    response = client.post(URL, VALID, follow=True)
    assert "Tidak ada yang diubah" in response.content.decode()
    assert AuditEvent.objects.filter(action="deadline_calendar.update").count() == 1


def test_the_working_day_must_end_after_it_starts(client, administrator, _page_clock):
    client.force_login(administrator)
    response = client.post(URL, {**VALID, "day_start": "16:00", "day_end": "07:30"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Jam selesai kerja harus lebih lambat dari jam mulai (16:00)." in html
    assert "is-invalid" in html
    response = client.post(URL, {**VALID, "day_start": "pagi"})
    assert "Masukkan jam seperti 07:30." in response.content.decode()
    assert not DeadlineCalendar.objects.exists()
    assert not AuditEvent.objects.exists()


# --- A forwarding with the calendar on ---------------------------------------------------------

# Wednesday 4 March 2026, 11:00 WIB: Wed 5 h, Thu 8.5 h, Fri 8.5 h, Mon 2 h = 24 working hours.
FORWARDED = wib(2026, 3, 4, 11)
DUE = wib(2026, 3, 9, 9, 30)  # Monday 09:30 (on the wall clock it would be Thursday 11:00)


def forward(cast, agency_b, now=FORWARDED) -> Forwarding:
    officer = cast["officer_a"]
    inquiry, _ = flow.inquiry_record(
        agency=officer.agency,
        channel=OfficialAccountFactory(agency=officer.agency),
        kind="pertanyaan",
        author_name="Budi Santoso",
        text="Kapan jadwal perekaman KTP elektronik di kecamatan?",
        received_at=now - H,
        by=officer,
        now=now - H + S,
    )
    return flow.inquiry_forward(inquiry=inquiry, to_agency=agency_b, by=officer, now=now)


def switch_on(by, now=FORWARDED - H):
    services.deadline_calendar_update(by=by, now=now, enabled=True, include_cuti_bersama=True)


def deadline_keys(forwarding):
    """The sweep's notices about ``forwarding`` (not the "forwarded to you" notice)."""
    rows = Notification.objects.filter(key__startswith=f"fwd:{forwarding.pk}:").filter(
        kind__startswith="deadline_"
    )
    return sorted((n.key.split(":", 2)[2], n.recipient.username) for n in rows)


def test_with_the_calendar_off_the_deadline_is_24_wall_clock_hours(cast, agency_b):
    forwarding = forward(cast, agency_b)
    assert forwarding.due_at == FORWARDED + 24 * H
    assert forwarding.next_notice_at == FORWARDED + 18 * H


def test_due_at_and_reminders_follow_working_hours(cast, agency_b):
    switch_on(cast["evaluator"])
    forwarding = forward(cast, agency_b)
    assert forwarding.due_at == DUE
    assert forwarding.inquiry.due_at == DUE
    six_before = wib(2026, 3, 6, 12)  # Friday 12:00: Fri 12–16 and Mon 07:30–09:30
    one_before = wib(2026, 3, 9, 8, 30)
    assert forwarding.next_notice_at == six_before
    assert notice_marks(DUE, calendar=DeadlineCalendar.current()) == [
        six_before,
        one_before,
        DUE + dt.timedelta(microseconds=1),
        DUE + 24 * H,  # the second escalation stays on the wall clock
    ]

    assert sum(deadline_sweep(now=six_before - MIN).values()) == 0
    assert deadline_sweep(now=six_before)["reminder"] == 1
    assert deadline_keys(forwarding) == [("reminder:6h", "petugas_b")]
    reminder = Notification.objects.get(key__endswith=":reminder:6h")
    assert "6 jam kerja" in reminder.title
    assert "09-03-2026 09:30 WIB" in reminder.body
    forwarding.refresh_from_db()
    assert forwarding.next_notice_at == one_before

    # The weekend: nothing is due (wall-clock 6 hours before would be Monday 03:30).
    assert sum(deadline_sweep(now=wib(2026, 3, 9, 3, 30)).values()) == 0
    assert deadline_sweep(now=one_before)["reminder"] == 1
    assert sum(deadline_sweep(now=DUE).values()) == 0
    assert deadline_sweep(now=DUE + S) == {"reminder": 0, "overdue": 1, "escalation": 1}
    assert deadline_sweep(now=DUE + 24 * H)["escalation"] == 1
    assert deadline_keys(forwarding) == [
        ("escalation:1", "evaluator"),
        ("escalation:2", "evaluator"),
        ("overdue", "petugas_b"),
        ("reminder:1h", "petugas_b"),
        ("reminder:6h", "petugas_b"),
    ]


def test_the_sweep_reads_the_calendar_once_and_only_when_something_is_due(cast, agency_b):
    switch_on(cast["evaluator"])
    forward(cast, agency_b)

    def calendar_reads(now):
        with CaptureQueriesContext(connection) as queries:
            deadline_sweep(now=now, batch_size=1)
        return sum("deadlinecalendar" in q["sql"] for q in queries.captured_queries)

    assert calendar_reads(wib(2026, 3, 4, 12)) == 0  # nothing due: one index probe
    assert calendar_reads(wib(2026, 3, 6, 12)) == 1


def test_switching_the_calendar_on_re_derives_the_marks_of_open_forwardings(cast, agency_b):
    forwarding = forward(cast, agency_b)  # wall clock: due Thursday 5 March 11:00
    wall_due = FORWARDED + 24 * H
    assert forwarding.next_notice_at == wall_due - 6 * H
    switch_on(cast["evaluator"], now=FORWARDED + H)
    forwarding.refresh_from_db()
    assert forwarding.due_at == wall_due  # a deadline already given is not moved
    assert forwarding.next_notice_at == FORWARDED + H
    assert sum(deadline_sweep(now=FORWARDED + H).values()) == 0
    forwarding.refresh_from_db()
    # 6 working hours before Thursday 11:00: Thursday 07:30–11:00 and Wednesday 13:30–16:00.
    assert forwarding.next_notice_at == wib(2026, 3, 4, 13, 30)
    assert forwarding.next_notice_at == next_notice_at(
        wall_due, after=FORWARDED + H, calendar=DeadlineCalendar.current()
    )
