"""How an inquiry reads on a page: the countdown to its reply deadline, its status
badge, and the inbox's rows made ready for the page once per request.

The inbox is the portal's busiest page, so each row reaches the template as plain
strings: labels looked up once per request instead of ``get_FOO_display`` per row,
times formatted in WIB with ``strftime``, the author masked where the user's agency
does not handle the inquiry (:func:`inquiries.privacy.handled_inquiry_ids`). Their
markup is then written here (:func:`inbox_rows_html`), not by the template engine: 25
rows of ten cells through ``{% for %}`` were a fifth of the page's time (issue 11,
docs/benchmarks.md); ``format_html`` escapes every value just the same.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import Scope
from accounts.models import Platform
from privacy.services import scrub

from .models import InquiryKind, InquiryStatus
from .privacy import handled_inquiry_ids, mask_name

# What a row shows, and what masking reads: read as values, not as four model
# instances per row, and never the rest of an inquiry (answers, notes, contact details).
INBOX_VALUES = (
    "id",
    "agency_id",
    "agency__short_name",
    "channel__platform",
    "channel__handle",
    "kind",
    "author_name",
    "text",
    "received_at",
    "tracking_code",
    "status",
    "due_at",
    "current_forwarding__to_agency__short_name",
)
TEXT_LENGTH = 110
TIME_FORMAT = "%d-%m-%Y %H:%M"
BADGE_CLASSES = {
    InquiryStatus.RECORDED: "text-bg-secondary",
    InquiryStatus.FORWARDED: "text-bg-warning",
    InquiryStatus.REPLIED: "text-bg-info",
    InquiryStatus.DISMISSED: "text-bg-dark",
}
ANSWERED_BADGE = "text-bg-success"
# Any number: the detail link is reversed once per page and each row fills in its own.
_PK_SENTINEL = 987654321


def badge_class(status: str) -> str:
    """The Bootstrap badge of an inquiry status."""
    return BADGE_CLASSES.get(status, ANSWERED_BADGE)


@dataclass(frozen=True, slots=True)
class Countdown:
    """The time left to a reply deadline (or past it), as the inbox and detail show it."""

    overdue: bool
    text: str


def _duration(total_minutes: int) -> str:
    days, rest = divmod(total_minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days >= 2:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    else:
        hours += days * 24
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if minutes and len(parts) < 2:
        parts.append(
            ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        )
    return " ".join(parts[:2]) or _("less than a minute")


def countdown(due_at: dt.datetime | None, now: dt.datetime) -> Countdown | None:
    """``sisa 5 jam 12 menit`` before the deadline, ``terlambat 3 jam`` after it."""
    if due_at is None:
        return None
    seconds = (due_at - now).total_seconds()
    duration = _duration(int(abs(seconds) // 60))
    if seconds < 0:
        return Countdown(True, _("overdue by %(duration)s") % {"duration": duration})
    return Countdown(False, _("%(duration)s left") % {"duration": duration})


@dataclass(frozen=True, slots=True)
class InboxRow:
    pk: int
    url: str
    tracking_code: str
    status: str
    status_label: str
    badge_class: str
    forwarded_to: str  # the agency holding a forwarded inquiry, else ""
    due: str  # the reply deadline in WIB, else ""
    time_left: Countdown | None
    agency: str
    received: str
    kind_label: str
    platform_label: str
    handle: str
    author: str
    text: str

    @property
    def overdue(self) -> bool:
        return bool(self.time_left and self.time_left.overdue)


def _wib(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime(TIME_FORMAT) if moment else ""


def _short(text: str) -> str:
    return text if len(text) <= TEXT_LENGTH else Truncator(text).chars(TEXT_LENGTH)


def inbox_rows(values: Iterable[dict], *, scope: Scope, now: dt.datetime) -> list[InboxRow]:
    """One :class:`InboxRow` per inquiry of the page (its :data:`INBOX_VALUES`), in the
    page's order."""
    values = list(values)
    unmasked = handled_inquiry_ids(scope, {row["id"]: row["agency_id"] for row in values})
    statuses = {value: str(label) for value, label in InquiryStatus.choices}
    kinds = {value: str(label) for value, label in InquiryKind.choices}
    platforms = {value: str(label) for value, label in Platform.choices}
    link = reverse("inquiries:detail", args=[_PK_SENTINEL]).replace(str(_PK_SENTINEL), "{}")
    rows = []
    for row in values:
        pk, status, author, text = row["id"], row["status"], row["author_name"], row["text"]
        full = pk in unmasked
        holder = row["current_forwarding__to_agency__short_name"]
        rows.append(
            InboxRow(
                pk=pk,
                url=link.format(pk),
                tracking_code=row["tracking_code"],
                status=status,
                status_label=statuses.get(status, status),
                badge_class=badge_class(status),
                forwarded_to=holder if holder and status == InquiryStatus.FORWARDED else "",
                due=_wib(row["due_at"]),
                time_left=countdown(row["due_at"], now),
                agency=row["agency__short_name"],
                received=_wib(row["received_at"]),
                kind_label=kinds.get(row["kind"], row["kind"]),
                platform_label=platforms.get(row["channel__platform"], row["channel__platform"]),
                handle=row["channel__handle"],
                author=author if full else mask_name(author),
                text=_short(text if full else scrub(text, author)),
            )
        )
    return rows


_ROW = (
    '<tr data-inquiry="{}"{}><th scope="row"><a href="{}">{}</a></th>'
    '<td><span class="badge {}" data-status="{}">{}</span>{}</td><td>{}</td>{}'
    '<td class="text-nowrap">{} WIB</td>'
    '<td>{}<br><span class="small text-body-secondary">{} · {}</span></td>'
    '<td>{}</td><td class="inbox-text">{}</td></tr>\n'
)
_NO_DEADLINE = format_html('<span class="text-body-secondary">{}</span>', "—")
_OVERDUE_ROW = format_html(' class="{}"', "table-danger")


def _deadline_cell(row: InboxRow) -> SafeString:
    if not row.due:
        return _NO_DEADLINE
    if row.overdue:
        state = format_html(
            '<span class="badge text-bg-danger" data-overdue="true" aria-hidden="true">!</span> '
            '<span class="text-danger-emphasis fw-semibold" data-countdown="overdue">{}</span>',
            row.time_left.text,
        )
    else:
        state = format_html(
            '<span class="text-body-secondary" data-countdown="left">{}</span>', row.time_left.text
        )
    return format_html('<span class="text-nowrap">{} WIB</span><br>{}', row.due, state)


def _holder(agency: str) -> SafeString:
    return format_html('<br><span class="small">{}</span>', _("at %(agency)s") % {"agency": agency})


def inbox_rows_html(rows: Iterable[InboxRow], *, show_agency: bool) -> SafeString:
    """The ``<tr>`` of each row, every value escaped; ``show_agency`` adds the cell of the
    receiving agency (regency-wide roles, and the box of inquiries forwarded to us)."""
    return format_html_join(
        "",
        _ROW,
        (
            (
                row.pk,
                _OVERDUE_ROW if row.overdue else "",
                row.url,
                row.tracking_code,
                row.badge_class,
                row.status,
                row.status_label,
                _holder(row.forwarded_to) if row.forwarded_to else "",
                _deadline_cell(row),
                format_html("<td>{}</td>", row.agency) if show_agency else "",
                row.received,
                row.kind_label,
                row.platform_label,
                row.handle,
                row.author,
                row.text,
            )
            for row in rows
        ),
    )
