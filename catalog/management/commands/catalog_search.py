"""Batch search for measuring quality: JSON lines in ({"id", "query"}), JSON lines out
({"id", "codes": top 10 item codes, best first})."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from catalog.selectors import item_search
from catalog.services import catalog_load
from core.errors import InvalidInput


class Command(BaseCommand):
    help = "Run each query of --input through the catalog search; write top-10 codes."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="JSON lines: id, query ('-': stdin)")
        parser.add_argument("--output", required=True, help="JSON lines: id, codes ('-': stdout)")
        parser.add_argument("--limit", type=int, default=10)

    def handle(self, *args, input, output, limit, **options):
        from catalog.models import ServiceItem

        if not ServiceItem.objects.exists():
            self.stderr.write("The catalog is empty: loading the bundled catalog first.")
            from licenses.services import license_types_load

            license_types_load()
            catalog_load()
        source = sys.stdin if input == "-" else open(input, encoding="utf-8")  # noqa: SIM115
        target = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
        count = 0
        try:
            for number, line in enumerate(source, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    query_id, query = row["id"], str(row["query"])
                except (ValueError, KeyError, TypeError) as exc:
                    raise CommandError(f"line {number}: expected {{'id', 'query'}}: {exc}") from exc
                try:
                    hits = item_search(query=query[:200], limit=limit).hits
                except InvalidInput:
                    hits = []
                codes = [h.item.code for h in hits]
                target.write(
                    json.dumps({"id": query_id, "codes": codes}, ensure_ascii=False) + "\n"
                )
                count += 1
        finally:
            if source is not sys.stdin:
                source.close()
            if target is not sys.stdout:
                target.close()
        self.stderr.write(f"{count} queries searched.")
