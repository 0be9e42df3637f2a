"""E-license registry (电子证照库). So far: the license types other apps refer to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import localized_name


class LicenseType(models.Model):
    """证照类型: a kind of licence or certificate (resident ID card, business licence, …)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    issuer = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="license_types",
        verbose_name=_("issuing department"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("license type")
        verbose_name_plural = _("license types")

    def __str__(self) -> str:
        return self.name_zh

    @property
    def name(self) -> str:
        return localized_name(self.name_zh, self.name_en)
