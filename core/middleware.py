"""Refuse NUL characters in requests: PostgreSQL cannot store them, and no citizen types one."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

from .problems import problem_response

_NUL_MARKERS = (b"\x00", b"\\u0000", b"%00")
_TEXT_TYPES = {"application/json", "text/plain", "application/x-www-form-urlencoded"}


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "").encode()
        # Text bodies only: an uploaded file (multipart) may hold NUL bytes legitimately.
        text_body = request.content_type in _TEXT_TYPES or request.content_type.endswith("+json")
        body = request.body if text_body and request.method in ("POST", "PUT", "PATCH") else b""
        if "\x00" in request.path or any(m in query or m in body for m in _NUL_MARKERS):
            detail = _("The request contains a NUL character, which is never valid here.")
            if request.path.startswith("/api/"):
                return problem_response(400, detail=detail, instance=request.path)
            return HttpResponseBadRequest(detail)
        return self.get_response(request)
