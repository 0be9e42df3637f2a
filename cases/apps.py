from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """办件: applications from every channel, their workflow, time limits and history."""

    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from django.urls import reverse

        from catalog.registry import register_apply_url

        register_apply_url(lambda code: reverse("cases:apply", args=[code]))
