"""The second factor of signing in: a TOTP code, required of whoever can change everything.

Diskominfo evaluators and administrators (and anyone who may open the Django admin) sign
in with their password *and* a code from an authenticator app (TOTP, django-otp). The
code is part of the sign-in itself: the password form only opens a *pending* sign-in,
kept in the session for ``LOGIN_SECOND_FACTOR_SECONDS``; the user is logged in
(``django.contrib.auth.login``, which rotates the session key) only once the code is
verified. A user without a confirmed device first enrols one (QR code and secret, one
code to confirm). The other roles sign in with their password alone.

A session opened without the login view (``Client.force_login`` in tests) is not
checked again: nothing here runs on every request.
"""

import datetime as dt
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.db import transaction
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import EVALUATOR_ROLES

PENDING_KEY = "login_pending"


def second_factor_required(user) -> bool:
    """Whether ``user`` must give a TOTP code to sign in.

    Evaluators and administrators (superusers hold the role) take Diskominfo's decisions
    on every agency; staff may open the Django admin.
    """
    return user.is_superuser or user.is_staff or user.has_role(*EVALUATOR_ROLES)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed device ``user`` is enrolling, made on first use.

    Kept between visits, so a QR code already scanned still works after the pending
    sign-in expired and the user signed in again.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def verify(device: TOTPDevice, token: str) -> bool:
    """Check ``token`` against ``device`` under a row lock.

    django-otp refuses a code already used (``last_t``) and, after a wrong code, any
    code for 1, 2, 4, ... seconds (``OTP_TOTP_THROTTLE_FACTOR``).
    """
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        verified = locked.verify_token(token)
    device.refresh_from_db()
    return verified


def throttled_until(device: TOTPDevice) -> dt.datetime | None:
    """When ``device`` accepts a code again after wrong ones, or None if it does now."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    return (data or {}).get("locked_until")


# --- The pending sign-in -------------------------------------------------------------


def pending_start(request: HttpRequest, *, user, redirect_to: str, now: dt.datetime) -> None:
    """Remember that ``user`` gave the right password; nobody is logged in yet.

    The session key is rotated here too, so a key planted before the password was
    typed never carries the pending sign-in.
    """
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": redirect_to,
        "since": now.timestamp(),
    }


def pending_user(request: HttpRequest, *, now: dt.datetime):
    """The user of the pending sign-in, or None when there is none or it expired."""
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return None
    age = now.timestamp() - pending["since"]
    if not 0 <= age <= settings.LOGIN_SECOND_FACTOR_SECONDS:
        pending_clear(request)
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        pending_clear(request)
        return None
    user.backend = pending["backend"]
    return user


def pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def pending_finish(request: HttpRequest, *, user, device: TOTPDevice) -> str:
    """Log ``user`` in with the verified ``device``; the address to go to next."""
    redirect_to = request.session[PENDING_KEY]["next"]
    pending_clear(request)
    auth_login(request, user, backend=user.backend)
    otp_login(request, device)
    return redirect_to


# --- Enrolment -----------------------------------------------------------------------


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The enrolment QR code as inline SVG: no image request, no script, CSP-safe."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5,
        border=4,
        dark="#000",
        light="#fff",
        title=_("QR code for the authenticator app"),
        svgclass="totp-qr",
    )
    # segno escapes the text it writes (the title, the otpauth address in no attribute).
    return mark_safe(svg)  # noqa: S308
