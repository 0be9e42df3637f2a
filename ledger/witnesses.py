"""Asking witnesses to cosign our checkpoints (C2SP tlog-witness add-checkpoint)."""

from __future__ import annotations

import base64
import logging
import urllib.request
from urllib.error import HTTPError

from core.errors import DomainError

from . import selectors, services
from .keys import configured_witnesses
from .models import Checkpoint, Cosignature

log = logging.getLogger(__name__)


def _local(body: str) -> tuple[int, str]:
    """The demo witness runs in this deployment: the endpoint's own service, in-process."""
    try:
        old, proof, note = services.decode_add_checkpoint(body)
        return 200, services.witness_add_checkpoint(old_size=old, proof=proof, note=note)
    except services.WitnessConflict as exc:
        return 409, f"{exc.size}\n"
    except DomainError as exc:
        return exc.status, str(exc.detail)


def _post(url: str, body: str) -> tuple[int, str]:
    if url == "local":
        return _local(body)
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"a witness URL must be http(s): {url!r}")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=body.encode(),
        method="POST",
        headers={"Content-Type": "text/plain; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except HTTPError as exc:
        return exc.code, exc.read().decode()


def _last_cosigned_size(witness: str) -> int:
    last = Cosignature.objects.filter(witness=witness).order_by("-checkpoint__size").first()
    return last.checkpoint.size if last else 0


def collect_cosignatures(checkpoint: Checkpoint) -> int:
    """Ask every configured witness; keep each valid cosignature. Returns how many we hold."""
    for witness in configured_witnesses():
        name = witness.verifier.name
        if checkpoint.cosignatures.filter(witness=name).exists():
            continue
        old = _last_cosigned_size(name)
        for _attempt in range(2):
            proof = selectors.consistency_proof(first=old, second=checkpoint.size) if old else []
            body = services.encode_add_checkpoint(old, proof, checkpoint.note)
            status, text = _post(witness.url, body)
            if status == 409 and text.strip().isdigit():
                old = int(text.strip())  # the witness knows a different size: retry from it
                continue
            break
        if status != 200:
            log.warning(
                "witness %s refused checkpoint %s: %s %s", name, checkpoint.size, status, text[:200]
            )
            continue
        services.cosignature_record(checkpoint=checkpoint, verifier=witness.verifier, line=text)
    return checkpoint.cosignatures.count()


def _get(url: str) -> str:
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"a log URL must be http(s): {url!r}")
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - scheme checked
        return response.read().decode()


def witness_poll(base_url: str) -> str:
    """As a witness, pull mode: fetch another city's latest checkpoint and the consistency
    proof from the size we cosigned last, check both, and cosign. Returns the cosignature
    line (also kept, and served at /api/v1/ledger/witness/cosignature)."""
    import json

    from .models import WitnessedLog
    from .verify import checkpoint_text_root

    base = base_url.rstrip("/")
    note = _get(f"{base}/api/v1/ledger/checkpoint")
    checkpoint = checkpoint_text_root(note)
    state = WitnessedLog.objects.filter(origin=checkpoint.origin).first()
    old = state.size if state else 0
    proof: list[bytes] = []
    if 0 < old < checkpoint.size:
        body = json.loads(
            _get(f"{base}/api/v1/ledger/proof/consistency?first={old}&second={checkpoint.size}")
        )
        proof = [base64.b64decode(p) for p in body["proof"]]
    return services.witness_add_checkpoint(old_size=old, proof=proof, note=note)
