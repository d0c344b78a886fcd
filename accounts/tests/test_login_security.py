"""Issue 9, signing in: lockout after failed attempts, a TOTP code for evaluators and
administrators as part of the sign-in, the session rotated at sign-in and ended when idle."""

import datetime as dt
import io
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import demo, twofactor
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
START = dt.datetime(2026, 6, 15, 9, 0, tzinfo=WIB)
LOGIN = reverse("login")
CODE = reverse("login_code")
ENROL = reverse("login_enrol")
HOME = reverse("home")
KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key, hex


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def device_for(user, *, confirmed=True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Telepon", key=KEY, confirmed=confirmed)


def code(device: TOTPDevice, *, steps: int = 0) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    near = {code(device, steps=steps) for steps in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222") if c not in near)


def sign_in(client, user, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": user.username, "password": password}, **extra)


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


# --- Lockout (django-axes) ---------------------------------------------------------------


def test_sixth_attempt_with_the_right_password_is_refused_until_the_cool_off(
    client, officer_a, traveller
):
    for attempt in range(1, 6):
        response = sign_in(client, officer_a, password="bukan-sandinya")
        assert response.status_code == (429 if attempt == 5 else 200), attempt
    response = sign_in(client, officer_a)
    assert response.status_code == 429
    assert not signed_in(client)
    # The login page again, in Indonesian, with the form, not a bare text.
    assert "registration/login.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "data-lockout" in html and "dikunci selama 15 menit" in html
    assert 'name="password"' in html

    traveller.shift(dt.timedelta(minutes=14))
    assert sign_in(client, officer_a).status_code == 429
    traveller.shift(dt.timedelta(minutes=1, seconds=1))
    response = sign_in(client, officer_a)
    assert response.status_code == 302 and response["Location"] == HOME
    assert signed_in(client)


def test_lockout_is_by_username_from_any_address(client, officer_a, officer_b, traveller):
    for _ in range(5):
        sign_in(client, officer_a, password="salah", REMOTE_ADDR="10.0.0.1")
    assert sign_in(client, officer_a, REMOTE_ADDR="10.9.9.9").status_code == 429
    # Another username from the same address is not locked.
    assert sign_in(client, officer_b, REMOTE_ADDR="10.0.0.1").status_code == 302


def test_a_success_clears_the_failures(client, officer_a, traveller):
    for _ in range(4):
        sign_in(client, officer_a, password="salah")
    assert sign_in(client, officer_a).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, officer_a, password="salah").status_code == 200
    assert sign_in(client, officer_a).status_code == 302


def test_lockout_settings_come_from_the_environment():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == dt.timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]


# --- The second factor: who needs it ------------------------------------------------------


@pytest.mark.parametrize("name", ["officer_a", "pejabat_a", "pimpinan"])
def test_other_roles_sign_in_with_the_password_alone(client, cast, name):
    response = sign_in(client, cast[name])
    assert response.status_code == 302 and response["Location"] == HOME
    assert signed_in(client)


@pytest.mark.parametrize("name", ["evaluator", "administrator"])
def test_the_password_alone_does_not_sign_in_an_evaluator_or_administrator(client, cast, name):
    device_for(cast[name])
    response = sign_in(client, cast[name])
    assert response.status_code == 302 and response["Location"] == CODE
    assert not signed_in(client)
    assert client.get(HOME)["Location"].startswith(LOGIN)
    assert client.get(reverse("reports:dashboard"))["Location"].startswith(LOGIN)


def test_who_needs_a_second_factor(cast):
    needs = {name for name, user in cast.items() if twofactor.second_factor_required(user)}
    assert needs == {"evaluator", "administrator"}
    assert twofactor.second_factor_required(UserFactory(username="staf", is_staff=True))


@pytest.mark.parametrize("name", ["evaluator", "administrator"])
def test_a_wrong_code_is_refused_and_the_right_one_signs_in(client, cast, name, traveller):
    device = device_for(cast[name])
    sign_in(client, cast[name])
    page = client.get(CODE)
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()

    response = client.post(CODE, {"otp_token": wrong_code(device)})
    assert response.status_code == 200
    assert "Kode ini salah" in response.content.decode()
    assert not signed_in(client)

    traveller.shift(dt.timedelta(seconds=2))  # django-otp waits 1 s after a wrong code
    response = client.post(CODE, {"otp_token": code(device)})
    assert response.status_code == 302 and response["Location"] == HOME
    assert signed_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(HOME).status_code == 200


def test_a_code_given_too_soon_after_a_wrong_one_waits(client, evaluator, traveller):
    device = device_for(evaluator)
    sign_in(client, evaluator)
    client.post(CODE, {"otp_token": wrong_code(device)})
    response = client.post(CODE, {"otp_token": code(device)})
    assert "Tunggu beberapa detik" in response.content.decode()
    assert not signed_in(client)


def test_a_code_is_used_once(client, evaluator, traveller):
    device = device_for(evaluator)
    sign_in(client, evaluator)
    used = code(device)
    client.post(CODE, {"otp_token": used})
    client.logout()
    sign_in(client, evaluator)
    assert client.post(CODE, {"otp_token": used}).status_code == 200
    assert not signed_in(client)


def test_the_code_keeps_the_next_address(client, evaluator, traveller):
    device = device_for(evaluator)
    dashboard = reverse("reports:dashboard")
    client.post(
        f"{LOGIN}?next={dashboard}",
        {"username": evaluator.username, "password": PASSWORD, "next": dashboard},
    )
    assert client.post(CODE, {"otp_token": code(device)})["Location"] == dashboard


def test_the_pending_sign_in_expires(client, evaluator, traveller):
    device = device_for(evaluator)
    sign_in(client, evaluator)
    traveller.shift(dt.timedelta(seconds=settings.LOGIN_SECOND_FACTOR_SECONDS + 1))
    response = client.post(CODE, {"otp_token": code(device)}, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "terlalu lama" in response.content.decode()
    assert not signed_in(client)


def test_the_code_page_without_a_password_goes_to_the_login(client):
    assert client.get(CODE)["Location"] == LOGIN
    assert client.get(ENROL)["Location"] == LOGIN


def test_wrong_codes_count_towards_the_lockout(client, evaluator, traveller):
    device = device_for(evaluator)
    sign_in(client, evaluator)
    for attempt in range(1, 6):
        traveller.shift(dt.timedelta(seconds=30))  # past django-otp's own wait
        response = client.post(CODE, {"otp_token": wrong_code(device)})
        assert response.status_code == (429 if attempt == 5 else 200), attempt
    assert "data-lockout" in response.content.decode()
    # The pending sign-in is gone, and the password is refused during the lockout.
    assert client.get(CODE)["Location"] == LOGIN
    assert sign_in(client, evaluator).status_code == 429


# --- Enrolment ----------------------------------------------------------------------------


def test_an_evaluator_without_a_device_enrols_at_sign_in(client, evaluator, traveller):
    response = sign_in(client, evaluator)
    assert response["Location"] == ENROL
    page = client.get(ENROL)
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=evaluator)
    assert not device.confirmed
    assert '<svg width="' in html and "data-totp-qr" in html
    assert twofactor.secret_text(device) in html
    assert not signed_in(client)
    # The same device (and QR code) on the next visit.
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=evaluator).count() == 1

    assert client.post(ENROL, {"otp_token": wrong_code(device)}).status_code == 200
    assert not signed_in(client)
    traveller.shift(dt.timedelta(seconds=2))
    response = client.post(ENROL, {"otp_token": code(device)})
    assert response.status_code == 302 and response["Location"] == HOME
    assert signed_in(client)
    device.refresh_from_db()
    assert device.confirmed


