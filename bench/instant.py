"""秒批 speed: submit-to-decision time of instant applications against a plain submission's
time, measured in the same run through the production server (gunicorn) on DATABASE_URL.

Each client is a signed-in citizen holding a resident ID card e-license. It alternates an
instant application (SAMR-0001 with consent to fetch the e-license: the decision is made in
the request) and a plain one (HRSS-0016, a non-instant item: the response is the receipt).
Target: instant p99 ≤ 3 × plain p99. After the run every instant case must be approved with
its explanation, every plain one waiting for acceptance.

Prints one JSON object. Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench \
    .venv/bin/python bench/instant.py [--clients 4] [--per-client 100]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import sys
import threading
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_setup, percentile_ms

django_setup("instant")

from _load import free_port, prepare, start_server  # noqa: E402

FORM = {"contact_phone": "13800000101", "address": "江门市蓬江区建设路1号"}


def licenses_for(users) -> int:
    """A resident ID card e-license for each client (issued by the city's PSB); the id of
    SAMR-0001's ID-card material, which the clients consent to fetch."""
    from catalog.models import ServiceItem
    from directory.models import Authority
    from licenses.models import License, LicenseType
    from licenses.services import license_issue

    id_card = LicenseType.objects.get(code="resident_id_card")
    psb = Authority.objects.get(department__code="PSB", region__level="city")
    for user in users:
        if not License.objects.filter(holder_person=user.person, type=id_card).exists():
            license_issue(actor=None, authority=psb, license_type=id_card, fields={},
                          holder_person=user.person)  # fmt: skip
    return ServiceItem.objects.get(code="SAMR-0001").materials.get(license_type=id_card).pk


def client(base, session_key, count, material, timings, errors, lock) -> None:
    import requests

    token = secrets.token_hex(16)
    cookies = {"sessionid": session_key, "csrftoken": token}
    headers = {"X-CSRFToken": token, "Content-Type": "application/json"}
    bodies = {
        "instant": json.dumps({"item": "SAMR-0001", "form": FORM, "consents": [material]}),
        "plain": json.dumps({"item": "HRSS-0016", "form": FORM}),
    }
    for n in range(count * 2):
        kind = "instant" if n % 2 == 0 else "plain"
        started = time.perf_counter()
        try:
            response = requests.post(
                f"{base}/api/v1/cases/", data=bodies[kind], cookies=cookies, timeout=30,
                headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
            )  # fmt: skip
        except requests.RequestException as error:
            with lock:
                errors.append(repr(error)[:200])
            continue
        elapsed = time.perf_counter() - started
        with lock:
            if response.status_code != 201:
                errors.append(f"{response.status_code} {response.text[:200]}")
            elif kind == "instant" and response.json()["status"] != "approved":
                errors.append(f"instant not approved: {response.json()['status']}")
            else:
                timings[kind].append(elapsed)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--per-client", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from django.db import connection

    pairs = prepare(args.clients, with_users=True)
    material = licenses_for([user for user, _key in pairs])
    port = free_port()
    server = start_server(port, args.workers)
    timings: dict[str, list[float]] = {"instant": [], "plain": []}
    errors: list[str] = []
    lock = threading.Lock()
    try:
        threads = [threading.Thread(target=client, args=(
            f"http://127.0.0.1:{port}", key, args.per_client, material, timings, errors, lock))
            for _user, key in pairs]  # fmt: skip
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=20)

    from cases.models import Case, InstantDecision

    figures = {
        kind: {"n": len(v), "p50_ms": percentile_ms(v, 0.5), "p99_ms": percentile_ms(v, 0.99)}
        for kind, v in timings.items()
    }
    instant = Case.objects.filter(item__code="SAMR-0001")
    print(
        json.dumps(
            {
                "bench": "instant",
                "date": date.today().isoformat(),
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
                "database": connection.vendor,
                "server": "gunicorn",
                "workers": args.workers,
                "clients": args.clients,
                "wall_s": round(wall, 2),
                "errors": len(errors),
                "error_samples": errors[:3],
                **figures,
                "instant_p99_over_plain_p99": round(
                    figures["instant"]["p99_ms"] / figures["plain"]["p99_ms"], 2
                ),
                "target": "instant p99 <= 3 x plain p99",
                "instant_cases_approved": instant.filter(status="approved").count(),
                "instant_cases": instant.count(),
                "instant_decisions_kept": InstantDecision.objects.filter(
                    outcome="approved"
                ).count(),
                "plain_cases_waiting_for_acceptance": Case.objects.filter(
                    item__code="HRSS-0016", status="submitted"
                ).count(),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
