"""Background work of the hotline: 催办 and 督办 on a schedule, and retraining the routing
model when the city has closed new orders."""

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


@task()
def retrain_task(*, reschedule: bool = False) -> dict:
    from .services import routing_model_retrain_if_new

    row = routing_model_retrain_if_new()
    if reschedule:
        schedule_retraining()
    return {"trained": row.version if row is not None else None}


def schedule_retraining(seconds: int | None = None) -> None:
    """Book the next retraining check (daily by default; ``seconds`` for the first one)."""
    book_next_run(
        retrain_task,
        seconds=seconds
        if seconds is not None
        else getattr(settings, "HOTLINE_RETRAIN_SECONDS", 24 * 3600),
        reschedule=True,
    )
