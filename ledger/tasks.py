"""Checkpoints on a schedule: the task publishes, gathers cosignatures, and books its next run."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task


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
    from django_tasks_db.models import DBTaskResult

    name = publish_checkpoint_task.module_path
    waiting = DBTaskResult.objects.filter(task_path=name, status="READY").exists()
    if not waiting:
        run_after = timezone.now() + dt.timedelta(seconds=settings.LEDGER_CHECKPOINT_SECONDS)
        publish_checkpoint_task.using(run_after=run_after).enqueue(reschedule=True)
