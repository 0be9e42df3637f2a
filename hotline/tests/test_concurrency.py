"""Twenty dispatchers take from one queue at once: every work order is taken exactly once
(real threads and transactions; PostgreSQL in CI)."""

import random
import threading

import pytest
from django.db import connection

from core.errors import Conflict
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
    wins: list[tuple[int, int]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(dispatchers))

    def work(dispatcher, seed):
        queue = orders[:]
        random.Random(seed).shuffle(queue)
        barrier.wait()
        try:
            for pk in queue:
                try:
                    order_take(actor=dispatcher, order=WorkOrder.objects.get(pk=pk))
                except Conflict:
                    continue
                with lock:
                    wins.append((pk, dispatcher.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(d, i)) for i, d in enumerate(dispatchers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(pk for pk, _ in wins) == sorted(orders)
    taken = dict(WorkOrder.objects.values_list("pk", "taken_by"))
    assert all(taken[pk] == dispatcher for pk, dispatcher in wins)


def _regions_loaded() -> bool:
    from directory.models import Region

    return Region.objects.exists()
