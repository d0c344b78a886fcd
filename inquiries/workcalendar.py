"""An optional working calendar for the reply deadline of a forwarding.

Lampiran B angka 4 gives the agency with authority 24 hours to reply, and by default
the portal counts them on the wall clock, nights and holidays included (see
``docs/decisions.md``). Diskominfo may switch on a working calendar instead
(:class:`inquiries.models.DeadlineCalendar`): the clock then runs only on working
days (Monday to Friday, except Indonesia's public holidays and, if chosen, the
government's *cuti bersama*), between the start and the end of the working day, in
WIB. A forwarding made outside working hours starts counting at the next working
moment.

This module is pure: no database, no settings, no clock. Datetimes go in aware (any
zone) and come out aware in UTC; the working day is read in the calendar's zone,
Asia/Jakarta. Holidays come from the maintained ``holidays`` package (python-holidays),
looked up once per year and kept in memory.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

WIB = ZoneInfo("Asia/Jakarta")
DEFAULT_DAY_START = dt.time(7, 30)
DEFAULT_DAY_END = dt.time(16, 0)
MONDAY_TO_FRIDAY = frozenset(range(5))  # date.weekday(): Monday is 0
# A search for a working moment gives up after this many days (a calendar with no
# working day at all is refused earlier; this only guards against a bug).
_MAX_DAYS = 3 * 366

Hours = float | dt.timedelta


@dataclass(frozen=True)
class Holiday:
    day: dt.date
    name: str
    cuti_bersama: bool  # a government joint leave day, not a public holiday by law


@lru_cache(maxsize=128)
def _holidays(year: int, categories: tuple[str, ...], language: str) -> tuple[Holiday, ...]:
    found: dict[dt.date, Holiday] = {}
    for category in categories:
        days = holidays.country_holidays(
            "ID", years=year, categories=(category,), language=language
        )
        for day, name in sorted(days.items()):
            cuti = category == holidays.GOVERNMENT
            if day in found:  # two holidays on one day: one row, both names
                earlier = found[day]
                name = f"{earlier.name}; {name}"
                cuti = earlier.cuti_bersama and cuti
            found[day] = Holiday(day, name, cuti)
    return tuple(found[day] for day in sorted(found))


def holidays_of(
    year: int, *, include_cuti_bersama: bool, language: str = "id"
) -> tuple[Holiday, ...]:
    """Indonesia's public holidays of ``year`` (and the cuti bersama days, if asked),
    named in ``language`` ("id" or "en_US"), by date."""
    categories = (
        (holidays.PUBLIC, holidays.GOVERNMENT) if include_cuti_bersama else (holidays.PUBLIC,)
    )
    return _holidays(year, categories, language)


@lru_cache(maxsize=128)
def _holiday_dates(year: int, include_cuti_bersama: bool) -> frozenset[dt.date]:
    return frozenset(h.day for h in holidays_of(year, include_cuti_bersama=include_cuti_bersama))


def upcoming_holidays(
    today: dt.date, *, years: Iterable[int], include_cuti_bersama: bool, language: str = "id"
) -> list[Holiday]:
    """The holidays of ``years`` from ``today`` on (today included), by date."""
    return [
        holiday
        for year in sorted(set(years))
        for holiday in holidays_of(
            year, include_cuti_bersama=include_cuti_bersama, language=language
        )
        if holiday.day >= today
    ]


def _duration(hours: Hours) -> dt.timedelta:
    return hours if isinstance(hours, dt.timedelta) else dt.timedelta(hours=hours)


def _require_aware(moment: dt.datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the working calendar needs aware datetimes")


@dataclass(frozen=True)
class WorkingCalendar:
    """When the reply clock of a forwarding runs.

    Disabled (the default), every method is plain wall-clock arithmetic, exactly as
    without a calendar. Enabled, time counts only inside the working hours
    ``[day_start, day_end)`` of a working day: a weekday in ``weekdays`` that is not
    a public holiday (nor a cuti bersama day when ``include_cuti_bersama``).
    """

    enabled: bool = False
    day_start: dt.time = DEFAULT_DAY_START
    day_end: dt.time = DEFAULT_DAY_END
    weekdays: frozenset[int] = MONDAY_TO_FRIDAY
    include_cuti_bersama: bool = True
    tz: dt.tzinfo = field(default=WIB)

    def __post_init__(self) -> None:
        if self.day_end <= self.day_start:
            raise ValueError("the working day must end after it starts")
        if not self.weekdays or not self.weekdays <= set(range(7)):
            raise ValueError("weekdays must be a non-empty set of 0 (Monday) to 6 (Sunday)")

    # --- Days ---------------------------------------------------------------------------

    def is_holiday(self, day: dt.date) -> bool:
        return day in _holiday_dates(day.year, self.include_cuti_bersama)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() in self.weekdays and not self.is_holiday(day)

    def _hours_of(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        """The working hours of ``day`` as UTC moments, or None on a day off."""
        if not self.is_working_day(day):
            return None
        opens = dt.datetime.combine(day, self.day_start, tzinfo=self.tz).astimezone(dt.UTC)
        closes = dt.datetime.combine(day, self.day_end, tzinfo=self.tz).astimezone(dt.UTC)
        return opens, closes

    def _local_day(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.tz).date()

    # --- Arithmetic -------------------------------------------------------------------

    def add(self, start: dt.datetime, hours: Hours) -> dt.datetime:
        """The moment at which ``hours`` of working time have passed since ``start``.

        Counting starts at the next working moment when ``start`` is outside working
        hours. The result is the earliest such moment, so a deadline that falls
        exactly at the end of a working day is at that end, not the next morning.
        """
        _require_aware(start)
        remaining = _duration(hours)
        if not self.enabled:
            return start + remaining
        if remaining < dt.timedelta(0):
            return self.subtract(start, -remaining)
        cursor = start.astimezone(dt.UTC)
        day = self._local_day(cursor)
        for _ in range(_MAX_DAYS):
            span = self._hours_of(day)
            if span is not None:
                opens, closes = span
                begin = max(cursor, opens)
                if begin < closes:
                    if remaining <= closes - begin:
                        return begin + remaining
                    remaining -= closes - begin
            day += dt.timedelta(days=1)
        raise ValueError("no working time found")  # pragma: no cover - guarded in __post_init__

    def subtract(self, end: dt.datetime, hours: Hours) -> dt.datetime:
        """The moment ``hours`` of working time before ``end`` (the inverse of :meth:`add`).

        Of the moments that are that much working time before ``end``, the latest: a
        reminder "6 working hours before" a deadline on Monday at 13:30 is due on
        Monday at 07:30, when the working day starts, not on Friday evening.
        """
        _require_aware(end)
        remaining = _duration(hours)
        if not self.enabled:
            return end - remaining
        if remaining < dt.timedelta(0):
            return self.add(end, -remaining)
        cursor = end.astimezone(dt.UTC)
        day = self._local_day(cursor)
        for _ in range(_MAX_DAYS):
            span = self._hours_of(day)
            if span is not None:
                opens, closes = span
                finish = min(cursor, closes)
                if finish > opens:
                    if remaining <= finish - opens:
                        return finish - remaining
                    remaining -= finish - opens
            day -= dt.timedelta(days=1)
        raise ValueError("no working time found")  # pragma: no cover - guarded in __post_init__

    def working_hours_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """The working time from ``a`` to ``b`` (zero when ``b`` is not after ``a``).

        Disabled, simply ``b - a``.
        """
        _require_aware(a)
        _require_aware(b)
        if not self.enabled:
            return b - a
        if b <= a:
            return dt.timedelta(0)
        a, b = a.astimezone(dt.UTC), b.astimezone(dt.UTC)
        total = dt.timedelta(0)
        day, last = self._local_day(a), self._local_day(b)
        while day <= last:
            span = self._hours_of(day)
            if span is not None:
                opens, closes = span
                overlap = min(b, closes) - max(a, opens)
                if overlap > dt.timedelta(0):
                    total += overlap
            day += dt.timedelta(days=1)
        return total


WALL_CLOCK = WorkingCalendar()
