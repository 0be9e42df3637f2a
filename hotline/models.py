"""12345 hotline. First slice: the versioned routing model that suggests departments."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RoutingModel(models.Model):
    """One trained dispatch model (TF-IDF over characters and words + a linear model, plus
    the dispatch catalogue's keywords), stored so every process loads the same version."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    trained_at = models.DateTimeField(_("trained"), default=timezone.now)
    samples = models.PositiveIntegerField(_("training samples"))
    catalogue_version = models.CharField(_("dispatch catalogue version"), max_length=20)
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    blob = models.BinaryField()  # the fitted model, pickled; written only by the train service
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("routing model")
        verbose_name_plural = _("routing models")

    def __str__(self) -> str:
        return f"v{self.version}"
