"""Writes to the transparency log: append, publish checkpoints, cosign (as a witness)."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from core import crypto
from core.errors import Conflict, InvalidInput

from . import merkle
from .canonical import leaf_data, payload_sha256
from .keys import log_signer, witness_signer, witnessed_logs
from .models import (
    Checkpoint,
    Cosignature,
    Entry,
    LogState,
    Node,
    WitnessedLog,
    node_key,
    split_border,
)
from .note import Checkpoint as CheckpointText
from .note import NoteError, note_text, open_checkpoint, verify_cosignature

SYSTEM_ACTOR = "system"


def actor_pseudonym(actor) -> str:
    """A stable pseudonym for whoever acted: no name, no number, just a keyed hash."""
    pk = getattr(actor, "pk", None)
    if pk is None:
        return SYSTEM_ACTOR
    return "u:" + crypto.pii_digest("ledger-actor", str(pk))[:16]


def subject_ref(subject) -> str:
    """``app_label.model:pk`` for a model instance; strings pass through."""
    if isinstance(subject, str):
        return subject
    return f"{subject._meta.label_lower}:{subject.pk}"


@dataclass(frozen=True)
class Pending:
    action: str
    subject: str
    actor: str
    payload_sha256: str


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _locked_state() -> tuple[int, str]:
    """(size, border) of the log, with its row locked until the transaction ends: concurrent
    appends queue here and take consecutive indexes. (SQLite: the IMMEDIATE transaction
    already holds the write lock.) Plain SQL: this is the hot path of every logged event."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = (
        f"SELECT {_q('size')}, {_q('border')} FROM {_q(LogState._meta.db_table)} WHERE id = 1{lock}"  # noqa: S608
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    if row is None:  # the migration creates it; a flushed test database does not have it
        try:
            with transaction.atomic():
                LogState.objects.create(pk=1, size=0, border="")
        except IntegrityError:
            pass
        return _locked_state()
    return row[0], row[1]


ENTRY_COLUMNS = ("index", "at_us", "action", "subject", "actor", "payload_sha256", "leaf_hash")
ROWS_PER_INSERT = 1000


