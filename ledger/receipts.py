"""Checking a receipt: the entry's leaf, its inclusion proof, the signed checkpoint."""

from __future__ import annotations

import base64

from . import merkle
from .canonical import leaf_data
from .note import NoteError, Verifier, open_checkpoint


class ReceiptError(ValueError):
    pass


def check_receipt(receipt: dict, verifier: Verifier) -> dict:
    """Verify a receipt as returned by /api/v1/ledger/receipt; returns the entry."""
    entry, inclusion = receipt["entry"], receipt["inclusion"]
    try:
        checkpoint = open_checkpoint(receipt["checkpoint"], verifier)
    except NoteError as exc:
        raise ReceiptError(str(exc)) from exc
    leaf = merkle.leaf_hash(
        leaf_data(
            index=int(entry["index"]),
            at_us=int(entry["at_us"]),
            action=entry["action"],
            subject=entry["subject"],
            actor=entry["actor"],
            payload_sha256=entry["payload_sha256"],
        )
    )
    if leaf.hex() != entry["leaf_hash"]:
        raise ReceiptError("the entry's fields do not hash to its leaf hash")
    if int(inclusion["size"]) != checkpoint.size:
        raise ReceiptError("the proof is for another tree size than the checkpoint")
    try:
        merkle.verify_inclusion(
            int(entry["index"]),
            checkpoint.size,
            leaf,
            [base64.b64decode(p) for p in inclusion["proof"]],
            checkpoint.root,
        )
    except merkle.ProofError as exc:
        raise ReceiptError(str(exc)) from exc
    return entry
