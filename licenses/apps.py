from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensesConfig(AppConfig):
    """E-license registry: types, signed credentials, status lists, consent, data-use log."""

    name = "licenses"
    verbose_name = _("E-licenses")

    def ready(self):
        from .services import register_ledger_payloads

        register_ledger_payloads()
