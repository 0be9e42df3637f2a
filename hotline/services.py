"""Writes of the hotline app (first slice): training and storing a routing model version."""

from __future__ import annotations

import hashlib
import pickle
import time

from django.db import transaction
from django.db.models import Max

from .models import RoutingModel
from .routing import Router, catalogue, training_rows


@transaction.atomic
def routing_model_train(*, extra: list[dict] | None = None) -> RoutingModel:
    """`onestop hotline train`: fit the router on the bundled tickets (and ``extra`` rows,
    e.g. the city's closed orders with the department that handled them) and store it as
    the next version."""
    rows = training_rows() + list(extra or [])
    started = time.perf_counter()
    router = Router(catalogue()["departments"]).fit([r["text"] for r in rows],
                                                    [r["department"] for r in rows])  # fmt: skip
    seconds = round(time.perf_counter() - started, 2)
    blob = pickle.dumps(router, protocol=pickle.HIGHEST_PROTOCOL)
    version = (RoutingModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    return RoutingModel.objects.create(
        version=version, samples=len(rows), catalogue_version=catalogue()["version"],
        metrics={"train_seconds": seconds}, blob=blob, sha256=hashlib.sha256(blob).hexdigest(),
    )  # fmt: skip
