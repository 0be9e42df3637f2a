"""The transparency log's tables. Entries and nodes are append-only: only services write."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


def split_border(border: str) -> list[bytes]:
    """The border column (concatenated hex) as hashes."""
    return [bytes.fromhex(border[i : i + 64]) for i in range(0, len(border), 64)]


class LogState(models.Model):
    """The one row that serialises appends: the size and the tree's right border."""

    size = models.BigIntegerField(default=0)
    # The perfect subtrees' hashes, highest first, as concatenated hex (64 characters each).
    border = models.TextField(default="", blank=True)

    class Meta:
        verbose_name = _("log state")

    def __str__(self) -> str:
        return f"log of {self.size} entries"

    @property
    def border_hashes(self) -> list[bytes]:
        return split_border(self.border)


class Entry(models.Model):
    """上链存证: one logged event. Holds a hash of the payload, never the payload itself."""

    index = models.BigIntegerField(primary_key=True)
    at_us = models.BigIntegerField(help_text="microseconds since the Unix epoch, UTC")
    action = models.CharField(_("action"), max_length=64, db_index=True)
    subject = models.CharField(_("subject"), max_length=120, db_index=True)
    actor = models.CharField(_("actor (pseudonym)"), max_length=40)
    payload_sha256 = models.CharField(max_length=64)
    leaf_hash = models.CharField(max_length=64, db_index=True)

    class Meta:
        ordering = ["index"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        return f"#{self.index} {self.action} {self.subject}"


NODE_INDEX_BITS = 56


def node_key(level: int, index: int) -> int:
    """One integer for (level, index): level in the top bits, so a key fits a BIGINT."""
    return (level << NODE_INDEX_BITS) | index


class Node(models.Model):
    """The hash of a perfect subtree: 2**level leaves from leaf index * 2**level."""

    key = models.BigIntegerField(primary_key=True, help_text="level << 56 | index")
    hash = models.BinaryField(max_length=32)

    def __str__(self) -> str:
        return f"node {self.key >> NODE_INDEX_BITS}/{self.key & ((1 << NODE_INDEX_BITS) - 1)}"


class Checkpoint(models.Model):
    """A signed checkpoint (C2SP tlog-checkpoint) of the log at one size."""

    size = models.BigIntegerField(unique=True)
    root = models.CharField(max_length=64)
    note = models.TextField(help_text="the signed note: checkpoint text and the log signature")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-size"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")

    def __str__(self) -> str:
        return f"checkpoint {self.size}"


class Cosignature(models.Model):
    """A witness's C2SP cosignature on one of our checkpoints."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="cosignatures"
    )
    witness = models.CharField(max_length=200)
    line = models.TextField()
    timestamp = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "witness"], name="uniq_cosignature")
        ]

    def __str__(self) -> str:
        return f"{self.witness} on {self.checkpoint}"


class WitnessedLog(models.Model):
    """As a witness: the latest checkpoint we cosigned for another log (by its origin)."""

    origin = models.CharField(max_length=200, unique=True)
    size = models.BigIntegerField(default=0)
    root = models.CharField(max_length=64, blank=True)
    checkpoint = models.TextField(blank=True, help_text="the checkpoint text we cosigned last")
    cosignature = models.TextField(blank=True, help_text="our cosignature line on it")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.origin} @ {self.size}"
