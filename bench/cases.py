"""Applications under load, through the production server (gunicorn) on the database in
DATABASE_URL (PostgreSQL is what the figures are for).

Concurrent clients, each a signed-in citizen, submit applications through the API with an
Idempotency-Key; a share of them is sent twice at the same time (a client retrying after a
timeout). The first task (the acceptance work item in the department's inbox) is created in
the same transaction as the case, so submit-to-first-task latency is the time until the
response; the bench checks that every case has exactly that one open task, and counts cases
against distinct keys after the run (a retried key must never make a second case).

Prints one JSON object. Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench \
    .venv/bin/python bench/cases.py [--clients 16] [--per-client 40] [--retry-share 0.1]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import statistics
import sys
import threading
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_setup, percentile_ms

django_setup("cases")

from _load import free_port, prepare, start_server  # noqa: E402

ITEM = "HRSS-0016"  # a plain (non-instant) item: social security card
FORM = {"contact_phone": "13800000101", "address": "江门市蓬江区建设路1号"}


def run_client(base: str, session_key: str, count: int, retry_share: float, rng_seed: int,
               latencies: list, errors: list, keys: set, lock: threading.Lock) -> None:  # fmt: skip
    import random

    import requests

    rng = random.Random(rng_seed)
    token = secrets.token_hex(16)
    cookies = {"sessionid": session_key, "csrftoken": token}
    headers = {"X-CSRFToken": token, "Content-Type": "application/json"}
    body = json.dumps({"item": ITEM, "form": FORM})

    def send(key: str) -> None:
        started = time.perf_counter()
        try:
            response = requests.post(
                f"{base}/api/v1/cases/", data=body, cookies=cookies,
                headers={**headers, "Idempotency-Key": key}, timeout=30,
            )  # fmt: skip
        except requests.RequestException as error:
            with lock:
                errors.append(("exception", repr(error)[:200]))
            return
        elapsed = time.perf_counter() - started
        with lock:
            if response.status_code in (200, 201):
                latencies.append(elapsed)
            else:
                errors.append((response.status_code, response.text[:200]))

    for _ in range(count):
        key = uuid.uuid4().hex
        with lock:
            keys.add((session_key, key))
        if rng.random() < retry_share:
            twin = threading.Thread(target=send, args=(key,))  # the same request, at once
            twin.start()
            send(key)
            twin.join()
        else:
            send(key)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--per-client", type=int, default=40)
    parser.add_argument("--retry-share", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from django.db import connection

    sessions = prepare(args.clients)
    port = free_port()
    server = start_server(port, args.workers)
    latencies: list[float] = []
    errors: list = []
    keys: set = set()
    lock = threading.Lock()
    try:
        threads = [
            threading.Thread(target=run_client, args=(
                f"http://127.0.0.1:{port}", key, args.per_client, args.retry_share, n,
                latencies, errors, keys, lock))
            for n, key in enumerate(sessions)
        ]  # fmt: skip
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=20)

    from cases.models import Case, WorkItem

    cases = Case.objects.count()
    distinct_keys = Case.objects.values("applicant", "idempotency_key").distinct().count()
    tasks = WorkItem.objects.filter(step="accept", status="open").count()
    without_task = Case.objects.exclude(work_items__step="accept").count()
    ordered = sorted(latencies)

    print(
        json.dumps(
            {
                "bench": "cases",
                "date": date.today().isoformat(),
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
                "database": connection.vendor,
                "server": "gunicorn",
                "workers": args.workers,
                "threads_per_worker": 4,
                "clients": args.clients,
                "requests": len(latencies) + len(errors),
                "errors": len(errors),
                "error_samples": errors[:3],
                "keys_sent": len(keys),
                "cases_made": cases,
                "duplicate_cases": cases - distinct_keys,
                "cases_missing_their_key": len(keys) - cases,
                "open_acceptance_tasks": tasks,
                "cases_without_first_task": without_task,
                "wall_s": round(wall, 2),
                "submissions_per_s": round(cases / wall, 1),
                "requests_per_s": round((len(latencies) + len(errors)) / wall, 1),
                "latency_ms": {
                    "p50": percentile_ms(ordered, 0.50),
                    "p95": percentile_ms(ordered, 0.95),
                    "p99": percentile_ms(ordered, 0.99),
                    "mean": round(statistics.fmean(ordered) * 1000, 1),
                },
                "note": "the first task is written in the submission's transaction: "
                "submit-to-first-task latency is the response time",
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
