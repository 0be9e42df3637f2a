"""The API root at /api/v1/: every app's router, one RFC 9457 error format for all."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from accounts.api import router as accounts_router
from cases.api import router as cases_router
from cases.payments_api import router as payments_router
from catalog.api import router as catalog_router
from core.api import router as core_router
from core.errors import DomainError
from core.problems import PROBLEM_CONTENT_TYPE, problem_response
from directory.api import router as directory_router
from hotline.api import router as hotline_router
from ledger.api import router as ledger_router
from licenses.api import router as licenses_router
from ratings.api import router as ratings_router


class OneStopAPI(NinjaAPI):
    """Declares error responses as application/problem+json in the OpenAPI document."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status).startswith(("4", "5")) and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


api = OneStopAPI(
    title="OneStop API",
    version="1",
    description=(
        "One-stop, one-network government services. Errors are RFC 9457 problem details "
        "(application/problem+json) with an `errors` list naming each bad field."
    ),
    urls_namespace="api-v1",
)

api.add_router("/", core_router)
api.add_router("/directory/", directory_router)
api.add_router("/accounts/", accounts_router)
api.add_router("/ledger/", ledger_router)
api.add_router("/licenses/", licenses_router)
api.add_router("/catalog/", catalog_router)
api.add_router("/cases/", cases_router)
api.add_router("/payments/", payments_router)
api.add_router("/ratings/", ratings_router)
api.add_router("/hotline/", hotline_router)

_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file", "payload"}


def _field(loc) -> str:
    parts = [str(p) for p in loc if str(p) not in _LOCATIONS]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = [{"field": _field(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors]
    return problem_response(
        422,
        title=_("Invalid input"),
        detail=_("Some fields are not valid."),
        errors=errors,
        instance=request.path,
    )


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    errors = [{"field": exc.field, "message": str(exc.detail)}] if exc.field else None
    return problem_response(
        exc.status,
        title=str(exc.title),
        detail=str(exc.detail),
        errors=errors,
        instance=request.path,
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return problem_response(401, title=_("Sign in first"), instance=request.path)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return problem_response(exc.status_code, detail=str(exc), instance=request.path)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return problem_response(404, title=_("Not found"), instance=request.path)
