"""Pagination for list endpoints: bounded limit and offset (huge numbers are a 422)."""

from __future__ import annotations

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class BoundedPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=500, description="Items per page (at most 500)")
        offset: int = Field(0, ge=0, le=10_000_000, description="Items to skip")

    def __init__(self, **kwargs):
        super().__init__(max_limit=settings.NINJA_PAGINATION_MAX_LIMIT, **kwargs)
