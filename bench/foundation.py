"""Foundation figures: identifier checks, working-day arithmetic, demo rerun, page latency.

Prints one JSON object. Runs against a throwaway SQLite database under a temp folder.
Usage: .venv/bin/python bench/foundation.py
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["ONESTOP_VAR_DIR"] = tempfile.mkdtemp(prefix="onestop-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings.demo")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from core import ids, workdays  # noqa: E402
from portal.demo import demo_city_load  # noqa: E402


def rate(fn, n: int) -> float:
    started = time.perf_counter()
    for i in range(n):
        fn(i)
    return round(n / (time.perf_counter() - started))


def latency(client: Client, url: str, n: int = 200) -> dict:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(n * 0.95) - 1], 2),
    }


def main() -> None:
    body = "44070319800101001"
    valid = body + ids.resident_id_check_char(body)
    start = dt.date(2026, 1, 1)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    t0 = time.perf_counter()
    demo_city_load()
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    demo_city_load()
    rerun = time.perf_counter() - t0
    client = Client()
    result = {
        "bench": "foundation",
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "resident_id_checks_per_s": rate(lambda i: ids.check_resident_id(valid), 50_000),
        "uscc_checks_per_s": rate(lambda i: ids.check_uscc("91350100M000100Y43"), 50_000),
        "add_20_working_days_per_s": rate(
            lambda i: workdays.add_working_days(start + dt.timedelta(days=i % 300), 20), 20_000
        ),
        "demo_city_first_load_s": round(first, 2),
        "demo_city_rerun_s": round(rerun, 2),
        "home_page": latency(client, "/"),
        "api_regions": latency(client, "/api/v1/directory/regions?limit=100"),
        "healthz": latency(client, "/healthz"),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
