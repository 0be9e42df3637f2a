from django.contrib import admin

from .models import Authority, BankOutlet, Department, Hall, Region, Window


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name_zh", "name_en"]
    readonly_fields = ["path", "depth"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "department", "region"]
    list_filter = ["department"]
    search_fields = ["name_zh", "name_en"]
    autocomplete_fields = ["department", "region"]


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0
    autocomplete_fields = ["authorities"]


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "kind", "region", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["code", "name_zh"]
    autocomplete_fields = ["region"]
    inlines = [WindowInline]


@admin.register(BankOutlet)
class BankOutletAdmin(admin.ModelAdmin):
    list_display = ["code", "bank_zh", "branch_zh", "region", "is_demo"]
    list_filter = ["bank_zh", "is_demo"]
    search_fields = ["code", "bank_zh", "branch_zh"]
    autocomplete_fields = ["region"]
