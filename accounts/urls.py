from django.contrib.auth import views as auth_views
from django.urls import path

from . import login_views, views

urlpatterns = [
    path("", views.home, name="home"),
    # Signing in: the password, then for evaluators and administrators a TOTP code
    # (accounts.login_views).
    path("masuk/", login_views.PortalLoginView.as_view(), name="login"),
    path("masuk/kode/", login_views.login_code, name="login_code"),
    path("masuk/pasang-autentikator/", login_views.login_enrol, name="login_enrol"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "akun/kata-sandi/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "akun/kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
