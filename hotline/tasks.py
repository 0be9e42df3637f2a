"""Background work of the hotline: 催办 and 督办 on a schedule."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from core.schedule import book_next_run


@task()
def supervise_task(*, reschedule: bool = False) -> dict:
    from .services import orders_supervise

    done = orders_supervise()
    if reschedule:
        schedule_supervision()
    return done


def schedule_supervision() -> None:
    book_next_run(
        supervise_task, seconds=getattr(settings, "HOTLINE_SUPERVISE_SECONDS", 600), reschedule=True
    )
