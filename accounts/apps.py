from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Citizens, enterprises and their agents, staff; sign-in, two-factor, consent."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from .services import register_ledger_payloads

        register_ledger_payloads()