def test_enrolment_is_closed_once_a_device_is_confirmed(client, evaluator):
    device_for(evaluator)
    sign_in(client, evaluator)
    assert client.get(ENROL)["Location"] == CODE
    assert TOTPDevice.objects.filter(user=evaluator).count() == 1


def test_the_enrolment_page_has_no_inline_script_and_passes_the_csp(client, evaluator):
    sign_in(client, evaluator)
    response = client.get(ENROL)
    assert "<script>" not in response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]


# --- The Django admin signs in through the same login -------------------------------------


def test_the_admin_login_is_the_portal_login_with_its_code(client, administrator, traveller):
    admin_index = reverse("admin:index")
    response = client.get(admin_index, follow=True)
    assert response.redirect_chain[-1][0] == f"{LOGIN}?next={admin_index.replace('/', '%2F')}"
    device = device_for(administrator)
    response = client.post(
        response.redirect_chain[-1][0],
        {"username": administrator.username, "password": PASSWORD, "next": admin_index},
    )
    assert response["Location"] == CODE
    assert client.get(admin_index).status_code == 302
    assert client.post(CODE, {"otp_token": code(device)})["Location"] == admin_index
    assert client.get(admin_index).status_code == 200


def test_the_admin_login_refuses_a_signed_in_user_without_admin_access(client, officer_a):
    client.force_login(officer_a)
    assert client.get(reverse("admin:login") + "?next=/admin/").status_code == 403


