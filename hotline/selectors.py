"""Reads of the hotline app (first slice): the current routing model, loaded once per process."""

from __future__ import annotations

import hashlib
import pickle
import threading

from .models import RoutingModel
from .routing import Router, Suggestion

_lock = threading.Lock()
_loaded: dict[str, object] = {}


def router() -> Router:
    """The newest stored model (trained and stored on first use if there is none). Loaded
    once per process; a newer version stored later is picked up on the next check."""
    latest = RoutingModel.objects.order_by("-version").values_list("version", flat=True).first()
    with _lock:
        if latest is not None and _loaded.get("version") == latest:
            return _loaded["router"]  # type: ignore[return-value]
        if latest is None:
            from .services import routing_model_train

            row = routing_model_train()
        else:
            row = RoutingModel.objects.get(version=latest)
        blob = bytes(row.blob)
        if hashlib.sha256(blob).hexdigest() != row.sha256:
            raise RuntimeError(f"routing model v{row.version} does not match its digest")
        _loaded.update(version=row.version, router=pickle.loads(blob))  # noqa: S301
        return _loaded["router"]  # type: ignore[return-value]


def route(text: str) -> Suggestion:
    return router().suggest(text)


def route_many(texts: list[str]) -> list[list[str]]:
    return router().top(texts)
