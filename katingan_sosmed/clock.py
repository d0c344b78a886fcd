"""The one clock of the portal.

Deadline and report logic never calls ``timezone.now()`` itself: the outermost view,
task or command reads the clock here once and passes ``now`` down. Tests travel in
time with time-machine, which this function honours like any other call to the
system clock.
"""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    """Return the current moment as an aware datetime in UTC."""
    return timezone.now()
