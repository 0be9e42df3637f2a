from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.admin import ReadOnlyAdmin

from .models import DataAccess, Enterprise, EnterpriseAgent, Person, StaffAssignment, User


class StaffAssignmentInline(admin.TabularInline):
    model = StaffAssignment
    extra = 0
    autocomplete_fields = ["authority", "hall"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "kind", "is_active", "is_demo"]
    list_filter = ["kind", "is_active", "is_staff", "is_demo"]
    search_fields = ["username", "display_name"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password", "display_name", "email", "kind"]}),
        ("Preferences", {"fields": ["preferred_language", "elderly_mode"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "display_name", "kind", "password1", "password2"]})
    ]
    inlines = [StaffAssignmentInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """Shows masked numbers only; the full number is never displayed in the back office."""

    list_display = ["name", "id_type", "masked_id", "masked_phone", "is_demo"]
    list_filter = ["id_type", "is_demo"]
    search_fields = ["name"]
    fields = ["user", "name", "id_type", "masked_id", "masked_phone", "region", "is_demo"]
    readonly_fields = ["user", "id_type", "masked_id", "masked_phone"]

    def has_add_permission(self, request):
        return False  # persons register themselves through the service (validated, hashed)


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "legal_representative", "is_demo"]
    search_fields = ["name", "uscc"]
    readonly_fields = ["legal_representative"]


@admin.register(EnterpriseAgent)
class EnterpriseAgentAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "person", "granted_at", "revoked_at"]
    readonly_fields = ["enterprise", "person", "granted_by", "granted_at", "revoked_at"]


@admin.register(DataAccess)
class DataAccessAdmin(ReadOnlyAdmin):
    list_display = ["at", "staff", "person", "purpose"]
