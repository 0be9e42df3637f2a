"""Staff two-factor: in production a staff session must confirm a TOTP code first."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.problems import problem_response

_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/", "/elderly/")


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.STAFF_OTP_REQUIRED
            and user is not None
            and user.is_authenticated
            and user.is_staff_member
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return problem_response(403, detail=_("Confirm your two-factor code first."))
            return redirect("accounts:otp")
        return self.get_response(request)
