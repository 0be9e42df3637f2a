"""onestop licenses import-key | rotate-key | keys"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "E-license issuer keys: import one from a PEM file (production), rotate, list."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import-key", help="sign for an authority with this P-256 key")
        imp.add_argument("authority", type=int, help="the authority's id")
        imp.add_argument("pem", type=Path, help="PKCS#8 PEM file of the private key")
        rot = sub.add_parser("rotate-key", help="generate a new key; the old one still verifies")
        rot.add_argument("authority", type=int)
        sub.add_parser("keys", help="list the published keys")

    def handle(self, *args, action, **options):
        from directory.selectors import authority_get
        from licenses.models import IssuerKey
        from licenses.services import issuer_key_rotate

        if action == "keys":
            for key in IssuerKey.objects.select_related("authority"):
                state = "retired" if key.retired_at else "signing"
                self.stdout.write(f"{key.kid}  {state:<8} {key.authority.name_zh}")
            return
        authority = authority_get(pk=options["authority"])
        if authority is None:
            raise CommandError("no such authority")
        pem = options["pem"].read_text() if action == "import-key" else None
        key = issuer_key_rotate(authority=authority, private_pem=pem)
        self.stdout.write(f"{authority.name_zh} now signs with {key.kid}")
