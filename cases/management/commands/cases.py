"""onestop cases check-deadlines | schedule | load-fees [--path FILE]"""

import json

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Cases: raise time-limit warnings now, or book the periodic check for the worker."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("check-deadlines", help="raise yellow and red warnings now")
        sub.add_parser("schedule", help="book the periodic deadline check (the worker runs it)")
        fees = sub.add_parser("load-fees", help="load or update the fee schedule (JSON)")
        fees.add_argument("--path", default=None, help="a fees.json; default: the bundled one")

    def handle(self, *args, action, **options):
        if action == "load-fees":
            from pathlib import Path

            from cases.services import fees_load

            path = Path(options["path"]) if options.get("path") else None
            self.stdout.write(json.dumps({"fees": fees_load(path=path)}))
            return
        if action == "check-deadlines":
            from cases.services import cases_check_deadlines

            self.stdout.write(json.dumps(cases_check_deadlines()))
            return
        from cases.tasks import schedule_deadline_checks

        schedule_deadline_checks()
