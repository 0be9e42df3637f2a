"""Many writers at once: indexes stay unique and gapless, the tree stays right (SQLite and
PostgreSQL alike — the suite runs on both)."""

import threading

import pytest
from django.db import connection, transaction

from ledger.models import Entry
from ledger.services import ledger_append
from ledger.verify import ledger_verify

pytestmark = pytest.mark.django_db(transaction=True)
WRITERS, EACH = 8, 15


def test_concurrent_appends_are_gapless_and_verifiable():
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(EACH):
                with transaction.atomic():
                    ledger_append(
                        actor=None,
                        action="test.concurrent",
                        subject=f"w{n}:{i}",
                        payload={"writer": n, "i": i},
                    )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    indexes = sorted(Entry.objects.values_list("index", flat=True))
    assert indexes == list(range(WRITERS * EACH))
    subjects = set(Entry.objects.values_list("subject", flat=True))
    assert len(subjects) == WRITERS * EACH
    report = ledger_verify()
    assert report.problems == [] and report.entries == WRITERS * EACH
