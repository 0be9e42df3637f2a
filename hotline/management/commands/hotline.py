"""onestop hotline train | load-catalogue --path FILE | load-knowledge --path FILE |
rotate-contacts | supervise | schedule | open311-key NAME"""

import json

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "12345 hotline: train and store a new version of the routing model."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("train", help="fit the routing model and store it as the next version")
        load = sub.add_parser(
            "load-catalogue", help="store a new dispatch catalogue version and retrain"
        )
        load.add_argument("--path", required=True)
        knowledge = sub.add_parser(
            "load-knowledge",
            help="add the centre's knowledge base answers from a JSON file (a list, or "
            '{"answers": [...]}); all checked first, questions already there skipped',
        )
        knowledge.add_argument("--path", required=True)
        sub.add_parser(
            "rotate-contacts", help="re-encrypt callers' contact details under the primary key"
        )
        sub.add_parser("supervise", help="urge and supervise late work orders now")
        sub.add_parser(
            "schedule", help="book the periodic supervision and retraining (the worker runs them)"
        )
        key = sub.add_parser("open311-key", help="register an Open311 client; prints its api_key")
        key.add_argument("name")

    def handle(self, *args, action, **options):
        if action == "supervise":
            from hotline.services import orders_supervise

            self.stdout.write(json.dumps(orders_supervise()))
            return
        if action == "load-catalogue":
            from pathlib import Path

            from django.core.management.base import CommandError

            from core.errors import Conflict, InvalidInput
            from hotline.services import catalogue_load

            try:
                content = json.loads(Path(options["path"]).read_text(encoding="utf-8"))
                row = catalogue_load(content=content)
            except (OSError, ValueError) as exc:
                raise CommandError(f"{options['path']}: {exc}") from exc
            except (InvalidInput, Conflict) as exc:
                raise CommandError(f"{getattr(exc, 'field', '')}: {exc}") from exc
            self.stdout.write(json.dumps({"catalogue": row.version}))
            return
        if action == "load-knowledge":
            from pathlib import Path

            from django.core.management.base import CommandError

            from core.errors import InvalidInput
            from hotline.services import articles_load_file

            try:
                added = articles_load_file(Path(options["path"]))
            except (OSError, ValueError) as exc:
                raise CommandError(f"{options['path']}: {exc}") from exc
            except InvalidInput as exc:
                raise CommandError(f"{exc.field}: {exc.detail}") from exc
            self.stdout.write(json.dumps({"added": added}))
            return
        if action == "rotate-contacts":
            from hotline.services import contacts_rotate

            self.stdout.write(json.dumps({"re_encrypted": contacts_rotate()}))
            return
        if action == "schedule":
            from hotline.tasks import schedule_retraining, schedule_supervision

            schedule_supervision()
            schedule_retraining(seconds=60)  # soon after start: a new catalogue takes effect
            return
        if action == "open311-key":
            from hotline.services import open311_client_create

            client, key = open311_client_create(name=options["name"])
            self.stdout.write(json.dumps({"client": client.name, "api_key": key}))
            return
        from hotline.services import routing_model_train

        row = routing_model_train()
        self.stdout.write(json.dumps({"version": row.version, "samples": row.samples,
                                      **row.metrics}))  # fmt: skip
