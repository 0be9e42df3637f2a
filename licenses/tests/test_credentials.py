"""Issued credentials verified by an independent JOSE library (jwcrypto) using only what is
published: the JWKS and the issuers' status list credentials. No project code verifies."""

import base64
import gzip
import json

import pytest
from jwcrypto import jwk, jws

from licenses.services import issuer_key_rotate, license_set_status

from .conftest import authority_of

pytestmark = pytest.mark.django_db


def published_keys(client) -> jwk.JWKSet:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    return jwk.JWKSet.from_json(response.content)


def independent_verify(token: str, keys: jwk.JWKSet) -> dict:
    """Verify with jwcrypto alone; raises on a bad signature or an unknown key."""
    signed = jws.JWS()
    signed.deserialize(token)
    kid = signed.jose_header["kid"]
    key = keys.get_key(kid)
    if key is None:
        raise LookupError(f"no published key {kid}")
    signed.verify(key, alg="ES256")
    assert signed.jose_header["typ"] == "vc+jwt"
    return json.loads(signed.payload)


def status_bit(client, keys: jwk.JWKSet, entry: dict) -> bool:
    """Fetch the status list credential named by ``entry``, verify it, read the bit."""
    url = entry["statusListCredential"].split("127.0.0.1:8000", 1)[-1]
    token = client.get(url).content.decode()
    listing = independent_verify(token, keys)
    encoded = listing["credentialSubject"]["encodedList"].removeprefix("u")
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    index = int(entry["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def test_a_credential_verifies_independently(client, citizen, issue):
    license = issue(person=citizen.person)
    keys = published_keys(client)
    payload = independent_verify(license.credential, keys)
    assert payload["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "VerifiableCredential" in payload["type"]
    assert payload["credentialSubject"]["licenseNumber"] == license.number
    assert payload["credentialSubject"]["holderName"] == "陈美玲"
    revocation = next(s for s in payload["credentialStatus"] if s["statusPurpose"] == "revocation")
    assert status_bit(client, keys, revocation) is False


def test_a_tampered_credential_fails(client, citizen, issue):
    license = issue(person=citizen.person)
    header, body, signature = license.credential.split(".")
    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    data["credentialSubject"]["holderName"] = "王五"
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    with pytest.raises(jws.InvalidJWSSignature):
        independent_verify(f"{header}.{forged}.{signature}", published_keys(client))
    body = {"credential": f"{header}.{forged}.{signature}"}
    answer = client.post("/api/v1/licenses/verify", body, content_type="application/json").json()
    assert answer["valid"] is False and answer["reason"] == "signature"


def test_a_revoked_credential_is_found_revoked_in_the_published_list(client, citizen, issue):
    from conftest import _staff

    license = issue(person=citizen.person)
    officer = _staff("psb-reviewer", "reviewer", "PSB")
    license_set_status(actor=officer, license=license, status="revoked", reason="证件遗失补办")
    keys = published_keys(client)
    payload = independent_verify(license.credential, keys)  # the signature is still good
    revocation = next(s for s in payload["credentialStatus"] if s["statusPurpose"] == "revocation")
    assert status_bit(client, keys, revocation) is True
    answer = client.post("/api/v1/licenses/verify", {"credential": license.credential},
                         content_type="application/json").json()  # fmt: skip
    assert answer["valid"] is False and answer["reason"] == "revoked"


def test_a_credential_signed_by_an_unknown_key_fails(client, citizen, issue):
    license = issue(person=citizen.person)
    stranger = jwk.JWK.generate(kty="EC", crv="P-256")
    header = json.loads(base64.urlsafe_b64decode(license.credential.split(".")[0] + "=="))
    payload = base64.urlsafe_b64decode(license.credential.split(".")[1] + "==")
    forged = jws.JWS(payload)
    forged.add_signature(stranger, alg="ES256", protected=json.dumps(header))
    token = forged.serialize(compact=True)
    with pytest.raises(jws.InvalidJWSSignature):  # the kid is published, the key is not
        independent_verify(token, published_keys(client))
    header["kid"] = stranger.thumbprint()
    other = jws.JWS(payload)
    other.add_signature(stranger, alg="ES256", protected=json.dumps(header))
    with pytest.raises(LookupError):
        independent_verify(other.serialize(compact=True), published_keys(client))
    for forgery in (token, other.serialize(compact=True)):
        answer = client.post("/api/v1/licenses/verify", {"credential": forgery},
                             content_type="application/json").json()  # fmt: skip
        assert answer["valid"] is False


def test_rotation_keeps_old_licenses_verifiable(client, citizen, issue):
    old = issue(person=citizen.person)
    issuer_key_rotate(authority=authority_of("PSB"))
    new = issue(person=citizen.person, code="household_register")
    assert old.kid != new.kid
    keys = published_keys(client)
    independent_verify(old.credential, keys)
    independent_verify(new.credential, keys)
    for license in (old, new):
        answer = client.post("/api/v1/licenses/verify", {"credential": license.credential},
                             content_type="application/json").json()  # fmt: skip
        assert answer["valid"] is True and answer["holder"] == "陈*玲"
        assert "440703" not in json.dumps(answer)  # minimum disclosure: no ID number


def test_suspension_and_reinstatement(client, citizen, issue):
    from conftest import _staff
    from core.errors import Conflict

    license = issue(person=citizen.person)
    officer = _staff("psb-reviewer", "reviewer", "PSB")
    license_set_status(actor=officer, license=license, status="suspended", reason="核查中")
    verify = lambda: client.post("/api/v1/licenses/verify", {"credential": license.credential},  # noqa: E731
                                 content_type="application/json").json()["reason"]  # fmt: skip
    assert verify() == "suspended"
    license_set_status(actor=officer, license=license, status="valid", reason="核查无误")
    assert verify() == "ok"
    license_set_status(actor=officer, license=license, status="revoked", reason="注销")
    with pytest.raises(Conflict):
        license_set_status(actor=officer, license=license, status="valid", reason="撤回")
    assert verify() == "revoked"
