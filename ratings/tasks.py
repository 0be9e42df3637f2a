"""Background work of the ratings app: escalation of overdue rectifications, on a schedule."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from core.schedule import book_next_run


@task()
def escalate_task(*, reschedule: bool = False) -> dict:
    """督办 overdue rectifications. Idempotent."""
    from .services import rectifications_escalate

    done = rectifications_escalate()
    if reschedule:
        schedule_escalations()
    return done


def schedule_escalations() -> None:
    book_next_run(escalate_task, seconds=settings.RATINGS_ESCALATION_CHECK_SECONDS, reschedule=True)
