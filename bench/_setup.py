"""Shared set-up for the bench scripts: Django on a throwaway SQLite file unless
DATABASE_URL is set (then that database is migrated and used)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup(name: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["ONESTOP_VAR_DIR"] = tempfile.mkdtemp(prefix=f"onestop-bench-{name}-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings.demo")
    # Fixed bench-only keys, so a rerun (or a second script) can read what a first one wrote.
    os.environ.setdefault(
        "PII_ENCRYPTION_KEY", "bench1:YmVuY2gtb25seS1rZXktbm90LWZvci1yZWFsLWRhdGE="
    )
    os.environ.setdefault("PII_HASH_KEY", "bench-only-hash-key")
    import django

    django.setup()


def percentile_ms(seconds: list[float], share: float, digits: int = 1) -> float:
    """The ``share`` percentile (nearest rank) of durations in seconds, in milliseconds."""
    ordered = sorted(seconds)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, digits)


def load_city_catalog() -> None:
    """Migrate; load regions, departments, e-license types and the bundled catalog."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from catalog.services import catalog_load
    from directory.services import departments_load, regions_load
    from licenses.services import license_types_load

    regions_load()
    departments_load()
    license_types_load()
    catalog_load()
