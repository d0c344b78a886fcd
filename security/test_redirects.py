"""Open redirects: every ``next`` (or similar) parameter ends on a page of the portal."""

import html
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.urls import reverse

from accounts.tests.factories import PASSWORD

from .helpers import client_for, fetch

pytestmark = pytest.mark.django_db

HOSTILE_NEXT = [
    "https://evil.example/",
    "http://evil.example/login",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "https:evil.example",
    "https:/evil.example",
    "http://testserver@evil.example/",
    " //evil.example",
    "/\t/evil.example",
    "\t//evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://testserver.evil.example/",
]


def is_local(location: str) -> bool:
    """A browser following ``location`` stays on the portal (host testserver).

    Browsers are lenient: they drop tabs and newlines, read a backslash as a slash and
    ``https:/host`` or ``///host`` as a host. So: an absolute URL must name the portal's
    host; anything else must be a path, one slash then not a slash."""
    if any(ch in location for ch in "\\\t\r\n") or location != location.strip():
        return False
    for origin in ("http://testserver", "https://testserver"):
        if location == origin or location.startswith(origin + "/"):
            return True
    return location.startswith("/") and location[1:2] != "/"


NEXT_FIELD = re.compile(r'name="next" value="([^"]*)"')


def assert_next_fields_local(page) -> None:
    """Every ``next`` a form of the page would send is local (the language switcher's is
    the page itself, with its query)."""
    for value in NEXT_FIELD.findall(page.body.decode()):
        target = html.unescape(value)
        assert target == "" or is_local(target), target
        assert not target.startswith(("//", "/\\")), target


def test_is_local_recognises_the_hostile_targets():
    assert all(not is_local(target) for target in HOSTILE_NEXT)
    assert is_local("/pertanyaan/?kotak=diteruskan") and is_local("http://testserver/")


def _location(response) -> str:
    assert response.status_code == 302, response.status_code
    return response["Location"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_login_form_next_stays_on_the_site(target, world):
    """Signing in by the form, as a petugas (no second factor): ``next`` in the query and
    in the form body."""
    client = client_for()
    url = reverse("login") + "?" + urlencode({"next": target})
    page = fetch(client, url)
    assert page.status_code == 200
    assert_next_fields_local(page)
    response = fetch(
        client,
        url,
        "post",
        data={"username": "petugas_a", "password": PASSWORD, "next": target},
    )
    location = _location(response)
    assert is_local(location), location
    assert fetch(client, reverse("home")).status_code == 200  # really signed in


def test_login_form_keeps_a_local_next(world):
    """The check above can fail: a local ``next`` is followed."""
    response = fetch(
        client_for(),
        reverse("login") + "?next=/pertanyaan/",
        "post",
        data={"username": "petugas_a", "password": PASSWORD, "next": "/pertanyaan/"},
    )
    assert _location(response) == "/pertanyaan/"


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_signed_in_redirects_stay_on_the_site(target, world, clients):
    officer = clients["officer_a"]
    checks = [
        # The login page sends a signed-in user on.
        (officer, "get", reverse("login"), {"next": target}),
        # The ethics acknowledgement goes back to where the officer came from.
        (officer, "post", reverse("accounts:ethics"), {"accept": "yes", "next": target}),
        # Ending an appointment goes back to the list it was ended from.
        (
            client_for(world.users["pejabat_a"]),
            "post",
            reverse("accounts:appointment_end", args=[world.a.appointment.pk]),
            {"ends_on": "2026-12-31", "next": target},
        ),
        # The language switch goes back.
        (officer, "post", reverse("set_language"), {"language": "en", "next": target}),
        (officer, "get", reverse("set_language"), {"next": target}),
        # The admin's sign-in, for a staff user and for a visitor.
        (clients["administrator"], "get", reverse("admin:login"), {"next": target}),
        (clients["anonymous"], "get", reverse("admin:login"), {"next": target}),
    ]
    for client, method, url, data in checks:
        if method == "get":
            response = fetch(client, url, data=data)
        else:
            response = fetch(client, url, "post", data=data)
        location = _location(response)
        assert is_local(location), f"{method.upper()} {url}: {location}"
        # The admin's visitor is sent to the portal's login carrying a ``next``: that one
        # must be local too.
        for inner in parse_qs(urlsplit(location).query).get("next", []):
            assert is_local(inner), f"{url}: next={inner}"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_logout_next_stays_on_the_site(target, world):
    client = client_for(world.users["officer_a"])
    location = _location(fetch(client, reverse("logout"), "post", data={"next": target}))
    assert is_local(location), location


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_a_hostile_referer_is_not_followed_by_the_language_switch(target, world, clients):
    response = fetch(
        clients["officer_a"],
        reverse("set_language"),
        "post",
        data={"language": "en"},
        HTTP_REFERER=target,
    )
    assert response.status_code in (204, 302)
    if response.status_code == 302:
        assert is_local(response["Location"]), response["Location"]


def test_ethics_page_does_not_echo_a_hostile_next(world, clients):
    page = fetch(clients["officer_a"], reverse("accounts:ethics"), data={"next": "//evil.example"})
    assert page.status_code == 200
    assert_next_fields_local(page)
