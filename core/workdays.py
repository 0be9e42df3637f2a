"""Working days on the Chinese calendar: statutory holidays and make-up working days.

Built on the ``chinese-calendar`` package, which knows the State Council's arrangement for the
years it ships (2004 up to its last year). For a date beyond those years the calendar *estimates*:
Monday to Friday are working days except the fixed-date holidays (1 January, 1–3 May,
1–3 October); lunar holidays and make-up days are unknown until published. Official
arrangements can be added ahead of a package release in ``core/data/calendar_overrides.json``.
``is_estimated(day)`` tells a caller (a deadline shown to a citizen) that a date is an estimate.

Convention: ``add_working_days(start, n)`` counts from the day after ``start`` (the legal clock
starts the day after acceptance) and ``working_days_between(start, end)`` counts the working
days in (start, end], so ``working_days_between(d, add_working_days(d, n)) == n``.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path

import chinese_calendar

_FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 2), (5, 3), (10, 1), (10, 2), (10, 3)}
_OVERRIDES_FILE = Path(__file__).parent / "data" / "calendar_overrides.json"


@cache
def _overrides() -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    data = json.loads(_OVERRIDES_FILE.read_text(encoding="utf-8"))
    rest = frozenset(dt.date.fromisoformat(d) for d in data.get("rest_days", []))
    work = frozenset(dt.date.fromisoformat(d) for d in data.get("working_days", []))
    return rest, work


@cache
def _official() -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """The package's statutory rest days and make-up working days, as sets (fast lookups)."""
    return frozenset(chinese_calendar.holidays), frozenset(chinese_calendar.workdays)


@cache
def known_years() -> range:
    """The years for which the package holds the official arrangement."""
    rest, work = _official()
    years = {d.year for d in rest} | {d.year for d in work}
    return range(min(years), max(years) + 1)


def is_estimated(day: dt.date) -> bool:
    """True when ``day`` lies outside the official data, so its status is an estimate."""
    rest, work = _overrides()
    return day.year not in known_years() and day not in rest and day not in work


def is_working_day(day: dt.date) -> bool:
    """Whether government offices work on ``day`` (holidays off, make-up days on)."""
    rest, work = _overrides()
    if day in work:
        return True
    if day in rest:
        return False
    if day.year in known_years():
        official_rest, official_work = _official()
        return day in official_work or (day.weekday() < 5 and day not in official_rest)
    return day.weekday() < 5 and (day.month, day.day) not in _FIXED_HOLIDAYS


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (0: start, or the next working day)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    if days == 0:
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Number of working days in (start, end]; negative when ``end`` is before ``start``."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day)
    return count
