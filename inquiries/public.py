"""Public tracking of an inquiry by its code (``/lacak/``), without signing in.

This goes beyond Lampiran B, as LAPOR! does: whoever holds the tracking code sees
how far the inquiry has got. The page shows only what is not personal: the code,
kind, agencies, platform, times, status, the forwarding steps and the answer that
was given in public anyway. The author's name, handle, contact and original text
and every officer's name stay out: the template receives a :class:`PublicInquiry`
built here, never the model, so it cannot reach them by mistake.

Codes have 32^8 possibilities; guessing is further slowed by a per-address limit
(:data:`settings.TRACKING_LOOKUPS_PER_MINUTE`, then 429).
"""

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from rest_framework.throttling import BaseThrottle

from katingan_sosmed import clock

from .models import (
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    Forwarding,
    ForwardingStatus,
    Inquiry,
    InquiryStatus,
)

logger = logging.getLogger(__name__)

CODE = re.compile(f"[{TRACKING_ALPHABET}]{{{TRACKING_LENGTH}}}")
CODE_PARAM = "kode"

S = InquiryStatus

# The status in plain words for the person who asked.
PLAIN_STATUS = {
    S.RECORDED: gettext_lazy("Received and recorded; the agency is handling it."),
    S.FORWARDED: gettext_lazy(
        "Forwarded to the agency with authority; waiting for its reply (at most 24 hours)."
    ),
    S.REPLIED: gettext_lazy(
        "The agency with authority has replied; the answer to you is being prepared."
    ),
    S.ANSWERED_DIRECTLY: gettext_lazy("Answered."),
    S.ANSWERED: gettext_lazy("Answered."),
    S.CLOSED: gettext_lazy("Answered and closed."),
    S.DISMISSED: gettext_lazy("Closed without an answer (spam or a duplicate)."),
}
ANSWERED_STATUSES = (S.ANSWERED_DIRECTLY, S.ANSWERED, S.CLOSED)


@dataclass(frozen=True)
class PublicStep:
    """One forwarding, as the public sees it: agencies and times, no people."""

    to_agency: str
    forwarded_at: datetime
    due_at: datetime
    status: str
    replied_at: datetime | None
    closed_at: datetime | None


@dataclass(frozen=True)
class PublicInquiry:
    tracking_code: str
    kind: str
    agency: str
    platform: str
    received_at: datetime
    recorded_at: datetime
    status: str
    status_plain: str
    is_answered: bool
    answered_at: datetime | None
    answer_text: str
    steps: tuple[PublicStep, ...]


def public_inquiry(inquiry: Inquiry, forwardings: list[Forwarding]) -> PublicInquiry:
    answered = inquiry.status in ANSWERED_STATUSES
    return PublicInquiry(
        tracking_code=inquiry.tracking_code,
        kind=inquiry.get_kind_display(),
        agency=inquiry.agency.name,
        platform=inquiry.channel.get_platform_display(),
        received_at=inquiry.received_at,
        recorded_at=inquiry.recorded_at,
        status=inquiry.status,
        status_plain=str(PLAIN_STATUS[InquiryStatus(inquiry.status)]),
        is_answered=answered,
        answered_at=inquiry.answered_at if answered else None,
        # The answer was posted in public on social media: it is no secret here.
        answer_text=inquiry.answer_text if answered else "",
        steps=tuple(
            PublicStep(
                to_agency=forwarding.to_agency.name,
                forwarded_at=forwarding.forwarded_at,
                due_at=forwarding.due_at,
                status=forwarding.status,
                replied_at=forwarding.replied_at,
                closed_at=forwarding.closed_at,
            )
            for forwarding in forwardings
        ),
    )


def normalise_code(raw: str) -> str:
    """Codes are printed in capitals; people type them any way, with spaces."""
    return "".join(raw.split()).upper()


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)  # includes no-store
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _over_limit(request: HttpRequest) -> tuple[bool, int]:
    """Count one lookup for the client's address in this minute; True past the limit.

    With the cache unreachable the lookup is allowed: the limit slows guessing,
    it must not take the page down with Redis.
    """
    now = clock.now().timestamp()
    window = int(now // 60)
    retry_after = 60 - int(now % 60)
    # The address is hashed: the cache needs no one's IP in clear.
    ident = hashlib.sha256(BaseThrottle().get_ident(request).encode()).hexdigest()[:32]
    key = f"lacak:{ident}:{window}"
    try:
        cache.add(key, 0, timeout=120)
        count = cache.incr(key)
    except Exception:
        logger.warning("tracking throttle skipped: cache unavailable", exc_info=True)
        return False, retry_after
    return count > settings.TRACKING_LOOKUPS_PER_MINUTE, retry_after


@require_GET
def track_form(request: HttpRequest) -> HttpResponse:
    """The small form; a submitted code goes to its page."""
    error = ""
    raw = request.GET.get(CODE_PARAM)
    if raw is not None:
        code = normalise_code(raw)
        if CODE.fullmatch(code):
            return _private(redirect("tracking:detail", code=code))
        error = _("A tracking code has 8 letters and digits, for example K7QH2MPA.")
    return _private(
        render(
            request,
            "inquiries/public/form.html",
            {"error": error, "code": raw or "", "code_param": CODE_PARAM},
            status=400 if error else 200,
        )
    )


@require_GET
def track_detail(request: HttpRequest, code: str) -> HttpResponse:
    over, retry_after = _over_limit(request)
    if over:
        response = render(request, "inquiries/public/throttled.html", status=429)
        response["Retry-After"] = str(retry_after)
        return _private(response)
    normalised = normalise_code(code)
    inquiry = None
    if CODE.fullmatch(normalised):
        inquiry = (
            Inquiry.objects.select_related("agency", "channel")
            .filter(tracking_code=normalised)
            .first()
        )
    if inquiry is None:
        return _private(
            render(
                request,
                "inquiries/public/not_found.html",
                {"code_param": CODE_PARAM},
                status=404,
            )
        )
    forwardings = list(
        inquiry.forwardings.select_related("to_agency").order_by("forwarded_at", "pk")
    )
    return _private(
        render(
            request,
            "inquiries/public/detail.html",
            {
                "inquiry": public_inquiry(inquiry, forwardings),
                "code_param": CODE_PARAM,
                "forwarding_status": ForwardingStatus,
            },
        )
    )
