from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Case, CaseEvent, FeeItem, Payment, PaymentNotice, PaymentOrder, Refund, WorkItem


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


@admin.register(FeeItem)
class FeeItemAdmin(ReadOnlyAdmin):
    """The fee schedule changes by loading a schedule file (`onestop cases load-fees`)."""

    list_display = ["code", "item", "name_zh", "amount", "unit_zh", "when_value", "version"]
    search_fields = ["code", "name_zh"]


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False
    readonly_fields = ["receipt_no", "amount", "method", "provider", "provider_txn", "hall",
                       "cashier", "is_test", "at"]  # fmt: skip
    fields = readonly_fields


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    readonly_fields = ["amount", "reason", "by", "provider_ref", "at"]
    fields = readonly_fields


@admin.register(PaymentOrder)
class PaymentOrderAdmin(ReadOnlyAdmin):
    """Money moves only through the charge services; the admin shows it."""

    list_display = ["code", "case", "authority", "status", "amount_due", "amount_paid",
                    "amount_refunded", "created_at"]  # fmt: skip
    list_filter = ["status"]
    search_fields = ["code", "case__receipt_no"]
    exclude = ["lines"]
    inlines = [PaymentInline, RefundInline]


@admin.register(PaymentNotice)
class PaymentNoticeAdmin(ReadOnlyAdmin):
    list_display = ["at", "provider", "accepted", "reason", "provider_txn", "remote_addr"]
    list_filter = ["provider", "accepted"]
