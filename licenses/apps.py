from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensesConfig(AppConfig):
    """E-license types (this issue); issuance, signatures and verification come with issue 6."""

    name = "licenses"
    verbose_name = _("E-licenses")
