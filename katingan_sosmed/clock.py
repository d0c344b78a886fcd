"""The one clock of the portal.

Deadline and report logic never calls ``timezone.now()`` itself: the outermost view,
task or command reads the clock here once and passes ``now`` down. Tests travel in
time with time-machine, which this function honours like any other call to the
system clock.
"""

from datetime import date, datetime, time

from django.utils import timezone


def now() -> datetime:
    """Return the current moment as an aware datetime in UTC."""
    return timezone.now()


def local_midnight(day: date) -> datetime:
    """The start of ``day`` in the portal's time zone (WIB): periods of local dates
    become ``[local_midnight(start), local_midnight(end))``."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
