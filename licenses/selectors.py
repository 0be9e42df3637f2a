"""Reads of the e-license registry. License types are public information."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.selectors import enterprise_list

from .models import IssuerKey, License, LicenseStatus, LicenseType, StatusList


def license_type_list() -> QuerySet[LicenseType]:
    return LicenseType.objects.select_related("issuer")


def license_type_get(*, code: str) -> LicenseType | None:
    return license_type_list().filter(code=code).first()


def license_types_issued_by(*, item_code: str) -> list[LicenseType]:
    """The license types an approval of ``item_code`` issues."""
    return [t for t in license_type_list() if item_code in (t.issued_by_items or [])]


def wallet(*, actor) -> QuerySet[License]:
    """The actor's licenses and those of the enterprises they act for."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_person:
        return License.objects.none()
    enterprises = enterprise_list(actor=actor).values("pk")
    return License.objects.select_related("type", "authority", "holder_enterprise").filter(
        Q(holder_person__user=actor) | Q(holder_enterprise__in=enterprises)
    )


def valid_license_types(*, actor) -> set[int]:
    """Ids of the license types the actor holds a valid license of (for the apply form)."""
    return set(wallet(actor=actor).filter(status=LicenseStatus.VALID)
               .values_list("type_id", flat=True))  # fmt: skip


def jwks() -> dict:
    """Every issuer key, current and retired, as a JWK Set (RFC 7517)."""
    keys = []
    for key in IssuerKey.objects.order_by("pk"):
        keys.append({**key.public_jwk, "kid": key.kid, "use": "sig", "alg": "ES256"})
    return {"keys": keys}


def status_list_get(*, authority_id: int, purpose: str) -> StatusList | None:
    return StatusList.objects.select_related("authority").filter(
        authority_id=authority_id, purpose=purpose).first()  # fmt: skip


def license_get(*, number: str) -> License | None:
    return License.objects.select_related("type", "authority").filter(number=number).first()
