"""Receipt numbers citizens can read out on the phone: JM + date + serial + a check
character (ISO/IEC 7064 MOD 37,36, as in many Chinese registration numbers), so a mistyped
number is caught before any lookup."""

from __future__ import annotations

import datetime as dt
import string

ALPHABET = string.digits + string.ascii_uppercase  # 36 symbols
PREFIX = "JM"


def _mod37_36(text: str) -> int:
    product = 36
    for char in text:
        total = (product + ALPHABET.index(char)) % 36 or 36
        product = (total * 2) % 37
    return product


def check_char(body: str) -> str:
    """The character that makes ``body`` + it pass the MOD 37,36 check."""
    return ALPHABET[(37 - _mod37_36(body)) % 36]


def is_valid(receipt: str) -> bool:
    receipt = receipt.strip().upper()
    if len(receipt) != 18 or any(c not in ALPHABET for c in receipt):
        return False
    return check_char(receipt[:-1]) == receipt[-1]


def receipt_number(day: dt.date, serial: int) -> str:
    """JM + yyyymmdd + 7-digit serial + check: JM202611230000042K (18 characters)."""
    body = f"{PREFIX}{day:%Y%m%d}{serial % 10_000_000:07d}"
    return body + check_char(body)
