"""Twenty clerks claim from one inbox at once: every task is claimed exactly once."""

import random

import pytest

from cases.models import WorkItem
from cases.services import case_submit, work_item_claim
from catalog.models import ServiceItem
from core.errors import Conflict
from core.testing import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_clerks_claim_each_task_exactly_once(citizen):
    from conftest import _staff, load_reference

    if not ServiceItem.objects.exists():  # a flush by an earlier transactional test
        load_reference()
    item = ServiceItem.objects.get(code="SAMR-0001")
    form = {"contact_phone": "13800000101", "address": "江门市"}
    for _ in range(8):
        case_submit(actor=citizen, item=item, form_data=form)
    clerks = [_staff(f"clerk-{i}", "clerk") for i in range(20)]
    tasks = list(WorkItem.objects.values_list("pk", flat=True))

    def work(n: int) -> list[tuple[int, int]]:
        won, order = [], tasks[:]
        random.Random(n).shuffle(order)
        for pk in order:
            try:
                work_item_claim(actor=clerks[n], work_item=WorkItem.objects.get(pk=pk))
            except Conflict:
                continue
            won.append((pk, clerks[n].pk))
        return won

    wins = [win for won in run_together(len(clerks), work) for win in won]
    assert sorted(pk for pk, _ in wins) == sorted(tasks)
    claimed = dict(WorkItem.objects.values_list("pk", "claimed_by"))
    assert all(claimed[pk] == clerk for pk, clerk in wins)
