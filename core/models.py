"""Abstract models every app shares. core has no tables of its own."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import localized_name


class NamedModel(models.Model):
    """A Chinese name and an English one; ``name`` picks by the active language."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name_zh

    @property
    def name(self) -> str:
        """The name in the active language."""
        return localized_name(self.name_zh, self.name_en)
