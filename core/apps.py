from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared code without models: identifiers, calendar, masking, crypto, errors."""

    name = "core"
    verbose_name = "Core"
