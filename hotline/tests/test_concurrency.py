"""Twenty dispatchers take from one queue at once: every work order is taken exactly once
(real threads and transactions; PostgreSQL in CI)."""

import random

import pytest

from core.errors import Conflict
from core.testing import run_together
from hotline.models import WorkOrder
from hotline.services import order_create, order_take

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_dispatchers_take_each_order_exactly_once(citizen):
    from conftest import _staff, load_reference

    if not _regions_loaded():
        load_reference()
    dispatchers = [_staff(f"dispatcher-{i}", "dispatcher", "GSDMB") for i in range(20)]
    for n in range(12):
        order_create(
            actor=citizen,
            channel="web",
            order_type="complaint",
            text=f"第{n}号：小区门口有人占道摆摊，晚上油烟很大。",
        )
    orders = list(WorkOrder.objects.values_list("pk", flat=True))

    def work(n: int) -> list[tuple[int, int]]:
        won, queue = [], orders[:]
        random.Random(n).shuffle(queue)
        for pk in queue:
            try:
                order_take(actor=dispatchers[n], order=WorkOrder.objects.get(pk=pk))
            except Conflict:
                continue
            won.append((pk, dispatchers[n].pk))
        return won

    wins = [win for won in run_together(len(dispatchers), work) for win in won]
    assert sorted(pk for pk, _ in wins) == sorted(orders)
    taken = dict(WorkOrder.objects.values_list("pk", "taken_by"))
    assert all(taken[pk] == dispatcher for pk, dispatcher in wins)


def _regions_loaded() -> bool:
    from directory.models import Region

    return Region.objects.exists()
