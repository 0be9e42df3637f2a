"""C2SP signed-note details: verifier keys, signatures, cosignatures, checkpoint text."""

import base64

import pytest

from ledger.note import (
    ALG_COSIGNATURE_V1,
    Checkpoint,
    NoteError,
    Signer,
    Verifier,
    verify_cosignature,
    verify_note,
)


def test_vkey_round_trip_for_every_seed_byte():
    # Base64 of a public key often contains "+", the vkey separator: it must still parse.
    for n in range(64):
        signer = Signer.from_seed("example.com/log", bytes([n]) * 32)
        assert Verifier.from_vkey(signer.verifier.vkey) == signer.verifier


def test_note_signature_and_its_failures():
    signer = Signer.from_seed("example.com/log", b"\x05" * 32)
    text = Checkpoint("example.com/log", 3, b"\x01" * 32).text()
    note = text + "\n" + signer.sign_note(text)
    assert verify_note(note, signer.verifier) == text
    with pytest.raises(NoteError, match="does not verify"):
        verify_note(note.replace("\n3\n", "\n4\n"), signer.verifier)
    other = Signer.from_seed("example.com/log", b"\x06" * 32)
    with pytest.raises(NoteError, match="no signature"):
        verify_note(note, other.verifier)


def test_cosignature_layout_is_keyid_timestamp_signature():
    witness = Signer.from_seed("witness.example/w1", b"\x07" * 32, ALG_COSIGNATURE_V1)
    text = Checkpoint("example.com/log", 3, b"\x01" * 32).text()
    line = witness.cosign(text, 1_700_000_000)
    raw = base64.b64decode(line.split(" ")[2])
    assert len(raw) == 4 + 8 + 64
    assert raw[:4] == witness.verifier.key_id
    assert int.from_bytes(raw[4:12], "big") == 1_700_000_000
    assert verify_cosignature(text + "\n" + line, witness.verifier) == 1_700_000_000


@pytest.mark.parametrize(
    "text", ["origin\n1\n", "origin\n01\nAAAA\n", "origin\n1\nAAAA\n", "\n1\n" + "A" * 43 + "=\n"]
)
def test_malformed_checkpoints_are_refused(text):
    with pytest.raises(NoteError):
        Checkpoint.parse(text)
