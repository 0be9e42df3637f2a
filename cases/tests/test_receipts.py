import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from cases.receipts import check_char, is_valid, receipt_number


def test_receipt_number_shape_and_check():
    number = receipt_number(dt.date(2026, 11, 23), 42)
    assert number.startswith("JM202611230000042") and len(number) == 18
    assert is_valid(number) and is_valid(number.lower())
    assert check_char(number[:-1]) == number[-1]


@given(st.integers(min_value=1, max_value=9_999_999), st.integers(min_value=0, max_value=16),
       st.sampled_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"))  # fmt: skip
def test_any_single_character_change_is_caught(serial, position, replacement):
    number = receipt_number(dt.date(2026, 1, 2), serial)
    if number[position] == replacement:
        return
    changed = number[:position] + replacement + number[position + 1 :]
    assert not is_valid(changed)


def test_adjacent_swaps_are_caught():
    number = receipt_number(dt.date(2026, 5, 1), 1234567)
    for i in range(len(number) - 1):
        if number[i] != number[i + 1]:
            swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
            assert not is_valid(swapped), swapped
