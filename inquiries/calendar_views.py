"""The settings page of the working calendar of the 24-hour reply deadline.

Lampiran B angka 4 says 24 hours, and by default they run on the wall clock.
Diskominfo evaluators and administrators may switch on a working calendar here
(:class:`inquiries.models.DeadlineCalendar`); everybody else gets 403. The page
shows the setting, what it would mean for a forwarding made now, and the coming
public holidays and cuti bersama days from the ``holidays`` package. The clock is
read once per request.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.viewkit import style_form
from katingan_sosmed import clock

from . import services
from .flow import reply_window
from .forms import DeadlineCalendarForm
from .models import DeadlineCalendar
from .workcalendar import WALL_CLOCK, upcoming_holidays


def _holiday_language() -> str:
    """The ``holidays`` package's name of the page's language (it has id and en_US)."""
    return "id" if (get_language() or "id").startswith("id") else "en_US"


@login_required
@require_http_methods(["GET", "POST"])
def deadline_calendar(request: HttpRequest) -> HttpResponse:
    if not services.may_change_deadline_calendar(request.user):
        raise PermissionDenied
    now = clock.now()
    setting = DeadlineCalendar.load()
    initial = {name: getattr(setting, name) for name in DeadlineCalendar.EDITABLE}
    form = DeadlineCalendarForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            messages.info(request, _("Nothing was changed."))
            return redirect("inquiries:deadline_calendar")
        try:
            services.deadline_calendar_update(by=request.user, now=now, **form.cleaned_data)
        except services.CalendarError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The working calendar was saved. It applies to forwardings made from now on."),
            )
            return redirect("inquiries:deadline_calendar")

    calendar = setting.as_calendar()
    today = timezone.localdate(now)
    return render(
        request,
        "inquiries/deadline_calendar.html",
        {
            "form": style_form(form),
            "setting": setting,
            "calendar": calendar,
            "now": now,
            "due_now": calendar.add(now, reply_window()),
            "due_wall_clock": WALL_CLOCK.add(now, reply_window()),
            "reply_hours": int(reply_window().total_seconds() // 3600),
            "holidays": upcoming_holidays(
                today,
                years=(today.year, today.year + 1),
                include_cuti_bersama=True,
                language=_holiday_language(),
            ),
            "years": (today.year, today.year + 1),
        },
    )
