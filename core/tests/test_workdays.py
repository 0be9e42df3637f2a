import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import workdays
from core.workdays import add_working_days, is_working_day, working_days_between

D = dt.date


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # 2025 National Day + Mid-Autumn: 1–8 Oct off; Sun 28 Sep and Sat 11 Oct are worked.
        (D(2025, 9, 26), 1, D(2025, 9, 28)),  # Friday → the make-up Sunday
        (D(2025, 9, 28), 1, D(2025, 9, 29)),
        (D(2025, 9, 30), 1, D(2025, 10, 9)),  # over the whole holiday
        (D(2025, 9, 30), 3, D(2025, 10, 11)),  # 9th, 10th, make-up Saturday 11th
        (D(2025, 9, 30), 4, D(2025, 10, 13)),
        # 2026: Mid-Autumn Fri 25 Sep off; 1–7 Oct off; Sun 20 Sep and Sat 10 Oct worked.
        (D(2026, 9, 18), 1, D(2026, 9, 20)),  # Friday → the make-up Sunday
        (D(2026, 9, 24), 1, D(2026, 9, 28)),  # Mid-Autumn Friday skipped
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # 8th, 9th, make-up Saturday 10th
        (D(2026, 9, 30), 4, D(2026, 10, 12)),
        # A promised limit of 20 working days accepted just before the 2026 holiday.
        (D(2026, 9, 29), 20, D(2026, 11, 2)),
    ],
)
def test_adding_working_days_across_national_day(start, days, expected):
    assert add_working_days(start, days) == expected


def test_zero_days_is_the_day_itself_or_the_next_working_day():
    assert add_working_days(D(2026, 10, 9), 0) == D(2026, 10, 9)
    assert add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 8)


def test_working_days_between_counts_the_half_open_interval():
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 11)) == 3
    assert working_days_between(D(2025, 10, 11), D(2025, 9, 30)) == -3
    assert working_days_between(D(2026, 9, 30), D(2026, 9, 30)) == 0


def test_statutory_days_are_read_from_the_calendar():
    assert not is_working_day(D(2026, 10, 1))
    assert is_working_day(D(2026, 10, 10))  # Saturday, make-up
    assert not is_working_day(D(2026, 9, 25))  # Friday, Mid-Autumn


def test_beyond_the_known_years_the_calendar_estimates_and_says_so():
    last = max(workdays.known_years())
    beyond = last + 1
    assert workdays.is_estimated(D(beyond, 3, 3))
    assert not workdays.is_estimated(D(last, 3, 3))
    assert not is_working_day(D(beyond, 1, 1))  # fixed-date holiday
    assert not is_working_day(D(beyond, 10, 2))
    monday = next(D(beyond, 3, d) for d in range(1, 8) if D(beyond, 3, d).weekday() == 0)
    assert is_working_day(monday)
    assert not is_working_day(monday + dt.timedelta(days=5))


def test_published_overrides_take_precedence(monkeypatch):
    beyond = max(workdays.known_years()) + 1
    rest, work = D(beyond, 2, 16), D(beyond, 2, 14)
    monkeypatch.setattr(workdays, "_overrides", lambda: (frozenset({rest}), frozenset({work})))
    assert not is_working_day(rest)
    assert is_working_day(work)
    assert not workdays.is_estimated(rest)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=D(2005, 1, 1), max_value=D(2030, 12, 31)), st.integers(0, 60))
def test_between_inverts_add(start, days):
    end = add_working_days(start, days)
    assert is_working_day(end)
    if days:
        assert working_days_between(start, end) == days


def test_fast_path_agrees_with_the_package_for_every_known_day():
    import chinese_calendar

    day = D(min(workdays.known_years()), 1, 1)
    end = D(max(workdays.known_years()), 12, 31)
    while day <= end:
        assert is_working_day(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)
