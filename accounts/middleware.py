"""The ethics of Pasal 12-13 come before any work in the portal.

A petugas or pejabat with an appointment active today that is not yet
acknowledged is sent to the ethics page, from every page but a few that must keep
working (signing out, changing the language, static files, the health check, the
admin). Once nothing is pending the answer is remembered in the session for the
rest of the day, so a signed-in officer costs no query per request; a pending
answer is never remembered, so acknowledging takes effect at once.
"""

import datetime as dt
import functools
from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import get_urlconf, reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from katingan_sosmed import clock

from .models import Appointment

SESSION_KEY = "ethics_clear_on"
EXEMPT_PREFIXES = ("/static/", "/healthz", "/admin/")
EXEMPT_URL_NAMES = ("accounts:ethics", "logout", "set_language")


def ethics_pending(user, *, day: dt.date) -> bool:
    """Whether ``user`` has an appointment active on ``day`` with the ethics unacknowledged."""
    return (
        Appointment.objects.filter(user=user, ethics_acknowledged_at__isnull=True)
        .active_on(day)
        .exists()
    )


def remember_ethics_clear(request: HttpRequest, *, day: dt.date) -> None:
    """Record in the session that nothing is pending on ``day`` (re-checked the next day)."""
    request.session[SESSION_KEY] = day.isoformat()


@functools.cache
def _exempt_paths(urlconf: str | None) -> frozenset[str]:
    """The paths of :data:`EXEMPT_URL_NAMES`, reversed once per URLconf (not per request)."""
    return frozenset(reverse(name, urlconf=urlconf) for name in EXEMPT_URL_NAMES)


class EthicsAcknowledgementMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_acknowledge(request):
            target = reverse("accounts:ethics")
            if request.method == "GET":
                target = f"{target}?{urlencode({'next': request.get_full_path()})}"
            if request.headers.get("HX-Request") == "true":
                return HttpResponseClientRedirect(target)
            return redirect(target)
        return self.get_response(request)

    def _must_acknowledge(self, request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if request.path_info.startswith(EXEMPT_PREFIXES):
            return False
        if request.path in _exempt_paths(get_urlconf()):
            return False
        # New appointments start on a date: "nothing pending" holds for one day only.
        today = timezone.localdate(clock.now())
        if request.session.get(SESSION_KEY) == today.isoformat():
            return False
        if ethics_pending(user, day=today):
            return True
        remember_ethics_clear(request, day=today)
        return False
