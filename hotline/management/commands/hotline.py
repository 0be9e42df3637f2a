"""onestop hotline train"""

import json

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "12345 hotline: train and store a new version of the routing model."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("train", help="fit the routing model and store it as the next version")

    def handle(self, *args, action, **options):
        from hotline.services import routing_model_train

        row = routing_model_train()
        self.stdout.write(json.dumps({"version": row.version, "samples": row.samples,
                                      **row.metrics}))  # fmt: skip
