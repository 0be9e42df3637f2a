from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    """The transparency log: Merkle tree, signed checkpoints, witnesses, proofs."""

    name = "ledger"
    verbose_name = _("Transparency ledger")
