"""好差评 at city scale: p95 of the dashboard's aggregate queries at 200,000 and at 2,000,000
ratings in the same run (374 halls and stations, two years), and rating submissions per
second through the services (each one updating its rollups and, for bad ones, opening a
rectification).

Target: p95 ≤ 300 ms at 2M and the 2M figure within 2 × the 200k one.

Prints one JSON object. Usage (drop and create the database first):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench \
    .venv/bin/python bench/ratings.py [--small 200000] [--large 2000000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_setup, percentile_ms

django_setup("ratings")


def reference() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from directory.models import Department, Region
    from directory.services import authority_ensure, departments_load, regions_load

    regions_load()
    departments_load()
    city = Region.objects.get(level="city")
    for department in Department.objects.all():
        authority_ensure(department=department, region=city)


def dashboard_queries() -> dict:
    """What the public and the staff dashboards ask, for the latest month and quarter."""
    from django.utils import timezone

    from ratings import selectors

    today = timezone.localdate()
    month = selectors.period_parse(f"{today:%Y-%m}")
    quarter = selectors.period_parse(f"{today.year}-Q{(today.month - 1) // 3 + 1}")
    return {
        "city_month": lambda: selectors.city_summary(period=month),
        "trend_12_months": lambda: selectors.trend(months=12),
        "departments_month": lambda: selectors.assessment(unit="department", period=month),
        "regions_month": lambda: selectors.assessment(unit="region", period=month),
        "halls_month": lambda: selectors.assessment(unit="hall", period=month),
        "halls_quarter": lambda: selectors.assessment(unit="hall", period=quarter),
        "windows_month": lambda: selectors.assessment(unit="window", period=month),
        "staff_month": lambda: selectors.assessment(unit="staff", period=month),
    }


def measure(repeat: int) -> dict:
    from django.db import connection

    figures, everything = {}, []
    for name, query in dashboard_queries().items():
        query()  # warm
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            query()
            times.append(time.perf_counter() - started)
        figures[name] = {"p50_ms": percentile_ms(times, 0.5), "p95_ms": percentile_ms(times, 0.95)}
        everything += times
    connection.close()
    return {"queries": figures, "all_p95_ms": percentile_ms(everything, 0.95)}


def submissions(threads: int, per_thread: int) -> dict:
    """Rating submissions per second: ``threads`` people rating their closed services at once."""
    from django.db import connection

    from accounts.models import User, UserKind
    from directory.models import Authority, Hall, Window
    from ratings.services import event_close, rate

    authority = Authority.objects.filter(region__level="city").order_by("pk").first()
    hall = Hall.objects.order_by("code").first()
    window = Window.objects.filter(hall=hall).first()
    jobs = []
    for t in range(threads):
        person, _ = User.objects.get_or_create(username=f"bench-rater-{t}",
                                               defaults={"kind": UserKind.PERSON, "is_demo": True,
                                                         "display_name": "评价人"})  # fmt: skip
        events = [event_close(kind="case", ref=f"BENCH{t:02d}{n:06d}", person=person,
                              service_name="测试事项", authority=authority, channel="hall",
                              hall=hall, window=window, invite=False)
                  for n in range(per_thread)]  # fmt: skip
        jobs.append((person, events))
    errors: list[str] = []
    barrier = threading.Barrier(threads)

    def work(person, events):
        barrier.wait()
        try:
            for n, event in enumerate(events):
                level = 1 if n % 25 == 0 else 5 - n % 3
                rate(actor=person, event=event, level=level, dimensions={"attitude": level})
        except Exception as error:
            errors.append(repr(error)[:200])
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=job) for job in jobs]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - started
    total = threads * per_thread
    return {"threads": threads, "ratings": total, "wall_s": round(wall, 2),
            "per_second": round(total / wall, 1), "errors": len(errors),
            "error_samples": errors[:3]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=200_000)
    parser.add_argument("--large", type=int, default=2_000_000)
    parser.add_argument("--halls", type=int, default=374)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--per-thread", type=int, default=250)
    args = parser.parse_args()

    from django.db import connection

    from ratings.models import Rating, Rollup
    from ratings.services import ratings_generate

    reference()
    started = time.perf_counter()
    ratings_generate(count=args.small, halls=args.halls, seed=2026)
    small_load = time.perf_counter() - started
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    small = {"ratings": Rating.objects.count(), "rollups": Rollup.objects.count(),
             "load_s": round(small_load, 1), **measure(args.repeat)}  # fmt: skip
    started = time.perf_counter()
    ratings_generate(count=args.large - args.small, halls=args.halls, seed=2027)
    large_load = time.perf_counter() - started
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    large = {"ratings": Rating.objects.count(), "rollups": Rollup.objects.count(),
             "load_s": round(large_load, 1), **measure(args.repeat)}  # fmt: skip
    submitted = submissions(args.threads, args.per_thread)
    print(json.dumps({
        "bench": "ratings", "date": date.today().isoformat(), "machine": platform.machine(),
        "cpus": os.cpu_count(), "database": connection.vendor, "halls": args.halls,
        "small": small, "large": large,
        "large_over_small_p95": round(large["all_p95_ms"] / small["all_p95_ms"], 2),
        "target": "p95 <= 300 ms at 2M, and within 2x of the 200k figure",
        "submissions": submitted,
    }, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()
