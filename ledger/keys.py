"""The log's and the witness's keys, and the witnesses the log asks, from settings."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import cache

from django.conf import settings

from .note import ALG_COSIGNATURE_V1, Signer, Verifier


def _seed(value: str) -> bytes:
    raw = base64.b64decode(value)
    if len(raw) != 32:
        raise ValueError("an Ed25519 key seed has 32 bytes (base64)")
    return raw


@cache
def log_signer() -> Signer:
    """The log's checkpoint key; its name is the log's origin."""
    return Signer.from_seed(settings.LEDGER_ORIGIN, _seed(settings.LEDGER_SIGNING_KEY))


@cache
def witness_signer() -> Signer | None:
    """This deployment's key as a witness of other logs (None: not a witness)."""
    if not settings.WITNESS_SIGNING_KEY:
        return None
    return Signer.from_seed(
        settings.WITNESS_NAME, _seed(settings.WITNESS_SIGNING_KEY), ALG_COSIGNATURE_V1
    )


@cache
def witnessed_logs() -> dict[str, Verifier]:
    """The logs this witness cosigns, by origin: their checkpoint verifier keys.

    With LEDGER_DEMO_WITNESS the witness also follows this deployment's own log, standing
    in for a neighbouring city's witness."""
    verifiers = [Verifier.from_vkey(v) for v in settings.WITNESS_LOG_VKEYS]
    if settings.LEDGER_DEMO_WITNESS:
        verifiers.append(log_signer().verifier)
    return {v.name: v for v in verifiers}


@dataclass(frozen=True)
class WitnessConfig:
    verifier: Verifier
    url: str  # "local" for the in-process demo witness, else its add-checkpoint URL


@cache
def configured_witnesses() -> list[WitnessConfig]:
    """Witnesses the log asks for cosignatures: "vkey url" entries from LEDGER_WITNESSES."""
    result = []
    for item in settings.LEDGER_WITNESSES:
        vkey, _, url = item.partition(" ")
        result.append(WitnessConfig(Verifier.from_vkey(vkey), url.strip() or "local"))
    demo = witness_signer()
    if settings.LEDGER_DEMO_WITNESS and demo is not None:
        result.append(WitnessConfig(demo.verifier, "local"))
    return result


def clear_caches() -> None:
    for fn in (log_signer, witness_signer, witnessed_logs, configured_witnesses):
        fn.cache_clear()
