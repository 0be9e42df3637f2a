"""E-license registry (电子证照库): license types, the licenses each department issues as
signed W3C Verifiable Credentials, the issuers' keys and status lists, and holders' consents
to fetch a license for one application."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedTextField
from core.models import NamedModel

FIELD_LABELS = {
    "holderName": _("Holder"),
    "idNumber": _("Identity number"),
    "address": _("Address"),
    "uscc": _("Unified social credit code"),
    "businessName": _("Business name"),
    "scope": _("Business scope"),
    "vehicleClass": _("Vehicle class"),
    "spouseName": _("Spouse"),
    "cardNumber": _("Card number"),
}
MASKED_FIELDS = {"idNumber", "cardNumber"}


class HolderKind(models.TextChoices):
    PERSON = "person", _("Person")
    ENTERPRISE = "enterprise", _("Enterprise")


class LicenseType(NamedModel):
    """证照类型: a kind of licence or certificate (resident ID card, business licence, …)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    issuer = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="license_types",
        verbose_name=_("issuing department"),
    )
    holder_kind = models.CharField(_("held by"), max_length=12, choices=HolderKind.choices,
                                   default=HolderKind.PERSON)  # fmt: skip
    fields = models.JSONField(_("fields"), default=list, blank=True)
    validity_years = models.PositiveSmallIntegerField(_("valid for (years)"), null=True,
                                                      blank=True)  # fmt: skip
    # Items whose approval issues a license of this type (catalog item codes).
    issued_by_items = models.JSONField(_("issued on approval of"), default=list, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("license type")
        verbose_name_plural = _("license types")


class IssuerKey(models.Model):
    """An issuing authority's signing key (ES256). The newest unretired key signs; retired
    keys stay published so the licenses they signed still verify."""

    authority = models.ForeignKey("directory.Authority", on_delete=models.PROTECT,
                                  related_name="license_keys")  # fmt: skip
    kid = models.CharField(_("key id"), max_length=80, unique=True)
    public_jwk = models.JSONField()
    private_pem = EncryptedTextField(blank=True)  # empty when the key lives in configuration
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["authority", "-created_at"]
        verbose_name = _("issuer key")
        verbose_name_plural = _("issuer keys")

    def __str__(self) -> str:
        return self.kid


class LicenseStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


class License(models.Model):
    """One license held by a person or an enterprise, with its signed credential."""

    number = models.CharField(_("license number"), max_length=40, unique=True)
    type = models.ForeignKey(LicenseType, on_delete=models.PROTECT, related_name="licenses")
    holder_person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="licenses")  # fmt: skip
    holder_enterprise = models.ForeignKey(
        "accounts.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="licenses",
    )
    authority = models.ForeignKey("directory.Authority", on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("issued by"))  # fmt: skip
    fields_json = EncryptedTextField(_("fields"))  # personal data: encrypted at rest
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=LicenseStatus.choices,
                              default=LicenseStatus.VALID)  # fmt: skip
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    status_index = models.PositiveIntegerField()
    credential = models.TextField(_("credential (JWS)"))
    kid = models.CharField(max_length=80)
    case_ref = models.CharField(_("issued for application"), max_length=40, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["type__code", "-issued_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "status_index"], name="uniq_license_status_index"
            ),
            models.CheckConstraint(
                condition=Q(holder_person__isnull=False) | Q(holder_enterprise__isnull=False),
                name="license_has_holder",
            ),
        ]
        verbose_name = _("license")
        verbose_name_plural = _("licenses")

    def __str__(self) -> str:
        return self.number

    @property
    def fields(self) -> dict:
        import json

        return json.loads(self.fields_json or "{}")

    @property
    def display_fields(self) -> list[tuple[str, str]]:
        """(label, value) for pages: identity and card numbers masked."""
        from core.masking import mask_id

        return [
            (str(FIELD_LABELS.get(key, key)),
             mask_id(str(value)) if key in MASKED_FIELDS else str(value))
            for key, value in self.fields.items()
        ]  # fmt: skip


class StatusPurpose(models.TextChoices):
    REVOCATION = "revocation", _("Revocation")
    SUSPENSION = "suspension", _("Suspension")


class StatusList(models.Model):
    """A W3C Bitstring Status List of one issuing authority and purpose (131,072 entries)."""

    authority = models.ForeignKey("directory.Authority", on_delete=models.PROTECT,
                                  related_name="+")  # fmt: skip
    purpose = models.CharField(max_length=12, choices=StatusPurpose.choices)
    bits = models.BinaryField()
    next_index = models.PositiveIntegerField(default=0)  # only on the revocation list
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["authority", "purpose"],
                                               name="uniq_status_list")]  # fmt: skip
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")

    def __str__(self) -> str:
        return f"{self.authority_id}:{self.purpose}"


class Consent(models.Model):
    """The holder's consent that one department fetch one kind of license for one
    application (case receipt number)."""

    holder_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                    related_name="license_consents")  # fmt: skip
    license_type = models.ForeignKey(LicenseType, on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey("directory.Authority", on_delete=models.PROTECT,
                                  related_name="+")  # fmt: skip
    case_ref = models.CharField(_("application"), max_length=40)
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["holder_user", "license_type", "case_ref"], name="uniq_consent")]  # fmt: skip
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.holder_user_id}:{self.license_type_id}:{self.case_ref}"
