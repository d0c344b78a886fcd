"""Login, role-based navigation, language and error pages, through the views."""

import pytest
from django.urls import reverse

from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_speaks_indonesian(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Masuk ke portal" in html
    assert "Sandi" in html


def test_browser_language_does_not_override_indonesian(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="id">' in response.content.decode()


def test_language_switcher_chooses_english_and_stays_on_site(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    assert "Sign in to the portal" in html


def test_login_with_valid_credentials_lands_on_home(client, officer_a):
    response = client.post(reverse("login"), {"username": officer_a.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_rejects_wrong_password_with_indonesian_message(client, officer_a):
    response = client.post(reverse("login"), {"username": officer_a.username, "password": "x"})
    assert response.status_code == 200
    assert "sandi yang benar" in response.content.decode().lower()


def test_login_next_parameter_cannot_leave_the_site(client, officer_a):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        response = client.post(
            f"{reverse('login')}?next={target}",
            {"username": officer_a.username, "password": PASSWORD, "next": target},
        )
        assert response["Location"] == reverse("home"), target
        client.logout()


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("who", "sees_admin", "text"),
    [
        ("officer_a", False, "Dinas Kesehatan"),
        ("pejabat_a", False, "Dinas Kesehatan"),
        ("evaluator", False, "hanya baca"),
        ("pimpinan", False, "hanya baca"),
        ("administrator", True, "Administrator"),
        ("outsider", False, "belum memiliki peran"),
    ],
)
def test_navigation_depends_on_role(client, cast, who, sees_admin, text):
    client.force_login(cast[who])
    html = client.get(reverse("home")).content.decode()
    assert ('data-nav="admin:index"' in html) is sees_admin
    assert ('data-nav="home"' in html) is (who != "outsider")
    assert text in html


def test_logout_is_post_only(client, officer_a):
    client.force_login(officer_a)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change_requires_current_password(client, officer_a):
    client.force_login(officer_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": "salah", "new_password1": "x", "new_password2": "x"},
    )
    assert response.status_code == 200
    assert "sandi lama anda yang dimasukkan salah" in response.content.decode().lower()


def test_404_page_is_indonesian(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


@pytest.mark.urls("accounts.tests.urls_error")
def test_500_page_is_generic_and_indonesian(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Terjadi kesalahan" in html
    assert "Traceback" not in html and "SECRET_KEY" not in html
