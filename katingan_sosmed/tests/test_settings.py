"""Settings come from the environment: defaults need no server, overrides switch.

Each case runs Django in a fresh interpreter with a controlled environment, since
settings are read once per process.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "False",
    "DJANGO_SECRET_KEY": "k7#Qz!v2Rr9@Lm4&Tx8*Wp1^Ys6%Hb3(Nc5)Jd0_Fg-Ue+Ia=Ok",
    "DJANGO_ALLOWED_HOSTS": "sosmed.katingankab.go.id",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://sosmed.katingankab.go.id",
}
PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "language": settings.LANGUAGE_CODE,
    "languages": [code for code, _ in settings.LANGUAGES],
    "time_zone": settings.TIME_ZONE,
    "use_tz": settings.USE_TZ,
    "debug": settings.DEBUG,
    "hasher": settings.PASSWORD_HASHERS[0],
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "hsts": settings.SECURE_HSTS_SECONDS,
}))
"""


def run_django(code: str, extra_env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "katingan_sosmed.settings",
        "DJANGO_READ_DOT_ENV": "False",
        "VAR_DIR": str(tmp_path / "var"),
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def probe(extra_env: dict[str, str], tmp_path: Path) -> dict:
    result = run_django(PROBE, extra_env, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_need_no_server(tmp_path):
    values = probe({"DJANGO_DEBUG": "True"}, tmp_path)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["db_name"] == str(tmp_path / "var" / "db.sqlite3")
    assert values["broker"] == "filesystem://"
    assert (tmp_path / "var" / "celery" / "queue").is_dir()
    assert values["cache"].endswith("LocMemCache")
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["language"] == "id"
    assert values["languages"] == ["id", "en"]
    assert values["time_zone"] == "Asia/Jakarta"
    assert values["use_tz"] is True
    assert values["hasher"] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_database_and_redis_urls_switch_backends(tmp_path):
    values = probe(
        {
            "DJANGO_DEBUG": "True",
            "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
        },
        tmp_path,
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["db_name"] == "portal"
    assert values["broker"] == "redis://127.0.0.1:6379/3"
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"


PARALLEL_PROBE = """
import json, os, django
from django.conf import settings
from katingan_sosmed.celery import app
django.setup()
print(json.dumps({
    "cache": settings.CACHES["default"]["LOCATION"],
    "broker": settings.CELERY_BROKER_URL,
    "celery": app.conf.broker_url,
}))
"""


@pytest.mark.parametrize(("worker", "database"), [("", 3), ("gw0", 3), ("gw1", 4), ("gw13", 0)])
def test_each_parallel_test_process_has_its_own_redis_database(tmp_path, worker, database):
    """A test process's Celery worker consumes only its own messages (e2e journeys)."""
    result = run_django(
        PARALLEL_PROBE,
        {
            "DJANGO_DEBUG": "True",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/3",
            "PYTEST_XDIST_WORKER": worker,
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    url = f"redis://127.0.0.1:6379/{database}"
    assert json.loads(result.stdout) == {"cache": url, "broker": url, "celery": url}


def test_production_mode_is_secure_by_default(tmp_path):
    values = probe(PRODUCTION_ENV, tmp_path)
    assert values["debug"] is False
    assert values["session_cookie_secure"] is True
    assert values["hsts"] >= 31_536_000


def test_production_without_secret_key_fails_loudly(tmp_path):
    result = run_django(PROBE, {"DJANGO_DEBUG": "False"}, tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"), [("DJANGO_DEBUG", "maybe"), ("SESSION_COOKIE_AGE", "ten hours")]
)
def test_malformed_value_fails_loudly(tmp_path, name, value):
    result = run_django(PROBE, {"DJANGO_DEBUG": "True", name: value}, tmp_path)
    assert result.returncode != 0
    assert name in result.stderr or "invalid literal" in result.stderr


def deploy_check(extra_env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    code = (
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    return run_django(code, extra_env, tmp_path)


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    result = deploy_check(PRODUCTION_ENV, tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_check_deploy_notices_an_insecure_setting(tmp_path):
    result = deploy_check({**PRODUCTION_ENV, "DJANGO_SESSION_COOKIE_SECURE": "False"}, tmp_path)
    assert result.returncode != 0
    assert "security.W012" in result.stderr + result.stdout


def test_env_example_lists_every_variable_the_settings_read():
    """An operator learns every setting from .env.example; a new one must be added there."""
    settings_source = (BASE_DIR / "katingan_sosmed" / "settings.py").read_text()
    read = set(re.findall(r'env(?:_bool|\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', settings_source))
    listed = set(
        re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (BASE_DIR / ".env.example").read_text(), re.M)
    )
    assert len(read) > 40
    assert sorted(read - listed) == []
