"""Recurring background work without a scheduler process: a task books its own next run in
the task queue (django-tasks-db), unless a run is already waiting."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def book_next_run(task, *, seconds: int, **kwargs) -> bool:
    """Enqueue ``task`` to run in ``seconds`` unless one is already waiting; True if booked."""
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists():
        return False
    task.using(run_after=timezone.now() + dt.timedelta(seconds=seconds)).enqueue(**kwargs)
    return True
