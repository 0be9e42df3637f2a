"""Model fields shared by the apps."""

from __future__ import annotations

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Text stored encrypted at rest (AES-GCM, rotatable keys); plain text in Python."""

    description = "Encrypted text"

    def from_db_value(self, value, expression, connection):
        return value if not value else crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)
