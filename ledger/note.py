"""C2SP signed notes, checkpoints and cosignatures, with Ed25519.

- signed-note: ``text`` (ending in a newline), a blank line, then lines
  ``— <name> base64(key id[4] || signature)``; key id = SHA-256(name || "\\n" || 0x01 || pub)[:4].
- tlog-checkpoint: the note text is ``origin\\nsize\\nbase64(root)\\n`` (+ extension lines).
- tlog-cosignature v1: algorithm 0x04; the signature is ``timestamp[8] || ed25519[64]`` over
  ``cosignature/v1\\ntime <timestamp>\\n`` + the checkpoint text.
"""

from __future__ import annotations

import base64
import hashlib
import re
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ALG_ED25519 = 0x01
ALG_COSIGNATURE_V1 = 0x04
DASH = "\u2014"


class NoteError(ValueError):
    """A note, checkpoint or signature that does not parse or verify."""


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(name: str, alg: int, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([alg]) + public).digest()[:4]


def _check_name(name: str) -> None:
    if not name or any(c.isspace() for c in name) or "+" in name:
        raise NoteError(f"invalid key name {name!r}")


@dataclass(frozen=True)
class Verifier:
    name: str
    alg: int
    public: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.alg, self.public)

    @property
    def vkey(self) -> str:
        """The verifier key string: ``name+hex(key id)+base64(alg || public key)``."""
        body = base64.b64encode(bytes([self.alg]) + self.public).decode()
        return f"{self.name}+{self.key_id.hex()}+{body}"

    @classmethod
    def from_vkey(cls, vkey: str) -> Verifier:
        try:
            name, kid, body = vkey.split("+", 2)
            raw = base64.b64decode(body, validate=True)
        except ValueError as exc:
            raise NoteError("invalid verifier key") from exc
        _check_name(name)
        if len(raw) != 33 or raw[0] not in (ALG_ED25519, ALG_COSIGNATURE_V1):
            raise NoteError("only Ed25519 verifier keys are supported")
        verifier = cls(name=name, alg=raw[0], public=raw[1:])
        if verifier.key_id.hex() != kid:
            raise NoteError("the verifier key's id does not match its key")
        return verifier


class Signer:
    """An Ed25519 note signer (alg 0x01) or cosigner (alg 0x04) with a key name."""

    def __init__(self, name: str, private: Ed25519PrivateKey, alg: int = ALG_ED25519):
        _check_name(name)
        self.name, self.private, self.alg = name, private, alg
        self.verifier = Verifier(name, alg, _raw_public(private.public_key()))

    @classmethod
    def from_seed(cls, name: str, seed: bytes, alg: int = ALG_ED25519) -> Signer:
        return cls(name, Ed25519PrivateKey.from_private_bytes(seed), alg)

    def sign_note(self, text: str) -> str:
        """The signature line for ``text`` (a note body ending in a newline)."""
        if self.alg != ALG_ED25519:
            raise NoteError("a cosigner signs checkpoints with cosign()")
        signature = self.private.sign(text.encode())
        value = base64.b64encode(self.verifier.key_id + signature).decode()
        return f"{DASH} {self.name} {value}\n"

    def cosign(self, checkpoint_text: str, timestamp: int) -> str:
        """A tlog-cosignature/v1 line over a checkpoint text."""
        if self.alg != ALG_COSIGNATURE_V1:
            raise NoteError("only a cosignature key cosigns")
        message = cosigned_message(checkpoint_text, timestamp)
        signature = self.private.sign(message)
        value = base64.b64encode(
            self.verifier.key_id + struct.pack(">Q", timestamp) + signature
        ).decode()
        return f"{DASH} {self.name} {value}\n"


def cosigned_message(checkpoint_text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{checkpoint_text}".encode()


@dataclass(frozen=True)
class SignatureLine:
    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        return f"{DASH} {self.name} {base64.b64encode(self.key_id + self.signature).decode()}\n"


def split_note(note: str) -> tuple[str, list[SignatureLine]]:
    """Split a signed note into its text and signature lines."""
    text, sep, sigs = note.rpartition("\n\n")
    if not sep or not text:
        raise NoteError("a signed note needs a text, a blank line and signatures")
    text += "\n"
    lines: list[SignatureLine] = []
    for line in sigs.split("\n"):
        if not line:
            continue
        m = re.fullmatch(rf"{DASH} (\S+) ([A-Za-z0-9+/=]+)", line)
        if not m:
            raise NoteError("malformed signature line")
        raw = base64.b64decode(m.group(2))
        if len(raw) < 5:
            raise NoteError("signature too short")
        lines.append(SignatureLine(m.group(1), raw[:4], raw[4:]))
    if not sigs.endswith("\n") or not lines:
        raise NoteError("a signed note ends with signature lines and a newline")
    return text, lines


def note_text(note: str) -> str:
    """The text of a signed note, without its signature lines (not verified)."""
    return split_note(note)[0]


def _signature_by(note: str, verifier: Verifier, what: str) -> tuple[str, SignatureLine]:
    """The note's text and the signature line that names ``verifier`` (by name and key id)."""
    text, lines = split_note(note)
    for sig in lines:
        if sig.name == verifier.name and sig.key_id == verifier.key_id:
            return text, sig
    raise NoteError(f"no {what} by {verifier.name}")


def _ed25519_verify(verifier: Verifier, signature: bytes, message: bytes, what: str) -> None:
    try:
        Ed25519PublicKey.from_public_bytes(verifier.public).verify(signature, message)
    except InvalidSignature as exc:
        raise NoteError(f"the {what} of {verifier.name} does not verify") from exc


def verify_note(note: str, verifier: Verifier) -> str:
    """The note's text if ``verifier`` signed it; NoteError otherwise."""
    text, sig = _signature_by(note, verifier, "signature")
    _ed25519_verify(verifier, sig.signature, text.encode(), "signature")
    return text


def verify_cosignature(note: str, verifier: Verifier) -> int:
    """The timestamp of ``verifier``'s valid cosignature on the checkpoint note."""
    text, sig = _signature_by(note, verifier, "cosignature")
    if len(sig.signature) != 72:
        raise NoteError("a cosignature has 72 bytes after the key id")
    (timestamp,) = struct.unpack(">Q", sig.signature[:8])
    _ed25519_verify(verifier, sig.signature[8:], cosigned_message(text, timestamp), "cosignature")
    return timestamp


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        lines = [
            self.origin,
            str(self.size),
            base64.b64encode(self.root).decode(),
            *self.extensions,
        ]
        return "\n".join(lines) + "\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        lines = text.split("\n")
        if len(lines) < 4 or lines[-1] != "":
            raise NoteError("a checkpoint has an origin, a size and a root hash")
        origin, size, root_b64, *ext = lines[:-1]
        if not origin or not re.fullmatch(r"0|[1-9][0-9]{0,19}", size):
            raise NoteError("invalid origin or size line")
        try:
            root = base64.b64decode(root_b64, validate=True)
        except ValueError as exc:
            raise NoteError("the root hash is not base64") from exc
        if len(root) != 32:
            raise NoteError("the root hash has not 32 bytes")
        return cls(origin, int(size), root, tuple(ext))


def open_checkpoint(note: str, verifier: Verifier) -> Checkpoint:
    """Verify the log's signature on a checkpoint note and parse it."""
    checkpoint = Checkpoint.parse(verify_note(note, verifier))
    if checkpoint.origin != verifier.name:
        raise NoteError("the checkpoint's origin is not the log's key name")
    return checkpoint
