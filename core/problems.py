"""RFC 9457 problem details: the one error format of the whole API."""

from __future__ import annotations

from http import HTTPStatus

from django.http import JsonResponse
from ninja import Schema

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_response(
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    errors: list[dict] | None = None,
    instance: str | None = None,
    type_: str = "about:blank",
) -> JsonResponse:
    body: dict = {
        "type": type_,
        "title": str(title or HTTPStatus(status).phrase),
        "status": status,
    }
    if detail:
        body["detail"] = str(detail)
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return JsonResponse(
        body,
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


class FieldErrorOut(Schema):
    field: str
    message: str


class ProblemOut(Schema):
    """RFC 9457 problem details, with ``errors`` naming each bad field."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldErrorOut] | None = None


def with_problems(responses: dict | type, *codes: int) -> dict:
    """Operation responses plus the problem documents it may answer with.

    Every operation may answer 400 (unreadable request) and 422 (bad input); ``codes`` adds
    the others it can give.
    """
    if not isinstance(responses, dict):
        responses = {200: responses}
    return {**responses, **dict.fromkeys((400, 422, *codes), ProblemOut)}
