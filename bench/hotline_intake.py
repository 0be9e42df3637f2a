"""12345 intake under load, through the production server (gunicorn) on DATABASE_URL.

1. Throughput: concurrent Open311 clients POST service requests (form-encoded, as the spec
   shows, each with its own Idempotency-Key); the same clients then call a trivial endpoint
   (/healthz: one SELECT 1) on the same server in the same run. Reported: requests per
   second of each and their ratio.
2. A worker killed mid-run: the same Open311 load again, and once a third of it has been
   sent one gunicorn worker is killed (SIGKILL; the master starts another). A client whose
   request fails (connection reset, 5xx) retries it with the same Idempotency-Key. After the
   run every request id is counted in the database (the id is also written into the
   description, so the count does not rely on the uniqueness it checks): lost = ids with no
   order, duplicated = ids with more than one.

Prints one JSON object. Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench \\
    .venv/bin/python bench/hotline_intake.py [--clients 8] [--per-client 150] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sys
import threading
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_setup, load_city_catalog, percentile_ms

django_setup("hotline_intake")

from _load import free_port, start_server  # noqa: E402

TEXTS = [
    "小区门口每天晚上有人摆摊卖烧烤，油烟很大，熏得楼上没法开窗。",
    "路灯坏了一个多星期，晚上路口漆黑一片，老人家出入好危险。",
    "工地半夜还在打桩，吵得整栋楼都睡不着，已经连续一个星期。",
    "公交站台的遮阳棚被台风吹坏了，等车的人都要晒太阳淋雨。",
]


def prepare() -> str:
    """Reference data, one authority per department, a stored routing model, and an Open311
    client application; returns its api_key."""
    from directory.models import Department, Region
    from directory.services import authority_ensure
    from hotline.models import RoutingModel, WorkOrder
    from hotline.services import open311_client_create, routing_model_train

    load_city_catalog()
    city = Region.objects.get(level="city")
    for department in Department.objects.all():
        authority_ensure(department=department, region=city)
    WorkOrder.objects.filter(channel="open311").delete()
    if not RoutingModel.objects.exists():
        routing_model_train()
    _client, key = open311_client_create(name=f"bench-{uuid.uuid4().hex[:8]}")
    return key


def workers_of(master: int) -> list[int]:
    """The gunicorn worker processes (children of the master)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                children.append(int(entry.name))
    return sorted(children)


def run(base: str, clients: int, per_client: int, *, key: str | None, kill_after: int = 0,
        master: int = 0) -> dict:  # fmt: skip
    """``clients`` threads each send ``per_client`` requests (Open311 POSTs when ``key``,
    else GET /healthz); failed requests are retried with the same request id."""
    import requests

    sent = {"n": 0}
    outcome: dict = {"ids": [], "timings": [], "retries": 0, "failed": [], "killed": None}
    lock = threading.Lock()

    def maybe_kill() -> None:
        if kill_after and outcome["killed"] is None and sent["n"] >= kill_after:
            victims = workers_of(master)
            if victims:
                os.kill(victims[0], signal.SIGKILL)
                outcome["killed"] = {"pid": victims[0], "after_requests": sent["n"]}

    def client(n: int) -> None:
        session = requests.Session()
        for i in range(per_client):
            request_id = uuid.uuid4().hex
            body = {
                "api_key": key or "",
                "service_code": "UM.vendors",
                "description": f"{TEXTS[(n + i) % len(TEXTS)]}（编号 {request_id}）",
                "lat": "22.5790",
                "long": "113.0815",
                "address_string": "江门市蓬江区建设路1号",
            }
            started = time.perf_counter()
            for attempt in range(8):
                try:
                    if key:
                        response = session.post(
                            f"{base}/open311/v2/requests.json",
                            data=body,
                            headers={"Idempotency-Key": request_id},
                            timeout=30,
                        )
                    else:
                        response = session.get(f"{base}/healthz", timeout=30)
                    if response.status_code < 500:
                        break
                except requests.RequestException:
                    session = requests.Session()
                with lock:
                    outcome["retries"] += 1
                time.sleep(0.2 * (attempt + 1))
            else:
                response = None
            with lock:
                sent["n"] += 1
                maybe_kill()
                if response is not None and response.status_code == 200:
                    outcome["ids"].append(request_id)
                    outcome["timings"].append(time.perf_counter() - started)
                else:
                    code = None if response is None else response.status_code
                    outcome["failed"].append((request_id, code))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcome["wall_s"] = time.perf_counter() - started
    return outcome


def figures(outcome: dict) -> dict:
    n = len(outcome["ids"])
    return {
        "requests": n,
        "per_second": round(n / outcome["wall_s"], 1),
        "p50_ms": percentile_ms(outcome["timings"], 0.5),
        "p99_ms": percentile_ms(outcome["timings"], 0.99),
        "retries": outcome["retries"],
        "failed": len(outcome["failed"]),
    }


def counted(ids: list[str]) -> dict:
    """Orders per request id, counted by the id written into the description."""
    from hotline.models import WorkOrder

    per_id: dict[str, int] = dict.fromkeys(ids, 0)
    for text in WorkOrder.objects.filter(channel="open311").values_list("text", flat=True):
        request_id = text.rsplit("编号 ", 1)[-1].rstrip("）")
        if request_id in per_id:
            per_id[request_id] += 1
    return {
        "request_ids": len(ids),
        "lost": sum(1 for c in per_id.values() if c == 0),
        "duplicated": sum(1 for c in per_id.values() if c > 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--per-client", type=int, default=150)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from django.db import connection

    key = prepare()
    port = free_port()
    server = start_server(port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        run(base, args.clients, 5, key=key)  # warm every worker (model loaded once each)
        open311 = run(base, args.clients, args.per_client, key=key)
        trivial = run(base, args.clients, args.per_client, key=None)
        total = args.clients * args.per_client
        killed = run(base, args.clients, args.per_client, key=key, kill_after=total // 3,
                     master=server.pid)  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    throughput, baseline = figures(open311), figures(trivial)
    # Every request id a client sent in the kill run, acknowledged or not.
    sent_ids = killed["ids"] + [request_id for request_id, _code in killed["failed"]]
    print(
        json.dumps(
            {
                "bench": "hotline_intake",
                "date": date.today().isoformat(),
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
                "database": connection.vendor,
                "server": "gunicorn",
                "workers": args.workers,
                "clients": args.clients,
                "open311_post": throughput,
                "trivial_get_healthz": baseline,
                "open311_over_trivial": round(throughput["per_second"] / baseline["per_second"], 3),
                "worker_killed_run": {
                    **figures(killed),
                    "killed": killed["killed"],
                    **counted(sent_ids),
                },
                "correctness_check_first_run": counted(open311["ids"]),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
