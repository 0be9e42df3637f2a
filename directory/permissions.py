"""Who may change the directory. Reading it is public: it describes the government itself."""

from __future__ import annotations


def can_manage_directory(actor) -> bool:
    """Only platform administrators edit regions, departments, halls and outlets."""
    return bool(getattr(actor, "is_authenticated", False) and actor.is_superuser)
