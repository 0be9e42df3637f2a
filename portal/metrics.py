"""Prometheus exposition, written by hand: a few gauges read from the database."""

from __future__ import annotations

import time

from django.db import connection
from django.db.models import Count
from django_tasks_db.models import DBTaskResult

from .selectors import home_figures

_STARTED = time.time()


def _line(
    name: str, value: float, help_text: str, kind: str = "gauge", labels: dict | None = None
) -> list[str]:
    label = ""
    if labels:
        label = "{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}"
    return [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", f"{name}{label} {value}"]


def render() -> str:
    lines: list[str] = []
    lines += _line("onestop_up", 1, "The application answers.")
    lines += _line("onestop_process_start_time_seconds", _STARTED, "Process start time.")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    lines += _line(
        "onestop_database_ping_seconds",
        round(time.perf_counter() - started, 6),
        "Time of one database round trip.",
    )
    figures = home_figures()
    lines.append("# HELP onestop_objects Rows of the main registries.")
    lines.append("# TYPE onestop_objects gauge")
    for key, value in figures.items():
        if isinstance(value, bool):
            continue
        lines.append(f'onestop_objects{{kind="{key}"}} {value}')
    lines.append("# HELP onestop_tasks Background tasks by status.")
    lines.append("# TYPE onestop_tasks gauge")
    counts = dict.fromkeys(("READY", "RUNNING", "SUCCESSFUL", "FAILED"), 0)
    for row in DBTaskResult.objects.values("status").annotate(n=Count("id")).order_by():
        counts[row["status"]] = row["n"]
    for status, value in sorted(counts.items()):
        lines.append(f'onestop_tasks{{status="{status.lower()}"}} {value}')
    return "\n".join(lines) + "\n"
