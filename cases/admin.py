from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Case, CaseEvent, WorkItem


class EventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "action", "note"]
    fields = readonly_fields


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Cases move only through their services; the admin shows them."""

    list_display = ["receipt_no", "item", "status", "channel", "submitted_at", "legal_due_on"]
    list_filter = ["status", "channel"]
    search_fields = ["receipt_no"]
    exclude = ["workflow_state", "form_data"]
    inlines = [EventInline]


@admin.register(WorkItem)
class WorkItemAdmin(ReadOnlyAdmin):
    list_display = ["case", "step", "role", "status", "claimed_by", "created_at"]
    list_filter = ["step", "status"]
