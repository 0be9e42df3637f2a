from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Rating, Rectification, ServiceEvent


@admin.register(ServiceEvent)
class ServiceEventAdmin(ReadOnlyAdmin):
    list_display = ["kind", "ref", "department", "hall", "channel", "ended_at"]
    list_filter = ["kind", "channel"]
    search_fields = ["ref"]


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    """Ratings are never edited or deleted by hand; unfounded ones are marked by a service."""

    list_display = ["event", "level", "department", "hall", "day", "unfounded"]
    list_filter = ["level", "channel", "unfounded"]


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ["rating", "authority", "status", "due_on", "on_time", "callback_at"]
    list_filter = ["status"]
