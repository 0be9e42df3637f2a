from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """Regions, departments, authorities, halls, windows and bank outlets."""

    name = "directory"
    verbose_name = _("Directory")
