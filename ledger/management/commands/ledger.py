"""onestop ledger verify | checkpoint | schedule"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Transparency ledger: verify everything, publish a checkpoint, or schedule them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="recompute the tree and check every record")
        verify.add_argument(
            "--no-payloads",
            action="store_true",
            help="skip re-checking payloads against the owning apps' rows",
        )
        sub.add_parser("checkpoint", help="publish a checkpoint now and collect cosignatures")
        sub.add_parser("schedule", help="book the periodic checkpoint task (worker runs it)")
        poll = sub.add_parser(
            "witness-poll",
            help="as a witness: fetch another log's checkpoint and proof, check them, cosign",
        )
        poll.add_argument("base_url", help="the other deployment, e.g. https://zhuhai.example")

    def handle(self, *args, action, **options):
        if action == "verify":
            return self._verify(not options["no_payloads"])
        if action == "witness-poll":
            from core.errors import DomainError
            from ledger.witnesses import witness_poll

            try:
                self.stdout.write(witness_poll(options["base_url"]), ending="")
            except DomainError as exc:
                raise CommandError(f"not cosigned: {exc.detail}") from exc
            return None
        if action == "checkpoint":
            from ledger.services import checkpoint_publish
            from ledger.witnesses import collect_cosignatures

            checkpoint = checkpoint_publish()
            count = collect_cosignatures(checkpoint)
            self.stdout.write(f"checkpoint at size {checkpoint.size}, {count} cosignature(s)")
            return None
        from ledger.tasks import schedule_checkpoints

        schedule_checkpoints()
        self.stdout.write("checkpoint task scheduled")
        return None

    def _verify(self, payloads: bool):
        from ledger.verify import ledger_verify

        started = time.perf_counter()
        tick = (
            (lambda n: self.stderr.write(f"\r{n} entries checked", ending=""))
            if sys.stderr.isatty()
            else None
        )
        report = ledger_verify(check_payloads=payloads, progress=tick)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{report.entries} entries, {report.checkpoints} checkpoints, "
            f"{report.payloads_checked} payloads checked in {elapsed:.1f} s"
        )
        for problem in report.problems:
            self.stdout.write(f"PROBLEM: {problem}")
        if not report.ok:
            raise CommandError(f"{len(report.problems)} problem(s) found")
        self.stdout.write("OK: the log is consistent")
