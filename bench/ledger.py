"""Ledger speed: appends, proofs at a million entries, full verification.

Prints one JSON object. Uses a throwaway SQLite file (or DATABASE_URL, e.g. PostgreSQL).
Usage: .venv/bin/python bench/ledger.py [--entries 1000000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["ONESTOP_VAR_DIR"] = tempfile.mkdtemp(prefix="onestop-bench-ledger-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings.demo")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from ledger import merkle, selectors  # noqa: E402
from ledger.services import checkpoint_publish, ledger_append, ledger_append_many  # noqa: E402
from ledger.verify import ledger_verify  # noqa: E402


def timed(fn, repeat: int) -> dict:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "mean_ms": round(statistics.fmean(samples), 3),
        "p50_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[int(repeat * 0.95) - 1], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    n = args.entries
    # Raw SHA-256 leaf hashes of the same kind of leaf input, for comparison.
    sample = (
        b'{"action":"case.approved","actor":"u:0123456789abcdef","at_us":1795458419000000,'
        b'"index":123456,"payload_sha256":"' + b"a" * 64 + b'","subject":"cases.case:1","v":1}'
    )
    started = time.perf_counter()
    for _ in range(200_000):
        hashlib.sha256(b"\x00" + sample).digest()
    raw_rate = 200_000 / (time.perf_counter() - started)

    single = 5_000
    started = time.perf_counter()
    with transaction.atomic():
        for i in range(single):
            ledger_append(actor=None, action="bench.single", subject=f"s:{i}", payload={"i": i})
    single_rate = single / (time.perf_counter() - started)

    # As services do it: each append in its own (committed) business transaction.
    own = 2_000
    started = time.perf_counter()
    for i in range(own):
        with transaction.atomic():
            ledger_append(actor=None, action="bench.own", subject=f"o:{i}", payload={"i": i})
    own_rate = own / (time.perf_counter() - started)

    chunk, done = 50_000, single + own
    started = time.perf_counter()
    while done < n:
        size = min(chunk, n - done)
        ledger_append_many(
            actor=None,
            events=[("bench.batch", f"b:{done + i}", {"i": done + i}) for i in range(size)],
        )
        done += size
    batch_rate = (n - single - own) / (time.perf_counter() - started)
    checkpoint_publish()

    rng = random.Random(7)
    inclusion = timed(lambda: selectors.inclusion_proof(index=rng.randrange(n), size=n), 300)
    consistency = timed(
        lambda: selectors.consistency_proof(first=rng.randrange(1, n), second=n), 300
    )
    root = timed(lambda: selectors.db_root(n), 100)
    _size, proof, root_hash = selectors.inclusion_proof(index=n // 3, size=n)
    leaf = bytes.fromhex(selectors.entry_get(index=n // 3).leaf_hash)
    merkle.verify_inclusion(n // 3, n, leaf, proof, root_hash)

    started = time.perf_counter()
    report = ledger_verify()
    verify_s = time.perf_counter() - started
    assert report.ok, report.problems[:3]
    print(
        json.dumps(
            {
                "bench": "ledger",
                "date": time.strftime("%Y-%m-%d"),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                "python": platform.python_version(),
                "database": connection.vendor,
                "entries": n,
                "raw_sha256_leaf_hashes_per_s": round(raw_rate),
                "appends_per_s_single_calls_in_one_transaction": round(single_rate),
                "appends_per_s_each_in_its_own_transaction": round(own_rate),
                "appends_per_s_batched": round(batch_rate),
                "inclusion_proof_at_n": inclusion,
                "consistency_proof_at_n": consistency,
                "root_at_n": root,
                "inclusion_proof_hashes": len(proof),
                "full_verification_s": round(verify_s, 1),
                "verification_entries_per_s": round(n / verify_s),
            }
        )
    )


if __name__ == "__main__":
    main()
