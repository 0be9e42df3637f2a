"""RFC 9162 (RFC 6962) Merkle trees: hashing, roots, proofs and their verification.

Pure functions over a *node source*: ``get(level, index)`` returns the hash of the perfect
subtree of 2**level leaves starting at leaf ``index * 2**level``. The ledger stores exactly
those nodes, so every proof needs O(log n) of them and no tree is ever rebuilt.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

NodeGetter = Callable[[int, int], bytes]


class ProofError(ValueError):
    """A proof that does not verify, with the reason."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def subtree_hash(get: NodeGetter, start: int, end: int) -> bytes:
    """MTH(D[start:end]) for a range that is a left-aligned part of some tree."""
    size = end - start
    if size <= 0:
        return EMPTY_ROOT
    level = size.bit_length() - 1
    if size == 1 << level and start % size == 0:
        return get(level, start >> level)
    k = _split(size)
    return node_hash(subtree_hash(get, start, start + k), subtree_hash(get, start + k, end))


def root(get: NodeGetter, size: int) -> bytes:
    return subtree_hash(get, 0, size)


def inclusion_proof(get: NodeGetter, index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 9162 §2.1.3.1, lowest sibling first."""
    if not 0 <= index < size:
        raise ProofError(f"index {index} is outside a tree of size {size}")
    proof: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            proof.append(subtree_hash(get, start + k, end))
            end = start + k
        else:
            proof.append(subtree_hash(get, start, start + k))
            start += k
    return proof[::-1]


def consistency_proof(get: NodeGetter, first: int, second: int) -> list[bytes]:
    """PROOF(first, D[0:second]) of RFC 9162 §2.1.4.1."""
    if not 0 < first <= second:
        raise ProofError(f"no consistency proof from size {first} to {second}")
    proof: list[bytes] = []
    start, end, complete = 0, second, True
    m = first
    while True:
        n = end - start
        if m == n:
            if not complete:
                proof.append(subtree_hash(get, start, end))
            break
        k = _split(n)
        if m <= k:
            proof.append(subtree_hash(get, start + k, end))
            end = start + k
        else:
            proof.append(subtree_hash(get, start, start + k))
            start, m, complete = start + k, m - k, False
    return proof[::-1]


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{what} has {len(value)} bytes, not {HASH_SIZE}")


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """Recompute the root from a leaf hash and its proof (RFC 9162 §2.1.3.2)."""
    if not 0 <= index < size:
        raise ProofError(f"index {index} is outside a tree of size {size}")
    _check_hash(leaf, "the leaf hash")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        _check_hash(p, "a proof hash")
        if sn == 0:
            raise ProofError("the proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the proof is shorter than the tree is deep")
    return r


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], expected_root: bytes
) -> None:
    """Raise ProofError unless ``proof`` shows ``leaf`` at ``index`` under ``expected_root``."""
    _check_hash(expected_root, "the root")
    if root_from_inclusion(index, size, leaf, proof) != expected_root:
        raise ProofError("the inclusion proof leads to a different root")


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> None:
    """Raise ProofError unless the tree of ``second`` extends the tree of ``first``
    (RFC 9162 §2.1.4.2)."""
    if second < first:
        raise ProofError(f"size {second} is smaller than size {first}")
    if first == 0:
        raise ProofError("a consistency proof from the empty tree is meaningless")
    if first == second:
        if proof:
            raise ProofError("equal sizes need an empty proof")
        if first_root != second_root:
            raise ProofError("equal sizes with different roots")
        return
    if not proof:
        raise ProofError("the proof is empty")
    for p in (first_root, second_root, *proof):
        _check_hash(p, "a hash")
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: the first root is the starting node
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the proof is shorter than the tree is deep")
    if fr != first_root:
        raise ProofError("the proof does not lead to the first root")
    if sr != second_root:
        raise ProofError("the proof does not lead to the second root")


class CompactRange:
    """The right border of a tree: one perfect-subtree hash per set bit of its size.

    Appending a leaf merges equal-sized neighbours; the merged nodes are reported so a
    store can keep them. The root is a fold of the border.
    """

    def __init__(self, size: int = 0, border: Iterable[bytes] = ()):
        self.size = size
        self.border = list(border)  # highest level first
        if len(self.border) != bin(size).count("1"):
            raise ValueError("the border does not match the size")

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash; returns the new perfect nodes as (level, index, hash)."""
        index = self.size
        created = [(0, index, leaf)]
        h, level = leaf, 0
        while (index >> level) & 1:
            h = node_hash(self.border.pop(), h)
            level += 1
            created.append((level, index >> level, h))
        self.border.append(h)
        self.size += 1
        return created

    def root(self) -> bytes:
        if not self.border:
            return EMPTY_ROOT
        r = self.border[-1]
        for left in reversed(self.border[:-1]):
            r = node_hash(left, r)
        return r


class MemoryTree:
    """A whole tree in memory (tests, verification, witnesses)."""

    def __init__(self, leaves: Iterable[bytes] = ()):
        self.nodes: dict[tuple[int, int], bytes] = {}
        self.range = CompactRange()
        for leaf in leaves:
            self.append(leaf)

    @property
    def size(self) -> int:
        return self.range.size

    def append(self, leaf: bytes) -> None:
        for level, index, h in self.range.append(leaf):
            self.nodes[(level, index)] = h

    def get(self, level: int, index: int) -> bytes:
        return self.nodes[(level, index)]

    def root(self, size: int | None = None) -> bytes:
        if size is None or size == self.size:
            return self.range.root()
        return root(self.get, size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        return inclusion_proof(self.get, index, self.size if size is None else size)

    def consistency_proof(self, first: int, second: int | None = None) -> list[bytes]:
        return consistency_proof(self.get, first, self.size if second is None else second)
