from django.contrib import admin

from .models import Consent, IssuerKey, License, LicenseType


@admin.register(LicenseType)
class LicenseTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "issuer", "holder_kind", "validity_years"]
    list_filter = ["issuer", "holder_kind"]
    search_fields = ["code", "name_zh", "name_en"]


class ReadOnly(admin.ModelAdmin):
    """Licenses, keys and consents change only through the services (signatures, status
    lists and the ledger move with them)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(License)
class LicenseAdmin(ReadOnly):
    list_display = ["number", "type", "authority", "issued_on", "valid_until", "status"]
    list_filter = ["status", "type"]
    search_fields = ["number"]
    exclude = ["fields_json"]  # personal data stays out of the back office lists


@admin.register(IssuerKey)
class IssuerKeyAdmin(ReadOnly):
    list_display = ["kid", "authority", "created_at", "retired_at"]
    exclude = ["private_pem"]


@admin.register(Consent)
class ConsentAdmin(ReadOnly):
    list_display = ["case_ref", "license_type", "authority", "granted_at", "revoked_at"]
