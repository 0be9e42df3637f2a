"""The HTTP endpoints, checked by a verifier that shares no code with the ledger."""

import base64
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.test import Client

from ledger.services import checkpoint_publish, ledger_append_many

pytestmark = pytest.mark.django_db


# --- an independent verifier: plain hashlib and cryptography, written from the RFC and C2SP --


def _h(*parts: bytes) -> bytes:
    return hashlib.sha256(b"".join(parts)).digest()


def independent_root_from_path(index: int, size: int, leaf: bytes, path: list[bytes]) -> bytes:
    """Recursive form of RFC 9162 §2.1.3: rebuild MTH from the audit path, top-down."""
    if size == 1:
        assert not path
        return leaf
    k = 1
    while k * 2 < size:
        k *= 2
    *rest, sibling = path
    if index < k:
        return _h(b"\x01", independent_root_from_path(index, k, leaf, rest), sibling)
    return _h(b"\x01", sibling, independent_root_from_path(index - k, size - k, leaf, rest))


def independent_note_check(note: str, vkey: str) -> tuple[str, int, bytes]:
    name, key_hash, material = vkey.split("+", 2)
    raw = base64.b64decode(material)
    assert raw[0] == 1
    public = raw[1:]
    assert _h(name.encode(), b"\n", b"\x01", public)[:4].hex() == key_hash
    text, signatures = note.split("\n\n", 1)
    text += "\n"
    for line in signatures.splitlines():
        _dash, signer, value = line.split(" ")
        blob = base64.b64decode(value)
        if signer == name and blob[:4].hex() == key_hash:
            Ed25519PublicKey.from_public_bytes(public).verify(blob[4:], text.encode())
            origin, size, root = text.splitlines()[:3]
            return origin, int(size), base64.b64decode(root)
    raise AssertionError("no signature by the log")


def test_checkpoint_and_inclusion_proof_verify_from_http_alone():
    ledger_append_many(actor=None, events=[("test.event", f"x:{i}", {"i": i}) for i in range(13)])
    checkpoint_publish()
    client = Client()
    vkey = client.get("/api/v1/ledger/keys").json()["log"]
    note = client.get("/api/v1/ledger/checkpoint")
    assert note["content-type"].startswith("text/plain")
    origin, size, root = independent_note_check(note.content.decode(), vkey)
    assert (origin, size) == ("test.onestop.invalid/ledger", 13)
    for index in (0, 6, 12):
        entry = client.get(f"/api/v1/ledger/entries?start={index}&end={index + 1}").json()[0]
        leaf_input = json.dumps(
            {
                "v": 1,
                "index": entry["index"],
                "at_us": entry["at_us"],
                "action": entry["action"],
                "subject": entry["subject"],
                "actor": entry["actor"],
                "payload_sha256": entry["payload_sha256"],
            },
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode()
        leaf = _h(b"\x00", leaf_input)
        assert leaf.hex() == entry["leaf_hash"]
        proof = client.get(f"/api/v1/ledger/proof/inclusion?index={index}&size={size}").json()
        path = [base64.b64decode(p) for p in proof["proof"]]
        assert independent_root_from_path(index, size, leaf, path) == root


def test_cache_headers_and_lookup_by_leaf_hash():
    entries = ledger_append_many(actor=None, events=[("test.event", "x:1", {})] * 4)
    client = Client()
    full = client.get("/api/v1/ledger/entries?start=0&end=4")
    assert "immutable" in full["cache-control"]
    partial = client.get("/api/v1/ledger/entries?start=0&end=10")
    assert partial["cache-control"] == "public, max-age=10" and len(partial.json()) == 4
    by_hash = client.get(
        f"/api/v1/ledger/proof/inclusion?leaf_hash={entries[2].leaf_hash}&size=4"
    ).json()
    assert by_hash["index"] == 2
    consistency = client.get("/api/v1/ledger/proof/consistency?first=3&second=4")
    assert consistency.status_code == 200 and "immutable" in consistency["cache-control"]


def test_bad_ranges_name_the_field():
    ledger_append_many(actor=None, events=[("test.event", "x:1", {})] * 2)
    client = Client()
    response = client.get("/api/v1/ledger/proof/inclusion?index=5&size=2")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "index"
    response = client.get("/api/v1/ledger/proof/consistency?first=1&second=9")
    assert response.json()["errors"][0]["field"] == "size"
    assert client.get("/api/v1/ledger/checkpoint").status_code == 404


def test_receipt_verifies_offline_and_on_the_page(enterprise, agent):
    from accounts.models import EnterpriseAgent

    record = EnterpriseAgent.objects.get(person=agent.person)
    checkpoint_publish()
    client = Client(headers={"accept-language": "en"})
    subject = f"accounts.enterpriseagent:{record.pk}"
    receipts = client.get(f"/api/v1/ledger/receipt?subject={subject}").json()
    assert len(receipts) == 1 and receipts[0]["entry"]["action"] == "enterprise.agent_granted"
    page = client.post("/ledger/", {"receipt": json.dumps(receipts[0])})
    assert page.status_code == 200
    assert (
        "Verified: entry 0 (enterprise.agent_granted) is in the signed log."
        in page.content.decode()
    )
    forged = json.loads(json.dumps(receipts[0]))
    forged["entry"]["subject"] = "accounts.enterpriseagent:999"
    page = client.post("/ledger/", {"receipt": json.dumps(forged)})
    assert page.status_code == 422
    assert "This receipt does not verify" in page.content.decode()
