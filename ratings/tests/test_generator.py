"""The city-sized generator: deterministic, labelled demo, rollups equal to the recount."""

from __future__ import annotations

import pytest

from directory.models import Hall
from ratings.models import Rating, Rectification, Rollup
from ratings.services import ratings_generate, rollups_recount

pytestmark = pytest.mark.django_db


def test_generated_history_is_labelled_and_its_rollups_equal_the_recount(citizen):
    done = ratings_generate(count=3000, halls=60, days=90, seed=7, people=50, batch=700)
    assert done["ratings"] == 3000 and done["halls"] == 60
    assert Hall.objects.count() >= 60
    assert not Rating.objects.filter(is_demo=False).exists()
    assert Rectification.objects.filter(rating__level__lte=2).count() == (
        Rating.objects.filter(level__lte=2).count()
    )
    stored = {}
    for row in Rollup.objects.all():
        counts = {
            f: getattr(row, f)
            for f in (
                "n",
                "l1",
                "l2",
                "l3",
                "l4",
                "l5",
                "rectifications",
                "rect_closed",
                "rect_on_time",
                "callbacks",
            )
            if getattr(row, f)
        }
        if counts:
            stored[(row.unit, row.unit_id, row.day, row.channel)] = counts
    assert stored == rollups_recount()
    satisfied = Rating.objects.filter(level__gte=3, unfounded=False).count()
    assert satisfied / Rating.objects.filter(unfounded=False).count() > 0.9
