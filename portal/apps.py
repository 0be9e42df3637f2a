from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages that span apps (home, workbench), health and metrics, the demo city."""

    name = "portal"
    verbose_name = _("Portal")
