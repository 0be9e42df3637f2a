"""Reads of the log: entries, roots, proofs and receipts, each from O(log n) stored nodes."""

from __future__ import annotations

from django.db import connection
from django.utils.translation import gettext as _

from core.errors import InvalidInput, NotFound

from . import merkle
from .models import Checkpoint, Entry, LogState, Node, node_key


def log_size() -> int:
    """The number of entries (plain SQL: every proof request asks)."""
    table, size = (
        connection.ops.quote_name(LogState._meta.db_table),
        connection.ops.quote_name("size"),
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {size} FROM {table} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else 0


def _fetch_nodes(keys: set[int]) -> dict[int, bytes]:
    """Node hashes by key, in one indexed query (hot path of every proof: plain SQL)."""
    placeholders = ",".join(["%s"] * len(keys))
    table = connection.ops.quote_name(Node._meta.db_table)
    with connection.cursor() as cursor:
        key, value = connection.ops.quote_name("key"), connection.ops.quote_name("hash")
        cursor.execute(
            f"SELECT {key}, {value} FROM {table} WHERE {key} IN ({placeholders})",  # noqa: S608
            list(keys),
        )
        return {key: bytes(value) for key, value in cursor.fetchall()}


def _with_nodes(*computations):
    """Run proof computations twice: once to learn which nodes they need, then with those
    nodes fetched in one query (O(log n) rows). Returns one result per computation."""
    wanted: set[int] = set()

    def record(level: int, index: int) -> bytes:
        wanted.add(node_key(level, index))
        return b"\x00" * 32

    for fn, *args in computations:
        fn(record, *args)
    found = _fetch_nodes(wanted) if wanted else {}
    if wanted - found.keys():
        # Every perfect subtree of a tree no larger than the log is stored, so a missing
        # node means the size asked for is beyond the log.
        raise InvalidInput(
            _("size must not exceed the log's %(max)s entries.") % {"max": log_size()}, field="size"
        )

    def get(level: int, index: int) -> bytes:
        return found[node_key(level, index)]

    return [fn(get, *args) for fn, *args in computations]


def _size_or_latest(size: int | None) -> int:
    """The size asked for (checked against the stored nodes when used), or the current one."""
    if size is None:
        return log_size()
    if size < 0:
        raise InvalidInput(_("size must not be negative."), field="size")
    return size


def db_root(size: int) -> bytes:
    return merkle.EMPTY_ROOT if size == 0 else _with_nodes((merkle.root, size))[0]


def inclusion_proof(*, index: int, size: int | None = None) -> tuple[int, list[bytes], bytes]:
    """(size, proof, root) for the entry at ``index`` in the tree of ``size`` (default: now)."""
    size = _size_or_latest(size)
    if not 0 <= index < size:
        raise InvalidInput(
            _("index must be below the tree size %(size)s.") % {"size": size}, field="index"
        )
    proof, root = _with_nodes((merkle.inclusion_proof, index, size), (merkle.root, size))
    return size, proof, root


def consistency_proof(*, first: int, second: int) -> list[bytes]:
    second = _size_or_latest(second)
    if not 0 < first <= second:
        raise InvalidInput(
            _("first must lie between 1 and %(max)s.") % {"max": second}, field="first"
        )
    if first == second:
        if second > log_size():
            raise InvalidInput(
                _("size must not exceed the log's %(max)s entries.") % {"max": log_size()},
                field="size",
            )
        return []
    return _with_nodes((merkle.consistency_proof, first, second))[0]


def entry_get(*, index: int) -> Entry:
    entry = Entry.objects.filter(index=index).first()
    if entry is None:
        raise NotFound()
    return entry


def entry_by_leaf_hash(*, leaf_hash: str) -> Entry:
    entry = Entry.objects.filter(leaf_hash=leaf_hash.lower()).order_by("index").first()
    if entry is None:
        raise NotFound()
    return entry


def entry_list(*, start: int, end: int) -> list[Entry]:
    return list(Entry.objects.filter(index__gte=start, index__lt=end).order_by("index"))


def entries_for_subject(*, subject: str) -> list[Entry]:
    return list(Entry.objects.filter(subject=subject).order_by("index"))


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.prefetch_related("cosignatures").order_by("-size").first()


def checkpoint_note_with_cosignatures(checkpoint: Checkpoint) -> str:
    """The signed note with the witnesses' cosignature lines appended."""
    extra = "".join(c.line for c in checkpoint.cosignatures.order_by("witness"))
    return checkpoint.note + extra


def receipt(*, subject: str) -> list[dict]:
    """For every entry about ``subject``: the entry, its inclusion proof against the latest
    checkpoint, and that checkpoint — everything needed to check it offline."""
    checkpoint = latest_checkpoint()
    if checkpoint is None:
        raise NotFound()
    result = []
    for entry in entries_for_subject(subject=subject):
        if entry.index >= checkpoint.size:
            continue
        _size, proof, _root = inclusion_proof(index=entry.index, size=checkpoint.size)
        result.append({"entry": entry, "proof": proof, "checkpoint": checkpoint})
    return result


def witnessed_checkpoint(*, origin: str) -> str:
    """As a witness: the checkpoint text we cosigned last for ``origin`` and our line."""
    from .models import WitnessedLog

    state = WitnessedLog.objects.filter(origin=origin).exclude(cosignature="").first()
    if state is None:
        raise NotFound()
    return state.checkpoint + "\n" + state.cosignature
