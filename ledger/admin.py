from django.contrib import admin

from .models import Checkpoint, Entry


class ReadOnly(admin.ModelAdmin):
    """The log is append-only: the back office may look, never touch."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Entry)
class EntryAdmin(ReadOnly):
    list_display = ["index", "action", "subject", "actor", "payload_sha256"]
    list_filter = ["action"]
    search_fields = ["subject", "leaf_hash"]


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnly):
    list_display = ["size", "root", "created_at"]
