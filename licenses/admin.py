from django.contrib import admin

from .models import LicenseType


@admin.register(LicenseType)
class LicenseTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "issuer"]
    list_filter = ["issuer"]
    search_fields = ["code", "name_zh", "name_en"]
