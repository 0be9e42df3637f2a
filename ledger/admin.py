from django.contrib import admin

from core.admin import ReadOnlyAdmin as ReadOnly

from .models import Checkpoint, Entry


@admin.register(Entry)
class EntryAdmin(ReadOnly):
    list_display = ["index", "action", "subject", "actor", "payload_sha256"]
    list_filter = ["action"]
    search_fields = ["subject", "leaf_hash"]


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnly):
    list_display = ["size", "root", "created_at"]
