"""Masking of identity and phone numbers for pages and logs (PIPL: minimum necessary)."""

from __future__ import annotations

import logging
import re


def mask_id(value: str | None) -> str:
    """Keep the first and last few characters: 440703********1234 / A12****(3)."""
    if not value:
        return ""
    if len(value) >= 15:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if len(value) <= 4:
        return "*" * len(value)
    tail = 3 if value.endswith(")") else 2  # keep a bracketed check digit whole: (3)
    return value[:2] + "*" * (len(value) - 2 - tail) + value[-tail:]


def mask_phone(value: str | None) -> str:
    """138****5678; +853****5678."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(name: str | None) -> str:
    """陈美玲 → 陈*玲, 王五 → 王*: enough for the holder to recognise, not to identify."""
    if not name:
        return ""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# Any 18-character resident-ID-shaped or 11-digit mobile-shaped run inside free text.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_HK_RE = re.compile(r"(?<![A-Za-z0-9])([A-Z]{1,2})\d{6}(\(?[0-9A]\)?)")


def mask_text(text: str) -> str:
    """Mask every ID-number-like and phone-like run in free text (for logs)."""
    text = _ID_RE.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)
    text = _PHONE_RE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)
    return _HK_RE.sub(lambda m: f"{m.group(1)}******{m.group(2)}", text)


class PiiLogFilter(logging.Filter):
    """Rewrites every log record so no ID or phone number reaches a log file."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        masked = mask_text(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        return True
