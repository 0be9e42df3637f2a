"""Identifiers of people and organisations: GB 11643, GB 32100, Hong Kong, Macao, permits.

Each validator returns an :class:`IdCheck`: ``ok`` with the normalised value, or the reason it
fails as a translatable message. A warning (e.g. an area code we do not know) does not reject.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class IdType(StrEnum):
    """Kinds of personal identity document a person can register with."""

    RESIDENT_ID = "resident_id"  # 居民身份证
    HK_ID = "hk_id"  # 香港身份证
    MACAO_ID = "macao_id"  # 澳门身份证
    HKMO_PERMIT = "hkmo_permit"  # 港澳居民来往内地通行证 (回乡证)
    RESIDENCE_PERMIT = "residence_permit"  # 港澳台居民居住证


ID_TYPE_LABELS = {
    IdType.RESIDENT_ID: _("Resident ID card"),
    IdType.HK_ID: _("Hong Kong identity card"),
    IdType.MACAO_ID: _("Macao identity card"),
    IdType.HKMO_PERMIT: _("Mainland travel permit for Hong Kong and Macao residents"),
    IdType.RESIDENCE_PERMIT: _("Residence permit for Hong Kong, Macao and Taiwan residents"),
}


@dataclass(frozen=True)
class IdCheck:
    ok: bool
    value: str
    error: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)


def _fail(value: str, message) -> IdCheck:
    return IdCheck(ok=False, value=value, error=str(message))


# GB/T 2260 province-level prefixes (first two digits of an area code).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65"  # noqa: SIM905
    " 71 81 82 83".split()
)
RESIDENCE_PERMIT_PREFIXES = {"810000": "HK", "820000": "MO", "830000": "TW"}
_WEIGHTS_11643 = [pow(2, 17 - i, 11) for i in range(17)]
_CHECK_11643 = "10X98765432"


def resident_id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits (GB 11643)."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS_11643, strict=True))
    return _CHECK_11643[total % 11]


def _birth_date(digits: str) -> dt.date | None:
    try:
        born = dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    return born if dt.date(1880, 1, 1) <= born <= dt.date.today() else None


def _check_18(raw: str, *, permit: bool) -> IdCheck:
    value = raw.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return _fail(value, _("Must be 17 digits followed by a digit or X (18 characters)."))
    if _birth_date(value[6:14]) is None:
        return _fail(value, _("Characters 7 to 14 are not a real date of birth."))
    if resident_id_check_char(value[:17]) != value[17]:
        return _fail(value, _("The check character (the last one) does not match: mistyped?"))
    warnings: list[str] = []
    if permit and value[:6] not in RESIDENCE_PERMIT_PREFIXES:
        return _fail(value, _("A residence permit number starts with 810000, 820000 or 830000."))
    if not permit:
        if value[:6] in RESIDENCE_PERMIT_PREFIXES:
            return _fail(value, _("This is a residence permit number, not a resident ID number."))
        if value[:2] not in PROVINCE_CODES:
            warnings.append(str(_("The area code is not one we know; please check it.")))
    return IdCheck(ok=True, value=value, warnings=tuple(warnings))


def check_resident_id(raw: str) -> IdCheck:
    """18-digit resident ID (GB 11643-1999): format, real birth date, MOD 11-2 check."""
    return _check_18(raw, permit=False)


def check_residence_permit(raw: str) -> IdCheck:
    """HK/Macao/Taiwan residence permit: 810000/820000/830000 + the GB 11643 check."""
    return _check_18(raw, permit=True)


def birth_date_of(resident_id: str) -> dt.date | None:
    """Date of birth encoded in a valid resident ID or residence permit number."""
    return _birth_date(resident_id[6:14])


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015 check character of the first 17 characters."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def check_uscc(raw: str) -> IdCheck:
    """Unified social credit code (GB 32100-2015): 18 characters of its 31-letter alphabet."""
    value = raw.strip().upper()
    if len(value) != 18:
        return _fail(value, _("A unified social credit code has 18 characters."))
    bad = sorted({c for c in value if c not in USCC_ALPHABET})
    if bad:
        return _fail(
            value,
            _("Contains characters that never occur in a credit code: %(chars)s")
            % {"chars": " ".join(bad)},
        )
    if not re.fullmatch(r"\d{6}", value[2:8]):
        return _fail(value, _("Characters 3 to 8 must be the digits of an area code."))
    if uscc_check_char(value[:17]) != value[17]:
        return _fail(value, _("The check character (the last one) does not match: mistyped?"))
    return IdCheck(ok=True, value=value)


def _hk_value(c: str) -> int:
    return 36 if c == " " else (ord(c) - 55 if c.isalpha() else int(c))


def hk_id_check_char(body: str) -> str:
    """Check character of a Hong Kong identity card number body (1-2 letters + 6 digits)."""
    padded = body.rjust(8)
    total = sum(_hk_value(c) * w for c, w in zip(padded, range(9, 1, -1), strict=True))
    rest = (11 - total % 11) % 11
    return "A" if rest == 10 else str(rest)


def check_hk_id(raw: str) -> IdCheck:
    """Hong Kong identity card: A123456(3) — letters, six digits and a check character."""
    value = re.sub(r"\s+", "", raw).upper()
    m = re.fullmatch(r"([A-Z]{1,2}\d{6})\(?([0-9A])\)?", value)
    if not m:
        return _fail(value, _("Must be one or two letters, six digits and a check character."))
    body, check = m.groups()
    if hk_id_check_char(body) != check:
        return _fail(value, _("The check character (in brackets) does not match: mistyped?"))
    return IdCheck(ok=True, value=f"{body}({check})")


def check_macao_id(raw: str) -> IdCheck:
    """Macao identity card: 1234567(8) — eight digits, first 1, 5 or 7 (format only)."""
    value = re.sub(r"\s+", "", raw)
    m = re.fullmatch(r"([157]\d{6})\(?(\d)\)?", value)
    if not m:
        return _fail(value, _("Must be eight digits beginning with 1, 5 or 7, such as 1234567(8)."))
    return IdCheck(ok=True, value=f"{m.group(1)}({m.group(2)})")


def check_hkmo_permit(raw: str) -> IdCheck:
    """Mainland travel permit for HK/Macao residents: H or M and 8 digits (+2 issue digits)."""
    value = raw.strip().upper()
    if not re.fullmatch(r"[HM]\d{8}(\d{2})?", value):
        return _fail(value, _("Must be H (Hong Kong) or M (Macao) followed by 8 or 10 digits."))
    return IdCheck(ok=True, value=value)


PERSON_ID_CHECKS = {
    IdType.RESIDENT_ID: check_resident_id,
    IdType.HK_ID: check_hk_id,
    IdType.MACAO_ID: check_macao_id,
    IdType.HKMO_PERMIT: check_hkmo_permit,
    IdType.RESIDENCE_PERMIT: check_residence_permit,
}


def check_person_id(id_type: str, raw: str) -> IdCheck:
    """Validate a person's identity number of the given type."""
    try:
        checker = PERSON_ID_CHECKS[IdType(id_type)]
    except ValueError:
        return _fail(raw, _("Unknown kind of identity document."))
    return checker(raw)


def check_phone(raw: str) -> IdCheck:
    """A number to call back: a mobile (as ``check_mainland_mobile``) or a mainland landline
    with its area code (0 + 9 to 11 digits, e.g. 0750-3501234)."""
    mobile = check_mainland_mobile(raw)
    if mobile.ok:
        return mobile
    value = re.sub(r"[\s-]", "", raw)
    if re.fullmatch(r"0\d{9,11}", value):
        return IdCheck(ok=True, value=value)
    return _fail(
        value,
        _(
            "Enter a mobile number (11 digits, or +852 / +853 and 8) "
            "or a landline with its area code."
        ),
    )


def check_mainland_mobile(raw: str) -> IdCheck:
    """A mainland mobile number (11 digits starting with 1), or +852/+853 local numbers."""
    value = re.sub(r"[\s-]", "", raw)
    if re.fullmatch(r"(\+86)?1[3-9]\d{9}", value):
        return IdCheck(ok=True, value=value.removeprefix("+86"))
    if re.fullmatch(r"\+85[23]\d{8}", value):
        return IdCheck(ok=True, value=value)
    return _fail(value, _("Enter an 11-digit mainland mobile number, or +852 / +853 and 8 digits."))
