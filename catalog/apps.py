from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """Service items, materials, guides, life events, bundles and search."""

    name = "catalog"
    verbose_name = _("Service catalog")
