"""Background work of the catalog."""

from __future__ import annotations

from django_tasks import task


@task()
def rebuild_search_index_task() -> int:
    """Rebuild the search index (after a lexicon change). Idempotent."""
    from .services import search_rebuild

    return search_rebuild()
