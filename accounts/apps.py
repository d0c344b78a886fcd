from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, roles and agencies: the ground floor every other app stands on."""

    name = "accounts"
    verbose_name = _("Accounts and registry")
