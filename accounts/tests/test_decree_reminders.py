"""Reminders to an agency's pejabat 30 and 7 days before a decree expires: each once,
to the right people, whether the job runs daily, twice a day or after a gap."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.urls import reverse

from accounts.models import AppointmentRole
from accounts.services import decree_expiry_remind
from accounts.tasks import decree_expiry_reminders
from accounts.tests.factories import AppointmentFactory, AsnUserFactory, DecreeFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
UNTIL = dt.date(2026, 7, 31)


def at(day: dt.date) -> dt.datetime:
    """07:00 WIB on ``day``, when beat runs the job."""
    return dt.datetime.combine(day, dt.time(7, 0), tzinfo=WIB)


def remind(day: dt.date) -> int:
    return decree_expiry_remind(today=day, now=at(day))


def days_before(days: int) -> dt.date:
    return UNTIL - dt.timedelta(days=days)


@pytest.fixture
def decree(agency_a):
    return DecreeFactory(
        agency=agency_a,
        number="800/045/DINKES/2026",
        valid_from=dt.date(2026, 1, 2),
        valid_until=UNTIL,
    )


@pytest.fixture
def pejabat_appointed(decree, pejabat_a):
    return AppointmentFactory(decree=decree, user=pejabat_a, role=AppointmentRole.PEJABAT)


def keys() -> list[tuple[str, str]]:
    return sorted(Notification.objects.values_list("recipient__username", "key"))


def test_the_30_day_notice_is_sent_once(decree, pejabat_appointed, pejabat_a):
    assert remind(days_before(30)) == 1
    assert remind(days_before(30)) == 0

    [notice] = Notification.objects.all()
    assert notice.recipient == pejabat_a
    assert notice.key == f"decree:{decree.pk}:expiry:30"
    assert notice.kind == "decree_expiry"
    assert "800/045/DINKES/2026" in notice.title
    assert re.search(r"\b30\b", notice.title)  # days left
    assert "31-07-2026" in notice.body
    assert notice.url == reverse("accounts:decree_detail", args=[decree.pk])
    assert notice.created_at == at(days_before(30))


def test_nothing_is_sent_31_days_before(decree, pejabat_appointed):
    assert remind(days_before(31)) == 0
    assert not Notification.objects.exists()


def test_daily_runs_send_the_30_and_7_day_notices_once_each(decree, pejabat_appointed):
    sent = {day: remind(day) for day in (days_before(n) for n in range(35, -1, -1))}

    assert sum(sent.values()) == 2
    assert sent[days_before(30)] == 1
    assert sent[days_before(7)] == 1
    assert keys() == [
        ("pejabat_a", f"decree:{decree.pk}:expiry:30"),
        ("pejabat_a", f"decree:{decree.pk}:expiry:7"),
    ]


def test_running_twice_a_day_doubles_nothing(decree, pejabat_appointed):
    for day in (days_before(30), days_before(7)):
        assert remind(day) == 1
        assert decree_expiry_remind(today=day, now=at(day) + dt.timedelta(hours=12)) == 0
    assert Notification.objects.count() == 2


def test_a_decree_first_seen_with_5_days_left_gets_only_the_7_day_notice(decree, pejabat_appointed):
    assert remind(days_before(5)) == 1
    assert remind(days_before(4)) == 0
    assert keys() == [("pejabat_a", f"decree:{decree.pk}:expiry:7")]
    assert re.search(r"\b5\b", Notification.objects.get().title)  # days left


def test_a_decree_first_seen_with_20_days_left_gets_the_30_day_notice(decree, pejabat_appointed):
    assert remind(days_before(20)) == 1
    assert keys() == [("pejabat_a", f"decree:{decree.pk}:expiry:30")]


def test_a_missed_week_still_sends_the_7_day_notice(decree, pejabat_appointed):
    remind(days_before(30))
    # The job did not run from 10 days to 1 day before.
    assert remind(days_before(0)) == 1
    assert Notification.objects.filter(key=f"decree:{decree.pk}:expiry:7").count() == 1


def test_expired_decrees_and_open_ended_decrees_are_ignored(agency_a, pejabat_a):
    day = dt.date(2026, 7, 1)
    expired = DecreeFactory(
        agency=agency_a, valid_from=dt.date(2025, 1, 2), valid_until=day - dt.timedelta(days=1)
    )
    open_ended = DecreeFactory(agency=agency_a, valid_from=dt.date(2025, 1, 2), valid_until=None)
    for source in (expired, open_ended):
        AppointmentFactory(decree=source, user=pejabat_a, role=AppointmentRole.PEJABAT)

    assert remind(day) == 0
    assert not Notification.objects.exists()


def test_only_active_pejabat_of_that_agency_are_notified(
    agency_a, agency_b, decree, pejabat_appointed, officer_a, officer_b
):
    day = days_before(30)
    # Petugas of the same agency and decree.
    AppointmentFactory(decree=decree, user=officer_a, role=AppointmentRole.PETUGAS)
    # A pejabat whose appointment ended before the reminder day.
    AppointmentFactory(
        decree=decree,
        user=AsnUserFactory(username="pejabat_lama", agency=agency_a),
        role=AppointmentRole.PEJABAT,
        ends_on=day - dt.timedelta(days=1),
    )
    # A pejabat whose appointment starts only after the reminder day.
    AppointmentFactory(
        decree=decree,
        user=AsnUserFactory(username="pejabat_baru", agency=agency_a),
        role=AppointmentRole.PEJABAT,
        starts_on=day + dt.timedelta(days=1),
    )
    # A pejabat whose portal account is deactivated.
    AppointmentFactory(
        decree=decree,
        user=AsnUserFactory(username="pejabat_nonaktif", agency=agency_a, is_active=False),
        role=AppointmentRole.PEJABAT,
    )
    # Another agency's pejabat, under a decree that does not expire.
    AppointmentFactory(
        decree=DecreeFactory(agency=agency_b, valid_until=None),
        user=AsnUserFactory(username="pejabat_b", agency=agency_b),
        role=AppointmentRole.PEJABAT,
    )
    # A pejabat of the same agency appointed by another, still valid decree: the
    # agency's decree concerns every pejabat who answers for its accounts.
    AppointmentFactory(
        decree=DecreeFactory(agency=agency_a, valid_until=None),
        user=AsnUserFactory(username="pejabat_kedua", agency=agency_a),
        role=AppointmentRole.PEJABAT,
    )

    assert remind(day) == 2

    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "pejabat_a",
        "pejabat_kedua",
    ]


def test_a_pejabat_appointed_twice_is_notified_once(decree, pejabat_appointed, pejabat_a):
    AppointmentFactory(decree=decree, user=pejabat_a, role=AppointmentRole.PEJABAT)
    assert remind(days_before(30)) == 1


def test_each_expiring_decree_gets_its_own_notice(agency_a, decree, pejabat_appointed):
    second = DecreeFactory(agency=agency_a, valid_from=dt.date(2026, 1, 2), valid_until=UNTIL)
    assert remind(days_before(30)) == 2
    assert keys() == sorted(
        [
            ("pejabat_a", f"decree:{decree.pk}:expiry:30"),
            ("pejabat_a", f"decree:{second.pk}:expiry:30"),
        ]
    )


# --- Through the Celery task, which reads the clock ------------------------------


def test_the_task_reminds_on_the_local_date(decree, pejabat_appointed):
    # 00:30 WIB on 1 July is still 30 June in UTC: the WIB date counts.
    moment = dt.datetime(2026, 7, 1, 0, 30, tzinfo=WIB)
    with time_machine.travel(moment, tick=False):
        assert decree_expiry_reminders() == 1
        assert decree_expiry_reminders() == 0
    notice = Notification.objects.get()
    assert notice.key == f"decree:{decree.pk}:expiry:30"
    assert notice.created_at == moment


def test_the_task_sends_nothing_the_day_before_the_mark(decree, pejabat_appointed):
    with time_machine.travel(dt.datetime(2026, 6, 30, 23, 59, tzinfo=WIB), tick=False):
        assert decree_expiry_reminders() == 0
    assert not Notification.objects.exists()


def test_the_beat_schedule_runs_the_task_daily_at_seven():
    entry = settings.CELERY_BEAT_SCHEDULE["decree-expiry-reminders"]
    assert entry["task"] == decree_expiry_reminders.name == "accounts.decree_expiry_reminders"
    assert entry["schedule"] == crontab(hour=7, minute=0)
    assert settings.DECREE_REMINDER_DAYS == (30, 7)
