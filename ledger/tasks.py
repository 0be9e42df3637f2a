"""Checkpoints on a schedule: the task publishes, gathers cosignatures, and books its next run."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from core.schedule import book_next_run


@task()
def publish_checkpoint_task(*, reschedule: bool = False) -> int:
    """Publish a checkpoint and collect witness cosignatures. Idempotent."""
    from .services import checkpoint_publish
    from .witnesses import collect_cosignatures

    checkpoint = checkpoint_publish()
    collect_cosignatures(checkpoint)
    if reschedule:
        schedule_checkpoints()
    return checkpoint.size


def schedule_checkpoints() -> None:
    """Book the next publication unless one is already waiting."""
    book_next_run(
        publish_checkpoint_task, seconds=settings.LEDGER_CHECKPOINT_SECONDS, reschedule=True
    )
