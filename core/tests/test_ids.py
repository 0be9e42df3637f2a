import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import ids


@pytest.mark.parametrize(
    ("checker", "value", "normalised"),
    [
        (ids.check_resident_id, "11010519491231002X", "11010519491231002X"),
        (ids.check_resident_id, "11010519491231002x", "11010519491231002X"),
        (ids.check_hk_id, "A123456(3)", "A123456(3)"),
        (ids.check_hk_id, "a1234563", "A123456(3)"),
        (ids.check_uscc, "91350100M000100Y43", "91350100M000100Y43"),
        (ids.check_macao_id, "1234567(8)", "1234567(8)"),
        (ids.check_hkmo_permit, "M12345678", "M12345678"),
        (ids.check_hkmo_permit, "h1234567801", "H1234567801"),
    ],
)
def test_published_examples_pass(checker, value, normalised):
    result = checker(value)
    assert result.ok, result.error
    assert result.value == normalised


def test_uscc_starting_with_letter_y_passes():
    body = "Y1440703MA0000001"[:17]
    code = body + ids.uscc_check_char(body)
    assert ids.check_uscc(code).ok


@pytest.mark.parametrize(
    ("value", "message_part"),
    [
        ("110105194912310021", "check character"),
        ("11010519491331002X", "date of birth"),
        ("1101051949123100", "17 digits"),
        ("110105194902300027", "date of birth"),
    ],
)
def test_bad_resident_ids_are_rejected_with_a_reason(value, message_part):
    result = ids.check_resident_id(value)
    assert not result.ok
    assert message_part in result.error


def test_unknown_area_code_is_a_warning_not_a_rejection():
    body = "99010519491231002"
    result = ids.check_resident_id(body + ids.resident_id_check_char(body))
    assert result.ok
    assert result.warnings == ("The area code is not one we know; please check it.",)


def test_old_area_code_of_a_known_province_passes_without_warning():
    # Area codes change when counties are reorganised; numbers issued under the old code stay
    # valid for life, so only the province part is checked and nothing else rejects them.
    body = "44072219700101001"
    result = ids.check_resident_id(body + ids.resident_id_check_char(body))
    assert result.ok and result.warnings == ()


def test_residence_permit_needs_its_prefix():
    body = "81000019800101001"
    good = body + ids.resident_id_check_char(body)
    assert ids.check_residence_permit(good).ok
    assert not ids.check_resident_id(good).ok
    other = "44070319800101001"
    assert not ids.check_residence_permit(other + ids.resident_id_check_char(other)).ok


def test_uscc_rejects_letters_outside_its_alphabet():
    result = ids.check_uscc("91350100M000100I43")
    assert not result.ok
    assert result.error.endswith(": I")


def test_hk_id_with_two_letters_and_check_a():
    body = next(b for b in (f"AB{n:06d}" for n in range(1000)) if ids.hk_id_check_char(b) == "A")
    assert ids.check_hk_id(f"{body}(A)").ok


# --- properties: every valid number passes; every single-character change fails ---------

dates = st.dates(
    min_value=__import__("datetime").date(1900, 1, 1),
    max_value=__import__("datetime").date(2024, 12, 31),
)


@st.composite
def resident_ids(draw, prefix=None):
    area = prefix or draw(st.sampled_from(["110105", "440703", "440781", "310101", "440722"]))
    born = draw(dates).strftime("%Y%m%d")
    seq = draw(st.integers(0, 999))
    body = f"{area}{born}{seq:03d}"
    return body + ids.resident_id_check_char(body)


@st.composite
def usccs(draw):
    alphabet = ids.USCC_ALPHABET
    head = draw(st.sampled_from(["11", "12", "51", "52", "91", "92", "93", "Y1", "N2"]))
    area = draw(st.from_regex(r"\A[0-9]{6}\Z"))
    org = "".join(draw(st.lists(st.sampled_from(alphabet), min_size=9, max_size=9)))
    body = head + area + org
    return body + ids.uscc_check_char(body)


@st.composite
def hk_ids(draw):
    letters = draw(st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=2))
    digits = draw(st.from_regex(r"\A[0-9]{6}\Z"))
    body = letters + digits
    return body + ids.hk_id_check_char(body)


SUBSTITUTES = string.digits + string.ascii_uppercase


def single_changes(value: str):
    for i, original in enumerate(value):
        for c in SUBSTITUTES:
            if c != original:
                yield i, value[:i] + c + value[i + 1 :]


@settings(max_examples=60, deadline=None)
@given(resident_ids())
def test_every_valid_resident_id_passes_and_every_single_change_fails(value):
    assert ids.check_resident_id(value).ok
    for _, changed in single_changes(value):
        assert not ids.check_resident_id(changed).ok, changed


@settings(max_examples=40, deadline=None)
@given(resident_ids(prefix="820000"))
def test_every_valid_residence_permit_passes_and_every_single_change_fails(value):
    assert ids.check_residence_permit(value).ok
    for _, changed in single_changes(value):
        assert not ids.check_residence_permit(changed).ok, changed


@settings(max_examples=60, deadline=None)
@given(usccs())
def test_every_valid_uscc_passes_and_every_single_change_fails(value):
    assert ids.check_uscc(value).ok
    for _, changed in single_changes(value):
        assert not ids.check_uscc(changed).ok, changed


@settings(max_examples=60, deadline=None)
@given(hk_ids())
def test_every_valid_hk_id_passes_and_single_changes_fail_but_the_scheme_blind_spot(value):
    """Digits and the check character: every change is caught. Letters: the HK scheme weighs
    letters by value mod 11, so swapping a letter for one 11 or 22 places away (A↔L↔W)
    keeps the checksum; that blind spot belongs to the scheme and is asserted exactly."""
    body = value[:-1]
    assert ids.check_hk_id(value).ok
    for i, changed in single_changes(value):
        accepted = ids.check_hk_id(changed).ok
        is_letter_swap = i < len(body) - 6 and changed[i].isalpha()
        blind = is_letter_swap and (ord(changed[i]) - ord(value[i])) % 11 == 0
        assert accepted == blind, (value, changed)


def test_a_number_to_call_back_may_be_a_landline():
    from core.ids import check_phone

    assert check_phone("0750-3501234").value == "07503501234"
    assert check_phone("139 0000 5678").value == "13900005678"
    assert check_phone("+853 6123 4567").value == "+85361234567"
    assert not check_phone("12ab").ok and not check_phone("3501234").ok
