"""onestop ratings escalate | schedule | rebuild-rollups"""

import json

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Good/bad reviews: escalate overdue rectifications, book the check, rebuild rollups."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("escalate", help="escalate overdue rectifications now")
        sub.add_parser("schedule", help="book the periodic escalation check (the worker runs it)")
        sub.add_parser("rebuild-rollups", help="recount every rollup from the ratings")

    def handle(self, *args, action, **options):
        if action == "escalate":
            from ratings.services import rectifications_escalate

            self.stdout.write(json.dumps(rectifications_escalate()))
        elif action == "rebuild-rollups":
            from ratings.services import rollups_rebuild

            self.stdout.write(json.dumps({"rollups": rollups_rebuild()}))
        else:
            from ratings.tasks import schedule_escalations

            schedule_escalations()
