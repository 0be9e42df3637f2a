"""E-license registry speed: verifications per second (signature, issuer, registry record,
both status lists, validity) and fetches per second (consent check, verification, the
holder's data-use log), in-process, one thread, on the database in DATABASE_URL.

Prints one JSON object. Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench \
    .venv/bin/python bench/licenses.py [--holders 200] [--verifications 2000] [--fetches 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_setup, load_city_catalog, percentile_ms

django_setup("licenses")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--holders", type=int, default=200)
    parser.add_argument("--verifications", type=int, default=2000)
    parser.add_argument("--fetches", type=int, default=1000)
    args = parser.parse_args()

    from django.db import connection

    from accounts.models import DataAccess, Person
    from accounts.services import person_register
    from core.ids import IdType, resident_id_check_char
    from directory.models import Authority, Department, Region
    from directory.services import authority_ensure
    from licenses.models import License, LicenseType
    from licenses.services import consent_grant, license_check, license_fetch, license_issue

    load_city_catalog()
    city = Region.objects.get(level="city")
    for department in Department.objects.all():
        authority_ensure(department=department, region=city)
    psb = Authority.objects.get(department__code="PSB", region=city)
    samr = Authority.objects.get(department__code="SAMR", region=city)
    id_card = LicenseType.objects.get(code="resident_id_card")
    licenses = []
    started = time.perf_counter()
    for n in range(args.holders):
        body = f"44070319900101{n:03d}"[:17]
        number = body + resident_id_check_char(body)
        person = Person.objects.filter(id_digest__isnull=False, name=f"持证{n}").first()
        if person is None:
            person = person_register(
                id_type=IdType.RESIDENT_ID,
                id_number=number,
                name=f"持证{n}",
                phone=f"136{n:08d}",
                password=None,
            ).person
        license = License.objects.filter(holder_person=person, type=id_card).first()
        if license is None:
            license = license_issue(actor=None, authority=psb, license_type=id_card,
                                    fields={"idNumber": number}, holder_person=person)  # fmt: skip
        consent_grant(actor=person.user, license_type=id_card, authority=samr, case_ref="BENCH")
        licenses.append(license)
    issue_s = time.perf_counter() - started

    timings = []
    for i in range(args.verifications):
        token = licenses[i % len(licenses)].credential
        t = time.perf_counter()
        assert license_check(token).valid
        timings.append(time.perf_counter() - t)
    verify_total = sum(timings)

    fetch_timings = []
    before = DataAccess.objects.count()
    for i in range(args.fetches):
        person = licenses[i % len(licenses)].holder_person
        t = time.perf_counter()
        license_fetch(actor=None, authority=samr, license_type=id_card, case_ref="BENCH",
                      purpose="bench", holder_person=person)  # fmt: skip
        fetch_timings.append(time.perf_counter() - t)
    logged = DataAccess.objects.count() - before

    print(
        json.dumps(
            {
                "bench": "licenses",
                "date": date.today().isoformat(),
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
                "database": connection.vendor,
                "holders": len(licenses),
                "setup_issue_and_consent_s": round(issue_s, 1),
                "verifications": args.verifications,
                "verifications_per_s": round(args.verifications / verify_total, 1),
                "verify_ms": {
                    "p50": percentile_ms(timings, 0.5, 2),
                    "p99": percentile_ms(timings, 0.99, 2),
                    "mean": round(statistics.fmean(timings) * 1000, 2),
                },
                "fetches": args.fetches,
                "fetches_per_s": round(args.fetches / sum(fetch_timings), 1),
                "fetch_ms": {
                    "p50": percentile_ms(fetch_timings, 0.5, 2),
                    "p99": percentile_ms(fetch_timings, 0.99, 2),
                },
                "fetches_logged": logged,
                "credential_bytes": len(licenses[0].credential),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
