"""Signing in: password, then (for evaluators and administrators) a TOTP code.

The password form is Django's ``LoginView``; django-axes, the first authentication
backend, refuses a locked-out username before any password is checked, and its
middleware turns the refusal into :func:`lockout_response`. For a user who must use a
second factor (:func:`accounts.twofactor.second_factor_required`) a right password
only opens a pending sign-in; :func:`login_code` (or :func:`login_enrol`, for a user
without a device yet) logs the user in once the code is right. A wrong code counts as
a failed sign-in for axes, like a wrong password.

The Django admin has no login form of its own: :func:`admin_login` sends it here.
"""

from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from katingan_sosmed import clock

from . import twofactor
from .forms import OneTimeCodeForm


class PortalLoginView(auth_views.LoginView):
    """The password step. Users who need no second factor are logged in here."""

    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not twofactor.second_factor_required(user):
            return super().form_valid(form)
        twofactor.pending_start(
            self.request, user=user, redirect_to=self.get_success_url(), now=clock.now()
        )
        if twofactor.confirmed_device(user) is None:
            return redirect("login_enrol")
        return redirect("login_code")


def _pending_or_restart(request: HttpRequest):
    """The pending sign-in's user, or a redirect to the password form."""
    had_pending = twofactor.PENDING_KEY in request.session
    user = twofactor.pending_user(request, now=clock.now())
    if user is None:
        if had_pending:
            messages.warning(request, _("The sign-in took too long. Enter your password again."))
        return None, redirect("login")
    return user, None


def _refuse_code(form: OneTimeCodeForm, *, throttled: bool) -> None:
    if throttled:
        message = _(
            "Too many wrong codes. Wait a few seconds, then enter the code the app shows now."
        )
    else:
        message = _("This code is not right or has expired. Enter the code the app shows now.")
    form.add_error("otp_token", message)


@sensitive_post_parameters("otp_token")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step for a user with a confirmed device: one code, then logged in."""
    user, restart = _pending_or_restart(request)
    if restart:
        return restart
    device = twofactor.confirmed_device(user)
    if device is None:
        return redirect("login_enrol")
    credentials = {"username": user.get_username()}
    form = OneTimeCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not AxesProxyHandler.is_allowed(request, credentials):
            twofactor.pending_clear(request)
            return lockout_response(request, None, credentials)
        if twofactor.throttled_until(device) is not None:
            _refuse_code(form, throttled=True)
        elif twofactor.verify(device, form.cleaned_data["otp_token"]):
            return redirect(twofactor.pending_finish(request, user=user, device=device))
        else:
            _refuse_code(form, throttled=False)
            # axes records the failure; at the limit it flags the request and its
            # middleware answers with the lockout page instead of this one.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                twofactor.pending_clear(request)
    return render(request, "registration/login_code.html", {"form": form})


@sensitive_post_parameters("otp_token")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in of a user who needs a second factor: set up the app, confirm a code.

    Only while the user has no confirmed device: a second device is added by an
    administrator removing the first (Django admin, TOTP devices), never from here.
    """
    user, restart = _pending_or_restart(request)
    if restart:
        return restart
    if twofactor.confirmed_device(user) is not None:
        return redirect("login_code")
    device = twofactor.enrolment_device(user)
    form = OneTimeCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if twofactor.throttled_until(device) is not None:
            _refuse_code(form, throttled=True)
        elif twofactor.verify(device, form.cleaned_data["otp_token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            messages.success(
                request,
                _(
                    "Your authenticator app is set up. From now on, enter its code after "
                    "your password."
                ),
            )
            return redirect(twofactor.pending_finish(request, user=user, device=device))
        else:
            _refuse_code(form, throttled=False)
    context = {
        "form": form,
        "qr_svg": twofactor.qr_svg(device),
        "secret": twofactor.secret_text(device),
        "issuer": settings.OTP_TOTP_ISSUER,
        "account_name": user.get_username(),
    }
    return render(request, "registration/login_enrol.html", context)


@never_cache
def admin_login(request: HttpRequest, extra_context=None) -> HttpResponse:
    """``admin.site.login``: the admin signs in through the portal's login and its code."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if admin.site.has_permission(request):
            return redirect(next_url)
        # Signed in without admin access: sending them to the login would loop back here.
        raise PermissionDenied
    return redirect(f"{reverse('login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the login page again, saying why and for how long."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    message = ngettext(
        "Too many failed sign-in attempts for this account. It is locked for %(minutes)d "
        "minute; try again after that.",
        "Too many failed sign-in attempts for this account. It is locked for %(minutes)d "
        "minutes; try again after that.",
        minutes,
    ) % {"minutes": minutes}
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    context = {"form": AuthenticationForm(request), "lockout_message": message, "next": next_url}
    return render(
        request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
