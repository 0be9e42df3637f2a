"""Search quality: top-1/3/10 of OneStop's search and of a naive baseline (SQL LIKE on the
item name) over the evaluation set tests/data/search_queries.jsonl (or --input).

Prints one JSON object. A query counts as found at k when any of its expected codes is
among the first k results.
Usage: .venv/bin/python bench/search_quality.py [--input FILE] [--failures]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, django_setup, load_city_catalog

django_setup("search-quality")


def baseline(query: str) -> list[str]:
    """What a plain catalog offers: items whose name contains the query, by code."""
    from django.db.models import Q

    from catalog.models import ServiceItem

    q = query.strip()
    rows = ServiceItem.objects.filter(Q(name_zh__icontains=q) | Q(name_en__icontains=q))
    return list(rows.order_by("code").values_list("code", flat=True)[:10])


def ours(query: str) -> list[str]:
    from catalog.selectors import item_search

    return [h.item.code for h in item_search(query=query, limit=10).hits]


def score(rows: list[dict], system) -> dict:
    found = defaultdict(int)
    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses = []
    for row in rows:
        codes = system(row["query"])
        expected = set(row["expected"])
        for k in (1, 3, 10):
            hit = bool(expected & set(codes[:k]))
            found[k] += hit
            by_kind[row.get("kind", "all")][f"top{k}"] += hit
        by_kind[row.get("kind", "all")]["n"] += 1
        if not expected & set(codes[:3]):
            misses.append({"id": row["id"], "query": row["query"], "expected": row["expected"],
                           "got": codes[:3]})  # fmt: skip
    n = len(rows)
    return {
        "top1": round(found[1] / n, 3), "top3": round(found[3] / n, 3),
        "top10": round(found[10] / n, 3),
        "by_kind": {k: {m: (round(v[m] / v["n"], 3) if m != "n" else v["n"]) for m in
                        ("n", "top1", "top3", "top10")} for k, v in sorted(by_kind.items())},
        "misses_top3": misses,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", default=str(ROOT / "tests" / "data" / "search_queries.jsonl"))
    parser.add_argument("--failures", action="store_true", help="list the top-3 misses")
    args = parser.parse_args()
    load_city_catalog()
    from django.db import connection

    with open(args.input, encoding="utf-8") as source:
        rows = [json.loads(line) for line in source if line.strip()]
    result = {"onestop": score(rows, ours), "baseline_like_name": score(rows, baseline)}
    if not args.failures:
        for system in result.values():
            system.pop("misses_top3")
    print(json.dumps({
        "bench": "search_quality", "date": date.today().isoformat(),
        "machine": f"{platform.machine()} {platform.system()} Python {platform.python_version()}",
        "database": connection.vendor, "queries": len(rows), **result,
        "top3_ratio_to_baseline": round(result["onestop"]["top3"]
                                        / max(result["baseline_like_name"]["top3"], 1e-9), 2),
    }, ensure_ascii=False, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
