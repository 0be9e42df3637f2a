"""Public, cache-friendly HTTP of the log; the witness endpoint (C2SP tlog-witness)."""

from __future__ import annotations

import base64

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from core.errors import InvalidInput, NotFound
from core.problems import ProblemOut, with_problems

from . import selectors, services
from .keys import log_signer, witness_signer

router = Router(tags=["ledger"])
IMMUTABLE = "public, max-age=31536000, immutable"
TEXT = {"text/plain": {"schema": {"type": "string"}}}


def _b64(values: list[bytes]) -> list[str]:
    return [base64.b64encode(v).decode() for v in values]


class EntryOut(Schema):
    index: int
    at_us: int = Field(..., description="microseconds since the Unix epoch, UTC")
    action: str
    subject: str
    actor: str = Field(..., description="pseudonym of who acted")
    payload_sha256: str
    leaf_hash: str


class InclusionOut(Schema):
    index: int
    size: int
    leaf_hash: str
    root: str = Field(..., description="base64 root hash of the tree of that size")
    proof: list[str] = Field(..., description="base64 hashes, lowest level first")


class ConsistencyOut(Schema):
    first: int
    second: int
    proof: list[str]


class ReceiptOut(Schema):
    entry: EntryOut
    inclusion: InclusionOut
    checkpoint: str = Field(..., description="the signed checkpoint note")


class KeysOut(Schema):
    log: str = Field(..., description="verifier key of the log (C2SP signed-note vkey)")
    witness: str | None = Field(None, description="verifier key of this witness, if any")


def _cached(response, max_age: int | str):
    response["Cache-Control"] = (
        max_age if isinstance(max_age, str) else f"public, max-age={max_age}"
    )
    return response


@router.get("/keys", response=with_problems(KeysOut), summary="The log's public keys")
def keys(request):
    witness = witness_signer()
    return KeysOut(
        log=log_signer().verifier.vkey, witness=witness.verifier.vkey if witness else None
    )


@router.get(
    "/checkpoint",
    response=with_problems({}, 404),
    openapi_extra={"responses": {200: {"description": "signed note", "content": TEXT}}},
    summary="The latest signed checkpoint with its cosignatures",
)
def checkpoint(request):
    latest = selectors.latest_checkpoint()
    if latest is None:
        raise NotFound()
    note = selectors.checkpoint_note_with_cosignatures(latest)
    return _cached(HttpResponse(note, content_type="text/plain; charset=utf-8"), 10)


@router.get("/entries", response=with_problems(list[EntryOut]), summary="Entries [start, end)")
def entries(
    request,
    response: HttpResponse,
    start: int = Query(..., ge=0, le=2**62),
    end: int = Query(..., ge=0, le=2**62),
):
    if not start <= end <= start + 1000:
        raise InvalidInput(_("end must lie between start and start + 1000."), field="end")
    size = selectors.log_size()
    rows = selectors.entry_list(start=start, end=min(end, size))
    response_rows = [EntryOut.from_orm(e) for e in rows]
    response["Cache-Control"] = IMMUTABLE if end <= size else "public, max-age=10"
    return response_rows


@router.get(
    "/proof/inclusion",
    response=with_problems(InclusionOut, 404),
    summary="Inclusion proof by index or leaf hash, for a tree size",
)
def inclusion(
    request,
    response: HttpResponse,
    index: int | None = Query(None, ge=0, le=2**62),
    leaf_hash: str | None = Query(None, pattern="^[0-9a-fA-F]{64}$"),
    size: int | None = Query(None, ge=0, le=2**62),
):
    if index is None and leaf_hash is None:
        raise InvalidInput(_("Give an index or a leaf_hash."), field="index")
    if index is None:
        index = selectors.entry_by_leaf_hash(leaf_hash=leaf_hash).index
    tree_size, proof, root = selectors.inclusion_proof(index=index, size=size)
    entry = selectors.entry_get(index=index)
    response["Cache-Control"] = IMMUTABLE if size is not None else "public, max-age=10"
    return InclusionOut(
        index=index,
        size=tree_size,
        leaf_hash=entry.leaf_hash,
        root=base64.b64encode(root).decode(),
        proof=_b64(proof),
    )


@router.get(
    "/proof/consistency",
    response=with_problems(ConsistencyOut),
    summary="Consistency proof between two tree sizes",
)
def consistency(
    request,
    response: HttpResponse,
    first: int = Query(..., ge=1, le=2**62),
    second: int = Query(..., ge=1, le=2**62),
):
    proof = selectors.consistency_proof(first=first, second=second)
    response["Cache-Control"] = IMMUTABLE
    return ConsistencyOut(first=first, second=second, proof=_b64(proof))


@router.get(
    "/receipt",
    response=with_problems(list[ReceiptOut], 404),
    summary="Receipts for a logged subject, against the latest checkpoint",
)
def receipt(request, subject: str = Query(..., max_length=120)):
    result = []
    for item in selectors.receipt(subject=subject):
        entry, cp = item["entry"], item["checkpoint"]
        result.append(
            ReceiptOut(
                entry=EntryOut.from_orm(entry),
                inclusion=InclusionOut(
                    index=entry.index,
                    size=cp.size,
                    leaf_hash=entry.leaf_hash,
                    root=base64.b64encode(bytes.fromhex(cp.root)).decode(),
                    proof=_b64(item["proof"]),
                ),
                checkpoint=selectors.checkpoint_note_with_cosignatures(cp),
            )
        )
    return result


@router.get(
    "/witness/cosignature",
    response=with_problems({}, 404),
    openapi_extra={"responses": {200: {"description": "cosigned checkpoint", "content": TEXT}}},
    summary="As a witness: the latest checkpoint we cosigned for a log, with our cosignature",
)
def witness_cosignature(request, origin: str = Query(..., max_length=200)):
    note = selectors.witnessed_checkpoint(origin=origin)
    return _cached(HttpResponse(note, content_type="text/plain; charset=utf-8"), 10)


@router.post(
    "/witness/add-checkpoint",
    response=with_problems({}, 409),
    openapi_extra={
        "requestBody": {"required": True, "content": TEXT},
        "responses": {
            200: {"description": "cosignature line", "content": TEXT},
            409: {
                "description": "the witness's latest size",
                "content": {
                    "text/x.tlog.size": {"schema": {"type": "string"}},
                    "application/problem+json": {"schema": ProblemOut.json_schema()},
                },
            },
        },
    },
    summary="As a witness: cosign a checkpoint that extends the last one (C2SP)",
)
def add_checkpoint(request):
    try:
        body = request.body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(_("The body is not UTF-8 text."), field="body") from exc
    old, proof, note = services.decode_add_checkpoint(body)
    try:
        line = services.witness_add_checkpoint(old_size=old, proof=proof, note=note)
    except services.WitnessConflict as exc:
        return HttpResponse(f"{exc.size}\n", status=409, content_type="text/x.tlog.size")
    return HttpResponse(line, content_type="text/plain; charset=utf-8")
