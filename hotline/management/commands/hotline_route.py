"""python manage.py hotline_route --input FILE --output FILE

Each input line {"id": …, "text": …}; each output line {"id": …, "departments": [top 3
department codes, best first]}. A line may carry "region" (a district code): the dispatch
catalogue's rules for that district then apply. "-" reads stdin / writes stdout. A bad line
is named on stderr and answered with an empty list, so the output has one line per input
line. Uses the stored model in force; where the database is not set up (a bare checkout: no
`onestop migrate` yet), a model trained now on the bundled tickets and catalogue — the same
one `onestop hotline train` would store first — and says so on stderr."""

import json
import sys

from django.core.management.base import BaseCommand
from django.db import DatabaseError


class Command(BaseCommand):
    help = "Route 12345 tickets in batch: JSON lines in, top-3 departments out."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True)
        parser.add_argument("--output", required=True)

    def handle(self, *args, input, output, **options):
        from hotline.selectors import route_many

        source = sys.stdin if input == "-" else open(input, encoding="utf-8")  # noqa: SIM115
        rows = []
        with source:
            for number, line in enumerate(source, 1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    text = str(item.get("text") or "")[:2000]
                    district = str(item["region"])[:6] if item.get("region") else None
                    rows.append((item.get("id"), text, district))
                except (ValueError, AttributeError):
                    self.stderr.write(f"line {number}: not a JSON object with id and text")
                    rows.append((None, "", None))
        kept = [(text, district) for _, text, district in rows if text.strip()]
        texts, districts = [t for t, _ in kept], [d for _, d in kept]
        try:
            answers = route_many(texts, districts) if kept else []
        except DatabaseError:
            from hotline.routing import Router, catalogue, training_rows

            self.stderr.write(
                "no database set up here (run `onestop migrate` to use the stored model): "
                "routing with a model trained now on the bundled tickets and catalogue"
            )
            bundled = training_rows()
            router = Router(catalogue()).fit(
                [r["text"] for r in bundled], [r["department"] for r in bundled]
            )
            answers = router.top(texts, districts=districts) if kept else []
        it = iter(answers)
        target = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
        with target:
            for ident, text, _district in rows:
                departments = next(it) if text.strip() else []
                target.write(json.dumps({"id": ident, "departments": departments},
                                        ensure_ascii=False) + "\n")  # fmt: skip
