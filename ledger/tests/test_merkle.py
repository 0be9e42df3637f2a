"""RFC 9162 conformance against transparency-dev/merkle's vectors, and property tests."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import merkle
from ledger.merkle import MemoryTree, ProofError

VECTORS = Path(__file__).parent / "vectors"


def b64(value):
    return base64.b64decode(value) if value else b""


def cases(kind: str):
    files = sorted((VECTORS / kind).rglob("*.json"))
    assert files, kind
    return [pytest.param(json.loads(f.read_text()), id=str(f.relative_to(VECTORS))) for f in files]


def test_reference_roots_for_sizes_0_to_8():
    data = json.loads((VECTORS / "roots.json").read_text())
    leaves = [merkle.leaf_hash(bytes.fromhex(x)) for x in data["leaf_inputs"]]
    for size, expected in enumerate(data["roots"]):
        tree = MemoryTree(leaves[:size])
        assert tree.root().hex() == expected, size
        if size:
            assert merkle.root(tree.get, size).hex() == expected


@pytest.mark.parametrize("case", cases("inclusion"))
def test_inclusion_vectors(case):
    args = (
        case["leafIdx"],
        case["treeSize"],
        b64(case["leafHash"]),
        [b64(p) for p in case["proof"] or []],
        b64(case["root"]),
    )
    if case["wantErr"]:
        with pytest.raises(ProofError):
            merkle.verify_inclusion(*args)
    else:
        merkle.verify_inclusion(*args)


@pytest.mark.parametrize("case", cases("consistency"))
def test_consistency_vectors(case):
    args = (
        case["size1"],
        case["size2"],
        b64(case["root1"]),
        b64(case["root2"]),
        [b64(p) for p in case["proof"] or []],
    )
    if case["wantErr"]:
        with pytest.raises(ProofError):
            merkle.verify_consistency(*args)
    else:
        merkle.verify_consistency(*args)


def test_generated_proofs_match_the_happy_path_vectors():
    data = json.loads((VECTORS / "roots.json").read_text())
    tree = MemoryTree(merkle.leaf_hash(bytes.fromhex(x)) for x in data["leaf_inputs"])
    for f in sorted((VECTORS / "inclusion").rglob("happy-path.json")):
        c = json.loads(f.read_text())
        got = tree.inclusion_proof(c["leafIdx"], c["treeSize"])
        assert got == [b64(p) for p in c["proof"] or []], f
    for f in sorted((VECTORS / "consistency").rglob("happy-path.json")):
        c = json.loads(f.read_text())
        if c["size1"] == c["size2"]:
            continue
        got = tree.consistency_proof(c["size1"], c["size2"])
        assert got == [b64(p) for p in c["proof"] or []], f


def flip(proof: list[bytes], item: int, bit: int) -> list[bytes]:
    changed = bytearray(proof[item])
    changed[bit // 8] ^= 1 << (bit % 8)
    return [*proof[:item], bytes(changed), *proof[item + 1 :]]


@st.composite
def tree_and_index(draw):
    size = draw(st.integers(1, 300))
    return size, draw(st.integers(0, size - 1))


def build(size: int) -> MemoryTree:
    return MemoryTree(merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(size))


@settings(max_examples=40, deadline=None)
@given(tree_and_index())
def test_every_inclusion_proof_verifies_and_every_bit_flip_fails(size_index):
    size, index = size_index
    tree = build(size)
    leaf = merkle.leaf_hash(index.to_bytes(4, "big"))
    proof = tree.inclusion_proof(index)
    merkle.verify_inclusion(index, size, leaf, proof, tree.root())
    for item in range(len(proof)):
        for bit in range(256):
            with pytest.raises(ProofError):
                merkle.verify_inclusion(index, size, leaf, flip(proof, item, bit), tree.root())
    with pytest.raises(ProofError):
        merkle.verify_inclusion(index, size, leaf, [*proof, b"\x00" * 32], tree.root())


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 300), st.data())
def test_every_consistency_proof_verifies_and_every_bit_flip_fails(second, data):
    first = data.draw(st.integers(1, second))
    tree = build(second)
    first_root, second_root = tree.root(first), tree.root()
    proof = tree.consistency_proof(first, second)
    merkle.verify_consistency(first, second, first_root, second_root, proof)
    for item in range(len(proof)):
        for bit in range(256):
            with pytest.raises(ProofError):
                merkle.verify_consistency(
                    first, second, first_root, second_root, flip(proof, item, bit)
                )
    if proof:
        with pytest.raises(ProofError):
            merkle.verify_consistency(first, second, first_root, second_root, proof[:-1])
