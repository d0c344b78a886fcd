from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, roles and agencies: the ground floor every other app stands on."""

    name = "accounts"
    verbose_name = _("Accounts and registry")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .sessions import remember_sign_in

        user_logged_in.connect(remember_sign_in, dispatch_uid="accounts.remember_sign_in")
