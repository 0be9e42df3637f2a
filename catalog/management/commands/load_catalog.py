"""Load a service catalog (the city's own, or the bundled illustrative one) and rebuild the
search index. Idempotent; lexicon entries edited in the admin are kept."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from catalog.services import catalog_load, search_rebuild
from licenses.services import license_types_load


class Command(BaseCommand):
    help = "Load e-license types and a catalog JSON file (default: the bundled demo catalog)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, help="catalog JSON in the bundled format")
        parser.add_argument("--reindex-only", action="store_true", help="only rebuild the index")

    def handle(self, *args, file=None, reindex_only=False, **options):
        if reindex_only:
            self.stdout.write(f"Search index rebuilt: {search_rebuild()} items.")
            return
        license_types_load()
        count = catalog_load(path=file, is_demo=file is None)
        self.stdout.write(f"Catalog loaded: {count} items; search index rebuilt.")
