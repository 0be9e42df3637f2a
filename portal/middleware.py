"""Elderly mode: larger type, higher contrast, a simpler layout — per person or per browser."""

from __future__ import annotations

ELDERLY_COOKIE = "onestop_elderly"


class ElderlyModeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.elderly_mode = bool(user.elderly_mode)
        else:
            request.elderly_mode = request.COOKIES.get(ELDERLY_COOKIE) == "1"
        return self.get_response(request)
