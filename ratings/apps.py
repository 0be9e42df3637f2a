from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    """好差评: ratings of service events, rectification of bad reviews, assessment."""

    name = "ratings"
    verbose_name = _("Good/bad reviews")
