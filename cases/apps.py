from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """办件: applications from every channel, their workflow, time limits and history."""

    name = "cases"
    verbose_name = _("Cases")
