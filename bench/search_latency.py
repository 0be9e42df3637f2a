"""Search speed at city scale: the catalog grown to 10,000 items (variants of the bundled
items across the city's districts and towns), 1,000 queries from the evaluation sets,
p50/p95 latency in-process, and the process's peak memory.

Prints one JSON object. Uses a throwaway SQLite file, or DATABASE_URL (e.g. PostgreSQL;
the database is migrated and its catalog tables are filled).
Usage: .venv/bin/python bench/search_latency.py [--items 10000] [--queries 1000]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import platform
import random
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, django_setup, load_city_catalog

django_setup("search-latency")


def grow_catalog(target: int) -> int:
    """Add variants until the catalog holds ``target`` items: each bundled item as offered
    by a district or town (“蓬江区 …”), with its materials, as a city-wide catalog has."""
    from django.db import transaction

    from catalog.models import Material, ServiceItem
    from catalog.services import search_rebuild
    from directory.models import Region

    regions = list(Region.objects.exclude(level="city").order_by("path"))
    base = list(ServiceItem.objects.prefetch_related("materials", "life_events").order_by("pk"))
    count = len(base)
    with transaction.atomic():
        for region, item in itertools.product(regions, base):
            if count >= target:
                break
            copy = ServiceItem.objects.create(
                code=f"{item.code}-{region.code}", name_zh=f"{region.name_zh}{item.name_zh}",
                name_en=f"{item.name_en} ({region.name_en})" if region.name_en else item.name_en,
                department_id=item.department_id, kind=item.kind, applicant=item.applicant,
                description_zh=item.description_zh, description_en=item.description_en,
                legal_limit_days=item.legal_limit_days,
                promised_limit_days=item.promised_limit_days, visits=item.visits,
                channels=item.channels, fee_cny=item.fee_cny, instant=item.instant,
                cross_border=item.cross_border, is_demo=True,
            )  # fmt: skip
            Material.objects.bulk_create(
                Material(item=copy, position=m.position, name_zh=m.name_zh, name_en=m.name_en,
                         license_type_id=m.license_type_id, required=m.required)
                for m in item.materials.all()
            )  # fmt: skip
            copy.life_events.set(item.life_events.all())
            count += 1
    started = time.perf_counter()
    search_rebuild()
    return count, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=1_000)
    args = parser.parse_args()
    load_city_catalog()
    from django.db import connection

    from catalog.search.engine import warm
    from catalog.selectors import item_search

    items, index_seconds = grow_catalog(args.items)
    if connection.vendor == "postgresql":
        # Measure the steady state: a fresh bulk load leaves dead rows and autovacuum work
        # competing for the two cores; production tables are vacuumed.
        with connection.cursor() as cursor:
            for table in ("catalog_searchdocument", "catalog_serviceitem", "catalog_searchterm"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    # Serve from a fresh connection, warmed and with the start-up heap frozen out of the
    # garbage collector's way, as a web worker does (onestop/wsgi.py).
    connection.close()
    queries = []
    for path in sorted((ROOT / "tests" / "data").glob("search_queries*.jsonl")):
        with open(path, encoding="utf-8") as source:
            queries += [json.loads(line)["query"] for line in source if line.strip()]
    random.Random(7).shuffle(queries)
    started = time.perf_counter()
    warm()
    warm_seconds = time.perf_counter() - started
    gc.collect()
    gc.freeze()
    samples = []
    for query in itertools.islice(itertools.cycle(queries), args.queries):
        started = time.perf_counter()
        item_search(query=query, limit=10)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "bench": "search_latency", "date": date.today().isoformat(),
        "machine": f"{platform.machine()} {platform.system()} Python {platform.python_version()}",
        "database": connection.vendor, "items": items, "distinct_queries": len(queries),
        "queries": len(samples), "index_rebuild_s": round(index_seconds, 1),
        "warm_up_s": round(warm_seconds, 2),
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
        "p99_ms": round(samples[int(len(samples) * 0.99) - 1], 2),
        "max_ms": round(samples[-1], 2), "peak_rss_mb": round(peak_mb),
    }, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
