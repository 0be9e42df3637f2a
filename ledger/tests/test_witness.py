"""The witness endpoint (C2SP tlog-witness add-checkpoint) refuses what is not consistent."""

import pytest
from django.test import Client

from ledger import merkle, selectors
from ledger.keys import log_signer, witness_signer
from ledger.note import Checkpoint, verify_cosignature
from ledger.services import checkpoint_publish, encode_add_checkpoint, ledger_append_many

pytestmark = pytest.mark.django_db
URL = "/api/v1/ledger/witness/add-checkpoint"


def post(body: str):
    return Client().post(URL, body, content_type="text/plain")


def grow(n: int, prefix: str):
    ledger_append_many(actor=None, events=[("test.event", f"{prefix}:{i}", {}) for i in range(n)])
    return checkpoint_publish()


def signed(size: int, root: bytes) -> str:
    body = Checkpoint(log_signer().name, size, root).text()
    return body + "\n" + log_signer().sign_note(body)


def test_first_checkpoint_is_cosigned_and_the_cosignature_verifies():
    cp = grow(3, "a")
    response = post(encode_add_checkpoint(0, [], cp.note))
    assert response.status_code == 200
    body = cp.note.split("\n\n")[0] + "\n"
    timestamp = verify_cosignature(
        body + "\n" + response.content.decode(), witness_signer().verifier
    )
    assert timestamp > 1_700_000_000


def test_stale_old_size_gets_409_with_the_real_size():
    cp = grow(3, "a")
    assert post(encode_add_checkpoint(0, [], cp.note)).status_code == 200
    cp2 = grow(2, "b")
    response = post(encode_add_checkpoint(0, [], cp2.note))
    assert response.status_code == 409
    assert response.content == b"3\n"
    proof = selectors.consistency_proof(first=3, second=5)
    assert post(encode_add_checkpoint(3, proof, cp2.note)).status_code == 200


def test_a_forked_checkpoint_is_refused():
    cp = grow(3, "a")
    assert post(encode_add_checkpoint(0, [], cp.note)).status_code == 200
    grow(2, "b")
    fork = merkle.MemoryTree(merkle.leaf_hash(bytes([i])) for i in range(5))
    forged = signed(5, fork.root())  # signed with the real key, but not an extension
    response = post(
        encode_add_checkpoint(3, selectors.consistency_proof(first=3, second=5), forged)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "proof"


def test_unsigned_or_unknown_logs_are_refused():
    cp = grow(1, "a")
    tampered = cp.note.replace("\n1\n", "\n2\n", 1)
    assert post(encode_add_checkpoint(0, [], tampered)).status_code == 422
    other = "other.example/log\n1\n" + "A" * 43 + "=\n\n\u2014 other.example/log AAAA\n"
    assert post(encode_add_checkpoint(0, [], other)).status_code == 422
    assert post("garbage").status_code == 422


@pytest.mark.django_db(transaction=True)
def test_the_log_asks_a_witness_over_real_http(live_server, settings):
    """A witness configured by URL is called over HTTP (here: this deployment's own
    endpoint on a live server, standing in for another city's)."""
    from ledger import keys
    from ledger.models import Cosignature
    from ledger.witnesses import collect_cosignatures

    settings.LEDGER_DEMO_WITNESS = False
    settings.LEDGER_WITNESSES = [f"{witness_signer().verifier.vkey} {live_server.url}{URL}"]
    settings.WITNESS_LOG_VKEYS = [log_signer().verifier.vkey]
    keys.clear_caches()
    try:
        assert [w.url for w in keys.configured_witnesses()] == [live_server.url + URL]
        cp = grow(4, "h")
        assert collect_cosignatures(cp) == 1
        cosignature = Cosignature.objects.get(checkpoint=cp)
        body = cp.note.split("\n\n")[0] + "\n"
        assert verify_cosignature(body + "\n" + cosignature.line, witness_signer().verifier)
    finally:
        keys.clear_caches()


@pytest.mark.django_db(transaction=True)
def test_witness_pulls_checkpoint_and_proof_over_http(live_server):
    """Pull mode: the witness fetches the other log's checkpoint and consistency proof
    (here this deployment's own, served by a live server), checks them, cosigns, and
    serves its cosignature."""
    from io import StringIO

    from django.core.management import call_command

    grow(3, "p")
    first = StringIO()
    call_command("ledger", "witness-poll", live_server.url, stdout=first)
    grow(2, "q")
    second = StringIO()
    call_command("ledger", "witness-poll", live_server.url, stdout=second)
    served = Client().get(f"/api/v1/ledger/witness/cosignature?origin={log_signer().name}")
    assert served.status_code == 200
    text = served.content.decode()
    assert text.startswith(f"{log_signer().name}\n5\n")
    assert text.endswith(second.getvalue())
    assert verify_cosignature(text, witness_signer().verifier) > 0
