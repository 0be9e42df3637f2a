import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from core import crypto
from core.masking import PiiLogFilter, mask_id, mask_phone, mask_text


def test_masks_for_display():
    assert mask_id("11010519491231002X") == "110105********002X"
    assert mask_id("A123456(3)") == "A1*****(3)"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+85361234567") == "+85*****4567"
    assert mask_id("") == "" and mask_phone(None) == ""


def test_free_text_is_masked():
    text = "申请人 11010519491231002X 电话 13812345678，香港 A123456(3)"
    assert mask_text(text) == "申请人 110105********002X 电话 138****5678，香港 A******(3)"


def test_log_records_never_carry_numbers(caplog):
    logger = logging.getLogger("onestop.test")
    logger.addFilter(PiiLogFilter())
    with caplog.at_level(logging.INFO, logger="onestop.test"):
        logger.info("looked up %s with phone %s", "11010519491231002X", "13812345678")
    assert caplog.messages == ["looked up 110105********002X with phone 138****5678"]


def test_encryption_round_trip_and_randomised():
    first, second = crypto.encrypt("11010519491231002X"), crypto.encrypt("11010519491231002X")
    assert first != second
    assert "11010519491231002X" not in first
    assert crypto.decrypt(first) == "11010519491231002X"
    assert crypto.key_id_of(first) == "t2"


def test_old_key_still_decrypts_after_rotation():
    with override_settings(PII_ENCRYPTION_KEYS=[crypto_settings_key("t1")]):
        old = crypto.encrypt("secret")
    assert crypto.key_id_of(old) == "t1"
    assert crypto.decrypt(old) == "secret"  # t1 is still configured (second in the list)


def test_unknown_key_is_refused_clearly():
    with override_settings(PII_ENCRYPTION_KEYS=[crypto_settings_key("t1")]):
        token = crypto.encrypt("x")
    with (
        override_settings(PII_ENCRYPTION_KEYS=[crypto_settings_key("t2")]),
        pytest.raises(ImproperlyConfigured, match="t1"),
    ):
        crypto.decrypt(token)


def test_digest_is_keyed():
    digest = crypto.pii_digest("phone", "13812345678")
    with override_settings(PII_HASH_KEY="another"):
        assert crypto.pii_digest("phone", "13812345678") != digest


def crypto_settings_key(kid: str) -> str:
    from django.conf import settings

    return next(k for k in settings.PII_ENCRYPTION_KEYS if k.startswith(kid + ":"))
