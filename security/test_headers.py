"""Security headers with the production settings, and Django's deployment check.

The production values are read from a fresh interpreter started with a production
environment (``DJANGO_DEBUG=False`` and the rest), then applied here with
``override_settings``: the headers tested are the ones production sends.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.tests.factories import PASSWORD

from .helpers import client_for, fetch

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "sosmed.katingankab.go.id"
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "False",
    "DJANGO_SECRET_KEY": "q8#Vt!z3Lr0@Mn6&Wy2*Xk9^Ps4%Jd7(Hf1)Bc5_Ga-Ue+Io=Zl",
    "DJANGO_ALLOWED_HOSTS": HOST,
    "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
}
SECURITY_SETTINGS = (
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "X_FRAME_OPTIONS",
)
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    f"print(json.dumps({{name: getattr(settings, name) for name in {SECURITY_SETTINGS!r}}}))"
)


def run_django(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "katingan_sosmed.settings",
        "DJANGO_READ_DOT_ENV": "False",
        "VAR_DIR": str(tmp_path / "var"),
        **PRODUCTION_ENV,
    }
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    result = run_django(["-c", PROBE], tmp_path_factory.mktemp("probe"))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    return values


@pytest.fixture
def secure(production):
    with override_settings(**production, ALLOWED_HOSTS=[HOST]):
        yield


def test_production_turns_tls_and_hsts_on(production):
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]


def _pages(world) -> list[tuple[str, str]]:
    a = world.a
    return [
        ("anonymous", reverse("login")),
        ("anonymous", reverse("tracking:form")),
        ("anonymous", reverse("api:docs")),
        ("officer_a", reverse("home")),
        ("officer_a", reverse("inquiries:detail", args=[a.inquiry.pk])),
        ("officer_a", reverse("accounts:decree_file", args=[a.decree.pk])),
        ("officer_a", reverse("reports:file_status", args=[a.report.pk])),
        ("officer_b", reverse("inquiries:detail", args=[a.inquiry.pk])),  # a 404
        ("evaluator", reverse("reports:dashboard")),
    ]


def test_every_page_sends_the_security_headers(world, secure, production):
    for role, url in _pages(world):
        client = client_for(None if role == "anonymous" else world.users[role])
        response = fetch(client, url, secure=True, HTTP_HOST=HOST)
        assert response.status_code in (200, 404), f"{url}: {response.status_code}"
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        directives = dict(
            (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in csp.split(";")) if part
        )
        assert directives.get("default-src") == "'self'", f"{url}: {csp}"
        assert directives.get("script-src") == "'self'", f"{url}: {csp}"
        assert directives.get("object-src") == "'none'"
        assert directives.get("frame-ancestors") == "'none'"
        assert directives.get("base-uri") == "'self'" and directives.get("form-action") == "'self'"
        assert "unsafe" not in csp
        hsts = headers.get("Strict-Transport-Security", "")
        assert hsts == f"max-age={production['SECURE_HSTS_SECONDS']}; includeSubDomains; preload"
        assert headers.get("X-Frame-Options") == "DENY"
        assert headers.get("Referrer-Policy") == "same-origin"
        assert headers.get("X-Content-Type-Options") == "nosniff"
        assert headers.get("Cross-Origin-Opener-Policy") == "same-origin"


def test_plain_http_is_sent_to_https(world, secure):
    response = fetch(client_for(), reverse("login"), HTTP_HOST=HOST)
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}{reverse('login')}"


def test_cookies_are_secure_and_http_only(world, secure):
    client = client_for()
    page = fetch(client, reverse("login"), secure=True, HTTP_HOST=HOST)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = fetch(
        client,
        reverse("login"),
        "post",
        data={
            "username": "petugas_a",
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf.value,
        },
        secure=True,
        HTTP_HOST=HOST,
        HTTP_REFERER=f"https://{HOST}{reverse('login')}",
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_check_deploy_reports_nothing(tmp_path):
    result = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
