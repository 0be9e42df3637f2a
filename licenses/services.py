"""Writes to the e-license registry: types, keys, issuance, status, consent, fetch and
verification. Every fetch and every verification by staff lands in the holder's "who used
my data" log; issuance and revocation go to the transparency ledger."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AccessKind
from accounts.services import data_access_record, notify
from core.errors import Conflict, Forbidden, InvalidInput, NotFound, require
from core.masking import mask_name
from directory.selectors import department_list
from ledger.services import ledger_append

from . import credentials
from .models import (
    Consent,
    IssuerKey,
    License,
    LicenseStatus,
    LicenseType,
    StatusList,
    StatusPurpose,
)
from .permissions import can_change_status, can_fetch_for, can_issue, is_holder

DATA_DIR = Path(__file__).parent / "data"
SHARE_SALT = "licenses.share"


@transaction.atomic
def license_types_load(*, path: Path | None = None) -> int:
    """Load the e-license types from license_types.json (issuers must exist)."""
    data = json.loads((path or DATA_DIR / "license_types.json").read_text(encoding="utf-8"))
    departments = {d.code: d for d in department_list()}
    for row in data["license_types"]:
        issuer = departments.get(row["issuer"])
        if issuer is None:
            raise InvalidInput(f"unknown issuing department {row['issuer']}", field="issuer")
        values = {
            "name_zh": row["name_zh"], "name_en": row["name_en"], "issuer": issuer,
            "holder_kind": row.get("holder", "person"), "fields": row.get("fields", []),
            "validity_years": row.get("validity_years"),
            "issued_by_items": row.get("issued_by_items", []),
        }  # fmt: skip
        found = LicenseType.objects.filter(code=row["code"]).first()
        if found is None:
            LicenseType.objects.create(code=row["code"], **values)
        elif any(getattr(found, k) != v for k, v in values.items()):
            LicenseType.objects.filter(pk=found.pk).update(**values)
    return len(data["license_types"])


# Keys ---------------------------------------------------------------------------------------


def issuer_key(authority) -> IssuerKey:
    """The key that signs for ``authority`` now. In development and the demo one is made on
    first use; in production (LICENSES_GENERATE_KEYS off) keys come from configuration
    (`onestop licenses import-key`)."""
    key = IssuerKey.objects.filter(authority=authority, retired_at__isnull=True).first()
    if key is not None:
        return key
    if not settings.LICENSES_GENERATE_KEYS:
        raise Conflict(_("This authority has no signing key configured."))
    return issuer_key_rotate(authority=authority)


@transaction.atomic
def issuer_key_rotate(*, authority, private_pem: str | None = None) -> IssuerKey:
    """Start signing with a new key (generated, or ``private_pem`` from configuration); the
    old one is retired but stays published, so what it signed still verifies."""
    if private_pem:
        from joserfc.jwk import ECKey

        public = ECKey.import_key(private_pem).as_dict(private=False)
    else:
        public, private_pem = credentials.new_key()
    IssuerKey.objects.filter(authority=authority, retired_at__isnull=True).update(
        retired_at=timezone.now()
    )
    return IssuerKey.objects.create(authority=authority, kid=credentials.key_id(public),
                                    public_jwk=public, private_pem=private_pem)  # fmt: skip


# Issuance and status ------------------------------------------------------------------------


def _status_list(authority, purpose: str) -> StatusList:
    found = StatusList.objects.select_for_update().filter(authority=authority,
                                                          purpose=purpose).first()  # fmt: skip
    if found is not None:
        return found
    StatusList.objects.get_or_create(authority=authority, purpose=purpose,
                                     defaults={"bits": credentials.empty_bits()})  # fmt: skip
    return StatusList.objects.select_for_update().get(authority=authority, purpose=purpose)


def issuer_id(authority) -> str:
    return f"{settings.SITE_URL}/licenses/issuers/{authority.pk}"


def status_url(authority) -> str:
    return f"{settings.SITE_URL}/api/v1/licenses/status/{authority.pk}"


def _valid_until(license_type: LicenseType, issued_on: dt.date) -> dt.date | None:
    if not license_type.validity_years:
        return None
    try:
        return issued_on.replace(year=issued_on.year + license_type.validity_years)
    except ValueError:  # 29 February
        return issued_on.replace(year=issued_on.year + license_type.validity_years, day=28)


@transaction.atomic
def license_issue(*, actor, authority, license_type: LicenseType, fields: dict,
                  holder_person=None, holder_enterprise=None, issued_on: dt.date | None = None,
                  case_ref: str = "", is_demo: bool = False) -> License:  # fmt: skip
    """Issue a license, signed by ``authority``'s key, into the holder's wallet.
    Needs: an issuing role at the authority (``actor=None`` for set-up commands).
    Records: license.issued in the ledger; a notice to the holder."""
    if actor is not None:
        require(can_issue(actor, authority))
    if (holder_person is None) == (holder_enterprise is None):
        raise InvalidInput(_("A license has exactly one holder."), field="holder")
    if not isinstance(fields, dict):
        raise InvalidInput(_("The fields must be an object."), field="fields")
    issued_on = issued_on or timezone.localdate()
    revocation = _status_list(authority, StatusPurpose.REVOCATION)
    index = revocation.next_index
    if index >= credentials.STATUS_LIST_BITS:
        raise Conflict(_("This authority's status list is full."))
    StatusList.objects.filter(pk=revocation.pk).update(next_index=index + 1)
    key = issuer_key(authority)
    number = (
        f"{authority.region.code}{issued_on:%Y}{license_type.pk:03d}{authority.pk:04d}{index:07d}"
    )
    holder_name = (holder_person.name if holder_person is not None
                   else holder_enterprise.name)  # fmt: skip
    subject = {"holderName": holder_name, **fields}
    valid_until = _valid_until(license_type, issued_on)
    payload = credentials.license_credential(
        number=number, type_code=license_type.code, type_name=license_type.name_zh,
        issuer_id=issuer_id(authority), issuer_name=authority.name_zh, subject=subject,
        valid_from=issued_on, valid_until=valid_until, status_url=status_url(authority),
        index=index,
    )  # fmt: skip
    token = credentials.sign(payload, private_pem=key.private_pem, kid=key.kid)
    license = License.objects.create(
        number=number, type=license_type, holder_person=holder_person,
        holder_enterprise=holder_enterprise, authority=authority,
        fields_json=json.dumps(subject, ensure_ascii=False), issued_on=issued_on,
        valid_until=valid_until, status_index=index, credential=token, kid=key.kid,
        case_ref=case_ref, is_demo=is_demo,
    )  # fmt: skip
    ledger_append(actor=actor, action="license.issued", subject=license,
                  payload=issued_payload(license))  # fmt: skip
    holder_user = holder_person.user if holder_person is not None else None
    if holder_user is not None and not is_demo:
        notify(user=holder_user, url="/licenses/wallet/",
               subject=gettext_lazy("A new e-license is in your wallet: %(name)s"),
               params={"name": license_type.name_zh})  # fmt: skip
    return license


def issued_payload(license: License) -> dict:
    return {
        "number": license.number,
        "type": license.type.code,
        "authority": license.authority_id,
        "credential_sha256": hashlib.sha256(license.credential.encode()).hexdigest(),
    }


def revoked_payload(license: License) -> dict:
    return {"number": license.number, "status": "revoked"}


def register_ledger_payloads() -> None:
    from ledger.registry import register_payload

    def by_pk(build):
        return lambda pk: build(License.objects.select_related("type").get(pk=pk))

    register_payload("license.issued", by_pk(issued_payload))
    register_payload("license.revoked", by_pk(revoked_payload))


@transaction.atomic
def license_set_status(*, actor, license: License, status: str, reason: str) -> License:
    """Suspend, reinstate or revoke (final) a license, with a reason; the issuer's status
    lists change with it. Needs: an issuing role at the license's authority.
    Records: license.revoked in the ledger; a notice to the holder."""
    require(can_change_status(actor, license))
    if status not in LicenseStatus.values:
        raise InvalidInput(_("Unknown status."), field="status")
    if len(reason.strip()) < 2:
        raise InvalidInput(_("Give the reason."), field="reason")
    if license.status == LicenseStatus.REVOKED:
        raise Conflict(_("A revoked license stays revoked."))
    moved = License.objects.filter(pk=license.pk, status=license.status).update(
        status=status, status_reason=reason.strip()[:300]
    )
    if moved != 1:
        raise Conflict(_("This license changed meanwhile; reload it."))
    for purpose, on in ((StatusPurpose.REVOCATION, status == LicenseStatus.REVOKED),
                        (StatusPurpose.SUSPENSION, status == LicenseStatus.SUSPENDED)):  # fmt: skip
        row = _status_list(license.authority, purpose)
        bits = credentials.set_bit(bytes(row.bits), license.status_index, on)
        StatusList.objects.filter(pk=row.pk).update(bits=bits, version=row.version + 1)
    license.refresh_from_db()
    if status == LicenseStatus.REVOKED:
        ledger_append(actor=actor, action="license.revoked", subject=license,
                      payload=revoked_payload(license))  # fmt: skip
    if license.holder_person is not None:
        notify(
            user=license.holder_person.user,
            url="/licenses/wallet/",
            subject=gettext_lazy("Your e-license %(number)s is now: %(status)s"),
            params={"number": license.number, "status": license.get_status_display()},
        )
    return license


# Consent, fetch and verification ------------------------------------------------------------


@transaction.atomic
def consent_grant(*, actor, license_type: LicenseType, authority, case_ref: str) -> Consent:
    """The holder agrees that ``authority`` fetch their ``license_type`` for one application.
    Needs: a signed-in person (for an enterprise's license: one who acts for it)."""
    require(getattr(actor, "is_authenticated", False) and actor.is_person)
    consent, _created = Consent.objects.get_or_create(
        holder_user=actor, license_type=license_type, case_ref=case_ref,
        defaults={"authority": authority},
    )  # fmt: skip
    return consent


def _legal_basis(authority, license_type: LicenseType) -> bool:
    allowed = settings.LICENSES_LEGAL_BASES.get(authority.department.code, [])
    return license_type.code in allowed


def _consented(license: License, authority, case_ref: str) -> bool:
    consents = Consent.objects.filter(license_type=license.type, authority=authority,
                                      case_ref=case_ref, revoked_at__isnull=True)  # fmt: skip
    for consent in consents.select_related("holder_user"):
        if is_holder(consent.holder_user, license):
            return True
    return False


def _holder_licenses(license_type, holder_person=None, holder_enterprise=None):
    found = License.objects.select_related(
        "type", "authority", "holder_person__user", "holder_enterprise"
    ).filter(type=license_type)
    if holder_person is not None:
        return found.filter(holder_person=holder_person)
    return found.filter(holder_enterprise=holder_enterprise)


def _log(license: License, *, staff, authority, kind: str, purpose: str, case_ref: str = ""):
    person = license.holder_person
    enterprise = license.holder_enterprise
    if person is None and enterprise is not None:
        person = enterprise.legal_representative
    if person is None:  # a license always has a holder (a check constraint)
        raise NotFound()
    data_access_record(
        person=person, enterprise=enterprise, staff=staff, authority=authority, kind=kind,
        purpose=purpose, subject=f"{license.type.name_zh} {license.number}", case_ref=case_ref,
    )  # fmt: skip


@transaction.atomic
def license_fetch(*, actor, authority, license_type: LicenseType, case_ref: str, purpose: str,
                  holder_person=None, holder_enterprise=None) -> License:  # fmt: skip
    """Fetch the holder's valid license of ``license_type`` for an application, instead of
    asking for a copy. Needs: staff of ``authority`` (or ``actor=None``: the system acting
    for it when an application is submitted) and the holder's consent for that application,
    or a legal basis in LICENSES_LEGAL_BASES. Records: the holder's data-use log."""
    if actor is not None:
        require(can_fetch_for(actor, authority))
    if len(purpose.strip()) < 2:
        raise InvalidInput(_("State why you need this license."), field="purpose")
    today = timezone.localdate()
    license = (
        _holder_licenses(license_type, holder_person, holder_enterprise)
        .filter(status=LicenseStatus.VALID)
        .exclude(valid_until__lt=today)
        .order_by("-issued_on", "-pk")
        .first()
    )
    if license is None:
        raise NotFound(_("The holder has no valid license of this kind."))
    if not (_consented(license, authority, case_ref) or _legal_basis(authority, license_type)):
        raise Forbidden(_("The holder has not agreed to this, and no law allows it."))
    check = license_check(license.credential)
    if not check.valid:
        raise Conflict(_("The registry's copy does not verify: %(reason)s") % {
            "reason": check.reason})  # fmt: skip
    _log(license, staff=actor, authority=authority, kind=AccessKind.FETCH, purpose=purpose,
         case_ref=case_ref)  # fmt: skip
    return license


@dataclass(frozen=True)
class Verification:
    """What a verifier learns: only the minimum (no ID numbers, the holder's name masked)."""

    valid: bool
    reason: str  # ok | malformed | unknown_key | signature | expired | revoked | suspended |
    #             not_yet_valid | unknown_license
    number: str = ""
    type_name: str = ""
    issuer_name: str = ""
    holder: str = ""
    valid_from: str = ""
    valid_until: str = ""
    license: License | None = None


def license_check(token: str) -> Verification:
    """Check a credential: signature by a published key of the issuer it names, the
    registry's record, validity dates and the issuer's status lists."""
    try:
        header = credentials.unverified_header(token)
        key = IssuerKey.objects.select_related("authority").filter(
            kid=str(header.get("kid", ""))).first()  # fmt: skip
        if key is None:
            return Verification(False, "unknown_key")
        payload = credentials.verify(token, key.public_jwk)
    except credentials.InvalidCredential as error:
        return Verification(False, error.reason)
    if payload.get("issuer", {}).get("id") != issuer_id(key.authority):
        return Verification(False, "signature")
    subject = payload.get("credentialSubject", {})
    license = License.objects.select_related("type", "authority").filter(
        number=subject.get("licenseNumber", ""), authority=key.authority).first()  # fmt: skip
    if license is None:
        return Verification(False, "unknown_license")
    now = timezone.now()
    facts = {
        "number": license.number, "type_name": license.type.name, "license": license,
        "issuer_name": license.authority.name, "holder": mask_name(subject.get("holderName", "")),
        "valid_from": payload.get("validFrom", "")[:10],
        "valid_until": payload.get("validUntil", "")[:10],
    }  # fmt: skip
    lists = {row.purpose: bytes(row.bits) for row in
             StatusList.objects.filter(authority=key.authority)}  # fmt: skip
    for purpose in (StatusPurpose.REVOCATION, StatusPurpose.SUSPENSION):
        bits = lists.get(purpose)
        if bits and credentials.get_bit(bits, license.status_index):
            return Verification(False, "revoked" if purpose == "revocation" else "suspended",
                                **facts)  # fmt: skip
    try:
        valid_from = dt.datetime.fromisoformat(payload["validFrom"])
        valid_until = (dt.datetime.fromisoformat(payload["validUntil"])
                       if payload.get("validUntil") else None)  # fmt: skip
    except (KeyError, TypeError, ValueError):
        return Verification(False, "malformed", **facts)
    if valid_until is not None and valid_until < now:
        return Verification(False, "expired", **facts)
    if valid_from > now:
        return Verification(False, "not_yet_valid", **facts)
    return Verification(True, "ok", **facts)


@transaction.atomic
def license_verify(*, actor, token: str) -> Verification:
    """Public verification; a verification by staff is logged for the holder."""
    result = license_check(token)
    staff = actor if getattr(actor, "is_authenticated", False) and actor.is_staff_member else None
    if staff is not None and result.license is not None:
        assignment = staff.assignments.select_related("authority").first()
        _log(result.license, staff=staff, authority=assignment.authority if assignment else None,
             kind=AccessKind.VERIFY, purpose=_("Verified a presented license"))  # fmt: skip
    return result


def share_token(*, actor, license: License) -> str:
    """A link token the holder hands to someone: it shows the verification for 15 minutes."""
    require(is_holder(actor, license))
    return signing.dumps({"n": license.number}, salt=SHARE_SALT, compress=True)


def shared_license(token: str) -> License:
    try:
        data = signing.loads(token, salt=SHARE_SALT, max_age=settings.LICENSES_SHARE_SECONDS)
    except signing.BadSignature:
        raise NotFound(_("This link has expired or is not valid.")) from None
    license = License.objects.filter(number=data.get("n", "")).first()
    if license is None:
        raise NotFound()
    return license


def status_list_token(row: StatusList) -> str:
    """The issuer's status list as a signed BitstringStatusListCredential."""
    key = issuer_key(row.authority)
    url = f"{status_url(row.authority)}/{row.purpose}"
    payload = credentials.status_list_credential(
        url=url, issuer_id=issuer_id(row.authority), purpose=row.purpose, bits=bytes(row.bits),
        valid_from=row.updated_at,
    )  # fmt: skip
    return credentials.sign(payload, private_pem=key.private_pem, kid=key.kid)