# --- Sessions --------------------------------------------------------------------------


def session_key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_signing_in_rotates_the_session_key(client, officer_a):
    client.session.save()  # an anonymous session, as a planted cookie would be
    before = session_key(client)
    sign_in(client, officer_a)
    assert signed_in(client)
    assert session_key(client) != before


def test_each_step_of_a_two_factor_sign_in_rotates_the_session_key(client, evaluator, traveller):
    device = device_for(evaluator)
    client.session.save()
    before = session_key(client)
    sign_in(client, evaluator)
    pending = session_key(client)
    client.post(CODE, {"otp_token": code(device)})
    assert signed_in(client)
    assert len({before, pending, session_key(client)}) == 3


def test_an_idle_session_is_signed_out_and_an_active_one_is_not(client, officer_a, traveller):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_SECONDS == 30 * 60
    client.force_login(officer_a)
    for _ in range(4):  # 80 minutes of work, a request every 20
        traveller.shift(dt.timedelta(minutes=20))
        assert client.get(HOME).status_code == 200
    traveller.shift(dt.timedelta(minutes=31))
    assert client.get(HOME)["Location"].startswith(LOGIN)


def test_an_active_session_ends_at_the_absolute_lifetime(client, officer_a, settings, traveller):
    settings.SESSION_ABSOLUTE_SECONDS = 60 * 60
    client.force_login(officer_a)
    for _ in range(2):
        traveller.shift(dt.timedelta(minutes=25))
        assert client.get(HOME).status_code == 200
    traveller.shift(dt.timedelta(minutes=11))  # 61 minutes after sign-in
    assert client.get(HOME)["Location"].startswith(LOGIN)


def test_a_burst_of_requests_renews_the_session_once(client, officer_a, traveller):
    client.force_login(officer_a)
    client.get(HOME)

    def session_writes() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(HOME).status_code == 200
        return sum("UPDATE" in q["sql"] and "django_session" in q["sql"] for q in captured)

    traveller.shift(dt.timedelta(seconds=10))
    assert session_writes() == 0
    traveller.shift(dt.timedelta(minutes=2))
    assert session_writes() == 1


# --- The demo ------------------------------------------------------------------------


def test_demo_evaluator_and_admin_have_the_documented_key(client, traveller):
    out = io.StringIO()
    call_command("seed_demo", "--print-logins", stdout=out)
    devices = TOTPDevice.objects.filter(confirmed=True).select_related("user")
    assert {d.user.username for d in devices} == {"admin", "evaluator"}
    assert {d.key for d in devices} == {demo.DEMO_TOTP_KEY_HEX}
    assert demo.DEMO_TOTP_SECRET in out.getvalue()
    client.post(LOGIN, {"username": "evaluator", "password": demo.DEMO_PASSWORD})
    response = client.post(CODE, {"otp_token": code(devices.get(user__username="evaluator"))})
    assert response["Location"] == HOME
    # A second run makes none.
    call_command("seed_demo", stdout=out)
    assert TOTPDevice.objects.count() == 2


def test_client_login_needs_the_request_for_axes(client, officer_a):
    assert client.login(request=HttpRequest(), username=officer_a.username, password=PASSWORD)
