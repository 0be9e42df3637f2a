"""Domain errors raised by services; the API and the pages turn them into responses."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    status = 400
    title = _("Request not accepted")

    def __init__(self, detail=None, *, field: str | None = None):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.field = field


class NotFound(DomainError):
    """Missing, or not visible to this actor: the same answer for both (no existence leak)."""

    status = 404
    title = _("Not found")


class Forbidden(DomainError):
    status = 403
    title = _("You may not do this")


class Conflict(DomainError):
    """The object moved on (compare-and-set failed) or the value is taken."""

    status = 409
    title = _("Conflict")


class InvalidInput(DomainError):
    """Bad input; ``field`` names the field so the form and the API can point at it."""

    status = 422
    title = _("Invalid input")


def require(allowed: bool, detail=None) -> None:
    """Raise Forbidden unless a permission predicate allowed the action."""
    if not allowed:
        raise Forbidden(detail)