def _insert_rows(cursor, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Multi-row INSERTs: one round trip per thousand rows (a single append: one)."""
    names = ", ".join(_q(c) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    for start in range(0, len(rows), ROWS_PER_INSERT):
        chunk = rows[start : start + ROWS_PER_INSERT]
        values = ", ".join([one] * len(chunk))
        params = [value for row in chunk for value in row]
        cursor.execute(f"INSERT INTO {table} ({names}) VALUES {values}", params)  # noqa: S608


def _append(items: list[Pending]) -> list[Entry]:
    size, border = _locked_state()
    tree = merkle.CompactRange(size, split_border(border))
    entry_rows, node_rows, entries = [], [], []
    now_us = time.time_ns() // 1000
    for item in items:
        index = tree.size
        leaf = merkle.leaf_hash(
            leaf_data(
                index=index,
                at_us=now_us,
                action=item.action,
                subject=item.subject,
                actor=item.actor,
                payload_sha256=item.payload_sha256,
            )
        )
        row = (
            index,
            now_us,
            item.action,
            item.subject,
            item.actor,
            item.payload_sha256,
            leaf.hex(),
        )
        entry_rows.append(row)
        node_rows += [(node_key(lv, ix), h) for lv, ix, h in tree.append(leaf)]
    table = {m: _q(m._meta.db_table) for m in (LogState, Entry, Node)}
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table[LogState]} SET {_q('size')} = %s, {_q('border')} = %s "  # noqa: S608
            f"WHERE id = 1 AND {_q('size')} = %s",
            [tree.size, "".join(h.hex() for h in tree.border), size],
        )
        if cursor.rowcount != 1:
            raise Conflict(_("The ledger moved on during this append; try again."))
        _insert_rows(cursor, table[Entry], ENTRY_COLUMNS, entry_rows)
        _insert_rows(cursor, table[Node], ("key", "hash"), node_rows)
    for row in entry_rows:
        entries.append(
            Entry(
                index=row[0],
                at_us=row[1],
                action=row[2],
                subject=row[3],
                actor=row[4],
                payload_sha256=row[5],
                leaf_hash=row[6],
            )
        )
    return entries


def _pending(actor, action: str, subject, payload: dict) -> Pending:
    if not action or len(action) > 64:
        raise InvalidInput(_("An action name of 1 to 64 characters is needed."), field="action")
    return Pending(
        action=action,
        subject=subject_ref(subject),
        actor=actor_pseudonym(actor),
        payload_sha256=payload_sha256(payload),
    )


def ledger_append(*, actor, action: str, subject, payload: dict) -> Entry:
    """Log one event inside the caller's transaction; it commits or rolls back with it.

    No savepoint of its own: if logging fails, the business change must fail with it."""
    with transaction.atomic(savepoint=False):
        return _append([_pending(actor, action, subject, payload)])[0]


@transaction.atomic
def ledger_append_many(*, actor, events: list[tuple[str, object, dict]]) -> list[Entry]:
    """Log several events at once (imports, benchmarks): one lock, bulk inserts."""
    return _append([_pending(actor, a, s, p) for a, s, p in events])


@transaction.atomic
def checkpoint_publish() -> Checkpoint:
    """Sign a checkpoint of the log as it is now (the same one again if nothing changed)."""
    size, border = _locked_state()
    existing = Checkpoint.objects.filter(size=size).first()
    if existing:
        return existing
    tree = merkle.CompactRange(size, split_border(border))
    body = CheckpointText(log_signer().name, size, tree.root()).text()
    note = body + "\n" + log_signer().sign_note(body)
    try:
        with transaction.atomic():
            return Checkpoint.objects.create(size=size, root=tree.root().hex(), note=note)
    except IntegrityError:  # published concurrently
        return Checkpoint.objects.get(size=size)


@transaction.atomic
def cosignature_record(*, checkpoint: Checkpoint, verifier, line: str) -> Cosignature:
    """Keep a witness's cosignature after checking it against the witness's key."""
    body = note_text(checkpoint.note)
    timestamp = verify_cosignature(body + "\n" + line, verifier)
    cosignature, _created = Cosignature.objects.get_or_create(
        checkpoint=checkpoint,
        witness=verifier.name,
        defaults={"line": line, "timestamp": timestamp},
    )
    return cosignature


class WitnessConflict(Conflict):
    """The caller's idea of our latest cosigned size is stale: ``size`` is the real one."""

    def __init__(self, size: int):
        super().__init__(_("The witness has a different latest size."))
        self.size = size


@transaction.atomic
def witness_add_checkpoint(*, old_size: int, proof: list[bytes], note: str) -> str:
    """As a witness (C2SP tlog-witness): cosign a checkpoint only if it extends the last one
    we cosigned for that log. Returns the cosignature line."""
    signer = witness_signer()
    if signer is None:
        raise InvalidInput(_("This deployment is not configured as a witness."), field="note")
    try:
        origin = CheckpointText.parse(note_text(note)).origin
    except (NoteError, IndexError) as exc:
        raise InvalidInput(str(exc), field="note") from exc
    verifier = witnessed_logs().get(origin)
    if verifier is None:
        raise InvalidInput(_("This witness does not follow that log."), field="note")
    try:
        checkpoint = open_checkpoint(note, verifier)
    except NoteError as exc:
        raise InvalidInput(str(exc), field="note") from exc
    state, _created = WitnessedLog.objects.select_for_update().get_or_create(origin=origin)
    if old_size != state.size:
        raise WitnessConflict(state.size)
    if checkpoint.size < state.size:
        raise InvalidInput(
            _("The checkpoint is older than the one already cosigned."), field="note"
        )
    if state.size:
        try:
            merkle.verify_consistency(
                state.size, checkpoint.size, bytes.fromhex(state.root), checkpoint.root, proof
            )
        except merkle.ProofError as exc:
            raise InvalidInput(
                _("The consistency proof does not verify: %(why)s") % {"why": exc}, field="proof"
            ) from exc
    line = signer.cosign(checkpoint.text(), int(time.time()))
    moved = WitnessedLog.objects.filter(pk=state.pk, size=state.size).update(
        size=checkpoint.size,
        root=checkpoint.root.hex(),
        checkpoint=checkpoint.text(),
        cosignature=line,
    )
    if moved != 1:
        raise WitnessConflict(state.size)
    return line


def encode_add_checkpoint(old_size: int, proof: list[bytes], note: str) -> str:
    """The C2SP tlog-witness add-checkpoint request body."""
    lines = [f"old {old_size}", *(base64.b64encode(p).decode() for p in proof)]
    return "\n".join(lines) + "\n\n" + note


def decode_add_checkpoint(body: str) -> tuple[int, list[bytes], str]:
    head, sep, note = body.partition("\n\n")
    lines = head.split("\n")
    if not sep or not lines[0].startswith("old "):
        raise InvalidInput(
            _("The request starts with 'old <size>' and a blank line."), field="body"
        )
    try:
        old = int(lines[0][4:])
        proof = [base64.b64decode(line, validate=True) for line in lines[1:]]
    except ValueError as exc:
        raise InvalidInput(_("The size or a proof line is malformed."), field="body") from exc
    if old < 0 or len(proof) > 64:
        raise InvalidInput(_("The size or a proof line is malformed."), field="body")
    return old, proof, note
