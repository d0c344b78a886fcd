"""Reminders of Pasal 15: an agency that has not submitted its annual report is
reminded once a week, from ``REPORT_REMINDER_FROM`` (1 December by default) of the
report's year until it submits — into the next year, when the report is the previous
year's.

Beat runs :func:`send_report_reminders` daily. The notice key holds the report year and
the ISO week, so a second run in the same week, two beats or a missed day neither
doubles nor loses a reminder.
"""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency, User
from accounts.roles import Role
from katingan_sosmed import clock
from notifications.services import NoticeDraft, notifications_create_many

from .models import AnnualReport, ReportStatus


def reminder_year(today: dt.date) -> int:
    """The report year reminders are about on ``today``."""
    month, day = (int(part) for part in settings.REPORT_REMINDER_FROM.split("-"))
    return today.year if today >= dt.date(today.year, month, day) else today.year - 1


def send_report_reminders(*, now: dt.datetime) -> int:
    """Write this week's reminders; return how many were written."""
    today = timezone.localdate(now)
    year = reminder_year(today)
    iso = today.isocalendar()
    week = f"{iso.year}-W{iso.week:02d}"
    submitted = AnnualReport.objects.filter(year=year).exclude(
        status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED)
    )
    agencies = Agency.objects.filter(is_active=True).exclude(pk__in=submitted.values("agency_id"))
    people = (
        User.objects.filter(
            is_active=True,
            agency__in=agencies,
            groups__name__in=[Role.PEJABAT, Role.PETUGAS],
        )
        .select_related("agency")
        .distinct()
    )
    url = reverse("reports:report_list")
    drafts = [
        NoticeDraft(
            recipient=person,
            key=f"report-reminder:{year}:{week}",
            kind="report_reminder",
            title=str(
                _("The annual report %(year)s of %(agency)s is not submitted yet")
                % {"year": year, "agency": person.agency.short_name}
            ),
            body=str(
                _(
                    "Pasal 15 asks every agency to report on its social media service at "
                    "least once a year, to the Bupati through Diskominfo. The report for "
                    "%(year)s has not been submitted; the pejabat submits it in the portal."
                )
                % {"year": year}
            ),
            url=url,
        )
        for person in people
    ]
    with transaction.atomic():
        written = notifications_create_many(drafts=drafts, now=now)
    return len(written)


@shared_task(name="reports.send_reminders", acks_late=True)
def send_reminders() -> int:
    """Daily from beat: this week's reminders of unsubmitted annual reports (idempotent)."""
    return send_report_reminders(now=clock.now())
