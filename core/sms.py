"""SMS providers. A provider is a class with ``send(phone, text) -> message id``; the one in
use is ``settings.SMS_PROVIDER`` (a dotted path). The built-in ones never leave the machine:
``LogSmsProvider`` writes a masked line to the log, ``MemorySmsProvider`` keeps messages for
tests. A city adds its carrier's gateway as one more class."""

from __future__ import annotations

import logging
import uuid
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .masking import mask_phone

log = logging.getLogger("onestop.sms")


class SmsProvider:
    name = "base"

    def send(self, phone: str, text: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError


class LogSmsProvider(SmsProvider):
    """Development: log that a message would go out, with the number masked."""

    name = "log"

    def send(self, phone: str, text: str) -> str:
        message_id = uuid.uuid4().hex
        log.info("sms %s to %s (%d characters)", message_id, mask_phone(phone), len(text))
        return message_id


class MemorySmsProvider(SmsProvider):
    """Tests: keep every message in ``outbox``."""

    name = "memory"
    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> str:
        self.outbox.append((phone, text))
        return uuid.uuid4().hex


@cache
def _provider_class(path: str) -> type[SmsProvider]:
    return import_string(path)


def sms_provider() -> SmsProvider:
    return _provider_class(getattr(settings, "SMS_PROVIDER", "core.sms.LogSmsProvider"))()
