import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from portal.demo import SEED, STEPS, demo_city_load


class Command(BaseCommand):
    help = "Load the demo city (deterministic from a seed; a rerun changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=SEED)

    def handle(self, *args, seed, **options):
        started = time.perf_counter()
        bar = tqdm(
            total=len(STEPS), desc="demo city", unit="step", disable=options["verbosity"] < 1
        )

        def progress(steps):
            for label, step in steps:
                bar.set_postfix_str(label)
                yield label, step
                bar.update(1)

        logins = demo_city_load(seed=seed, progress=progress)
        bar.close()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Demo city ready in {elapsed:.1f} s (seed {seed}).")
        self.stdout.write("\nDEMO-ONLY sign-ins (these passwords exist only in demo data):")
        for login in logins:
            self.stdout.write(
                f"  {login.persona:<17} {login.login:<12} {login.password:<22} {login.note}"
            )
