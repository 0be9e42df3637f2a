"""E-license registry (电子证照库). So far: the license types other apps refer to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import NamedModel


class LicenseType(NamedModel):
    """证照类型: a kind of licence or certificate (resident ID card, business licence, …)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
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
