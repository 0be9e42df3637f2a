"""Background work of the cases app: time-limit warnings, on a schedule."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from core.schedule import book_next_run


@task()
def check_deadlines_task(*, reschedule: bool = False) -> dict:
    """Raise yellow and red warnings on open cases. Idempotent."""
    from .services import cases_check_deadlines

    raised = cases_check_deadlines()
    if reschedule:
        schedule_deadline_checks()
    return raised


def schedule_deadline_checks() -> None:
    book_next_run(
        check_deadlines_task, seconds=settings.CASES_DEADLINE_CHECK_SECONDS, reschedule=True
    )


@task()
def sandbox_notify_task(*, txn: str) -> str:
    """The sandbox provider's asynchronous notification of a successful payment."""
    from .services.charges import sandbox_notify

    return sandbox_notify(txn=txn).receipt_no
