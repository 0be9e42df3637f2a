"""Full verification of the log: what `onestop ledger verify` runs.

1. Entries are gapless from 0, and each row still hashes to its stored leaf hash.
2. The tree recomputed from the rows matches every stored checkpoint, whose log signature
   verifies, and the log's current state.
3. Cosignatures verify against the configured witnesses' keys.
4. Each entry's payload hash matches the owning app's row, recomputed now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from . import merkle
from .canonical import leaf_data, payload_sha256
from .keys import configured_witnesses, log_signer
from .models import Checkpoint, Entry, LogState
from .note import Checkpoint as CheckpointText
from .note import NoteError, note_text, open_checkpoint, verify_cosignature
from .registry import payload_fn


@dataclass
class Report:
    entries: int = 0
    checkpoints: int = 0
    payloads_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _checkpoints(report: Report) -> dict[int, tuple[Checkpoint, bytes]]:
    verifier = log_signer().verifier
    result = {}
    for cp in Checkpoint.objects.prefetch_related("cosignatures").order_by("size"):
        try:
            parsed = open_checkpoint(cp.note, verifier)
        except NoteError as exc:
            report.problems.append(f"checkpoint at size {cp.size}: {exc}")
            continue
        if parsed.size != cp.size or parsed.root.hex() != cp.root:
            report.problems.append(
                f"checkpoint at size {cp.size}: its signed text says size "
                f"{parsed.size}, root {parsed.root.hex()[:16]}…"
            )
        result[parsed.size] = (cp, parsed.root)
        _check_cosignatures(cp, report)
    report.checkpoints = len(result)
    return result


def _check_cosignatures(cp: Checkpoint, report: Report) -> None:
    witnesses = {w.verifier.name: w.verifier for w in configured_witnesses()}
    body = note_text(cp.note)
    for cosig in cp.cosignatures.all():
        verifier = witnesses.get(cosig.witness)
        if verifier is None:
            continue
        try:
            verify_cosignature(body + "\n" + cosig.line, verifier)
        except NoteError as exc:
            report.problems.append(f"checkpoint at size {cp.size}: {exc}")


def _check_payload(entry, report: Report) -> None:
    fn = payload_fn(entry[2])
    if fn is None:
        return
    report.payloads_checked += 1
    index, _at, action, subject, _actor, logged = entry[:6]
    payload = fn(subject.partition(":")[2])
    where = f"entry {index} ({action}, {subject})"
    if payload is None:
        report.problems.append(f"{where}: the logged row no longer exists")
    elif payload_sha256(payload) != logged:
        report.problems.append(f"{where}: the row no longer matches what was logged")


def ledger_verify(
    *, check_payloads: bool = True, progress: Callable[[int], None] | None = None
) -> Report:
    """Recompute everything from the rows; return every problem found, by name."""
    report = Report()
    checkpoints = _checkpoints(report)
    tree = merkle.CompactRange()
    fields = ("index", "at_us", "action", "subject", "actor", "payload_sha256", "leaf_hash")
    rows = Entry.objects.order_by("index").values_list(*fields).iterator(chunk_size=20000)
    for row in rows:
        index = row[0]
        if index != tree.size:
            report.problems.append(f"entry {tree.size} is missing (next entry is {index})")
            break
        data = leaf_data(
            index=index,
            at_us=row[1],
            action=row[2],
            subject=row[3],
            actor=row[4],
            payload_sha256=row[5],
        )
        leaf = merkle.leaf_hash(data)
        if leaf.hex() != row[6]:
            report.problems.append(f"entry {index}: its fields no longer match its leaf hash")
        tree.append(leaf)
        if tree.size in checkpoints and tree.root() != checkpoints[tree.size][1]:
            report.problems.append(
                f"checkpoint at size {tree.size} does not match the entries (a fork, or "
                f"entries changed): signed root {checkpoints[tree.size][1].hex()[:16]}…, "
                f"recomputed {tree.root().hex()[:16]}…"
            )
        if check_payloads:
            _check_payload(row, report)
        if progress and tree.size % 10000 == 0:
            progress(tree.size)
    report.entries = tree.size
    if 0 in checkpoints and checkpoints[0][1] != merkle.EMPTY_ROOT:
        report.problems.append("checkpoint at size 0 does not have the empty root")
    for size in sorted(s for s in checkpoints if s > tree.size):
        report.problems.append(
            f"checkpoint at size {size} is beyond the {tree.size} entries found (entries deleted?)"
        )
    state = LogState.objects.filter(pk=1).first() or LogState(size=0, border="")
    border = merkle.CompactRange(state.size, state.border_hashes)
    if state.size != tree.size or border.root() != tree.root():
        report.problems.append(
            f"the log state (size {state.size}) does not match the {tree.size} entries"
        )
    return report


def checkpoint_text_root(note: str) -> CheckpointText:
    """Parse the text part of a checkpoint note without verifying (for display)."""
    return CheckpointText.parse(note_text(note))
