from django.core.management.base import BaseCommand

from accounts.services import pii_rotate


class Command(BaseCommand):
    help = "Re-encrypt personal data under the first PII_ENCRYPTION_KEYS key; refresh digests."

    def handle(self, *args, **options):
        count = pii_rotate()
        self.stdout.write(f"re-encrypted {count} person record(s)")
