"""W3C Verifiable Credentials (data model 2.0) secured as JWS (VC-JOSE-COSE, `vc+jwt`),
signed ES256 with the issuing authority's key; W3C Bitstring Status Lists.

Pure functions over keys and bytes: the services decide what to sign, the registry's
models hold the keys and lists.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

ALG = "ES256"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
STATUS_LIST_BITS = 131_072  # the spec's minimum length, for herd privacy


def new_key() -> tuple[dict, str]:
    """A fresh P-256 key: (public JWK, private key PEM)."""
    key = ECKey.generate_key("P-256", private=True)
    return key.as_dict(private=False), key.as_pem(private=True).decode()


def key_id(public_jwk: dict) -> str:
    """RFC 7638 thumbprint of the public key: a stable, collision-free key id."""
    return ECKey.import_key(public_jwk).thumbprint()


def sign(payload: dict, *, private_pem: str, kid: str, typ: str = "vc+jwt") -> str:
    """Compact JWS of ``payload`` (canonical JSON) with the credential media type."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    header = {"alg": ALG, "kid": kid, "typ": typ, "cty": "vc"}
    return jws.serialize_compact(header, body.encode(), ECKey.import_key(private_pem),
                                 algorithms=[ALG])  # fmt: skip


class InvalidCredential(Exception):
    """Not a credential this registry can vouch for; ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def unverified_header(token: str) -> dict:
    try:
        return dict(jws.extract_compact(token.strip().encode()).headers())
    except (JoseError, ValueError, UnicodeError) as error:
        raise InvalidCredential("malformed") from error


def verify(token: str, public_jwk: dict) -> dict:
    """The payload of ``token`` if ``public_jwk`` signed it; InvalidCredential otherwise."""
    try:
        result = jws.deserialize_compact(token.strip(), ECKey.import_key(public_jwk),
                                         algorithms=[ALG])  # fmt: skip
        return json.loads(result.payload)
    except (JoseError, ValueError) as error:
        raise InvalidCredential("signature") from error


def license_credential(
    *,
    number: str,
    type_code: str,
    type_name: str,
    issuer_id: str,
    issuer_name: str,
    subject: dict,
    valid_from: dt.date,
    valid_until: dt.date | None,
    status_url: str,
    index: int,
) -> dict:
    """The VC 2.0 document of one license (the JWS payload)."""
    credential = {
        "@context": [VC_CONTEXT],
        "id": f"urn:onestop:license:{number}",
        "type": ["VerifiableCredential", "OneStopLicense"],
        "issuer": {"id": issuer_id, "name": issuer_name},
        "validFrom": f"{valid_from.isoformat()}T00:00:00+08:00",
        "name": type_name,
        "credentialSubject": {"type": type_code, "licenseNumber": number, **subject},
        "credentialStatus": [
            {"id": f"{status_url}/{purpose}#{index}", "type": "BitstringStatusListEntry",
             "statusPurpose": purpose, "statusListIndex": str(index),
             "statusListCredential": f"{status_url}/{purpose}"}
            for purpose in ("revocation", "suspension")
        ],
    }  # fmt: skip
    if valid_until is not None:
        credential["validUntil"] = f"{valid_until.isoformat()}T23:59:59+08:00"
    return credential


def empty_bits() -> bytes:
    return bytes(STATUS_LIST_BITS // 8)


def set_bit(bits: bytes, index: int, value: bool) -> bytes:
    """Index 0 is the left-most (most significant) bit of the first byte (the spec's order)."""
    data = bytearray(bits)
    mask = 0x80 >> (index % 8)
    data[index // 8] = data[index // 8] | mask if value else data[index // 8] & ~mask
    return bytes(data)


def get_bit(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def encode_list(bits: bytes) -> str:
    """GZIP, then base64url without padding, with the multibase prefix ``u``."""
    packed = gzip.compress(bits, mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode_list(encoded: str) -> bytes:
    data = encoded.removeprefix("u")
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def status_list_credential(*, url: str, issuer_id: str, purpose: str, bits: bytes,
                           valid_from: dt.datetime) -> dict:  # fmt: skip
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": valid_from.isoformat(timespec="seconds"),
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList",
                              "statusPurpose": purpose, "encodedList": encode_list(bits)},
    }  # fmt: skip
