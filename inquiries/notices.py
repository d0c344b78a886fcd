"""The notice to the receiving agency when an inquiry is forwarded to it.

Written in the forwarding's own transaction, so it exists exactly when the
forwarding does; its e-mail is enqueued after commit and, when the broker is down,
sent later by the periodic requeue. The reminders, overdue notices and escalations
that follow come from the sweep (:mod:`inquiries.deadlines`).
"""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import NoticeDraft, Written, notifications_create_many

from .deadlines import agency_people
from .models import Forwarding

KIND_RECEIVED = "forwarding_received"


def forwarding_received_notify(*, forwarding: Forwarding, now: datetime) -> list[Written]:
    """Tell the active petugas and pejabat of the receiving agency, once per person."""
    people = agency_people(forwarding.to_agency_id, timezone.localdate(now))
    inquiry = forwarding.inquiry
    context = {
        "code": inquiry.tracking_code,
        "from_agency": forwarding.from_agency.name,
        "due": timezone.localtime(forwarding.due_at).strftime("%d-%m-%Y %H:%M WIB"),
    }
    title = _("New inquiry forwarded to you: %(code)s, reply by %(due)s") % context
    body = (
        _(
            "%(from_agency)s forwarded the inquiry %(code)s to your agency. Reply by "
            "%(due)s (Lampiran B angka 4 of Perbup Katingan 55/2022: within 24 hours)."
        )
        % context
    )
    url = reverse("inquiries:detail", args=[inquiry.pk])
    drafts = [
        NoticeDraft(person, f"fwd:{forwarding.pk}:received", KIND_RECEIVED, title, body, url)
        for person in people.handlers
    ]
    return notifications_create_many(drafts=drafts, now=now)
