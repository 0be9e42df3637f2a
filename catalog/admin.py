"""Back-office editing of the catalog. Saves go through the services: validated, recorded in
the item's change history, reindexed. Item codes cannot be changed once created."""

from django.contrib import admin
from django.core.exceptions import ValidationError as DjangoValidationError

from core.admin import ReadOnlyAdmin
from core.errors import DomainError

from . import services
from .models import Bundle, BundleItem, ItemChange, LexiconEntry, LifeEvent, Material, ServiceItem


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0
    autocomplete_fields = ["license_type"]


class ItemChangeInline(admin.TabularInline):
    model = ItemChange
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "changes"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "department", "kind", "promised_limit_days", "instant",
                    "is_active"]  # fmt: skip
    list_filter = ["department", "kind", "applicant", "instant", "cross_border", "is_active"]
    search_fields = ["code", "name_zh", "name_en"]
    filter_horizontal = ["life_events"]
    inlines = [MaterialInline, ItemChangeInline]
    readonly_fields = ["view_count", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "code"] if obj is not None else fields

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        original = ServiceItem.objects.get(pk=obj.pk)
        edits = {f: form.cleaned_data[f] for f in form.changed_data if f in services.EDITABLE}
        try:
            services.item_update(actor=request.user, item=original, changes=edits)
        except DomainError as exc:
            raise DjangoValidationError(str(exc.detail)) from exc
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        what = [fs.model._meta.verbose_name_plural for fs in formsets if fs.has_changed()]
        if "life_events" in form.changed_data:
            what.append("life events")
        if what or not change:
            services.item_related_changed(
                actor=request.user, item=form.instance, what=[str(w) for w in what] or ["created"]
            )


class BundleItemInline(admin.TabularInline):
    model = BundleItem
    extra = 0
    autocomplete_fields = ["item"]


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "position"]
    inlines = [BundleItemInline]


@admin.register(LifeEvent)
class LifeEventAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "position"]


@admin.register(LexiconEntry)
class LexiconEntryAdmin(admin.ModelAdmin):
    list_display = ["phrase", "expansions", "weight", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["phrase", "expansions"]

    def save_model(self, request, obj, form, change):
        try:
            services.lexicon_entry_save(
                actor=request.user, phrase=obj.phrase, expansions=obj.expansions,
                weight=obj.weight, note=obj.note, is_active=obj.is_active,
            )  # fmt: skip
        except DomainError as exc:
            raise DjangoValidationError(str(exc.detail)) from exc
        obj.pk = LexiconEntry.objects.get(phrase=" ".join(obj.phrase.split())).pk


@admin.register(ItemChange)
class ItemChangeAdmin(ReadOnlyAdmin):
    list_display = ["item", "actor", "at"]
