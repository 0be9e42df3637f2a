from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    """12345 hotline. This first slice: smart dispatch (the routing model and its commands)."""

    name = "hotline"
    verbose_name = _("12345 hotline")
