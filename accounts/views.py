"""Account pages: sign in and out, register, two-factor, "who used my data"."""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.errors import DomainError
from core.http import safe_target, set_language_cookie

from . import selectors, services, throttle
from .forms import LoginForm, OtpForm, RegisterForm


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _safe_next(request, default: str) -> str:
    return safe_target(request, request.POST.get("next") or request.GET.get("next"), default)


@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        ident, address = form.cleaned_data["identifier"], _client_address(request)
        if throttle.is_locked(ident, address):
            form.add_error(None, _("Too many failed attempts. Wait 15 minutes and try again."))
            status = 429
        else:
            user = authenticate(request, username=ident, password=form.cleaned_data["password"])
            if user is None:
                throttle.record_failure(ident, address)
                form.add_error(None, _("The identifier or the password is wrong."))
                status = 401
            else:
                throttle.clear(ident, address)
                login(request, user)
                target = _safe_next(request, "/")
                if user.is_staff_member and (
                    settings.STAFF_OTP_REQUIRED
                    or TOTPDevice.objects.filter(user=user, confirmed=True).exists()
                ):
                    target = f"/accounts/2fa/?next={target}"
                return set_language_cookie(redirect(target), user.preferred_language)
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": _safe_next(request, "")},
        status=status,
    )


@require_POST
def logout_view(request):
    logout(request)
    return redirect("portal:home")


@require_http_methods(["GET", "POST"])
def register_view(request):
    form = RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.person_register(
                    id_type=data["id_type"],
                    id_number=data["id_number"],
                    name=data["name"],
                    phone=data["phone"],
                    password=data["password"],
                    email=data["email"],
                    preferred_language=request.LANGUAGE_CODE,
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.detail))
            else:
                login(request, user, backend="accounts.backends.IdentifierBackend")
                return set_language_cookie(redirect("portal:home"), user.preferred_language)
    return render(request, "accounts/register.html", {"form": form}, status=status)


def _totp_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device:
        return device
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@login_required
@require_http_methods(["GET", "POST"])
def otp_view(request):
    """Confirm a TOTP code; a staff member without a device enrols one here first."""
    device = _totp_device(request.user)
    form = OtpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid() and device.verify_token(form.cleaned_data["code"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_safe_next(request, "/workbench/"))
        if form.is_valid():
            form.add_error("code", _("This code is not valid. Check your phone's clock."))
    context = {"form": form, "enrolling": not device.confirmed, "next": _safe_next(request, "")}
    if not device.confirmed:
        context["secret"] = base64.b32encode(device.bin_key).decode()
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return render(request, "accounts/otp.html", context, status=status)


@login_required
def data_access_view(request):
    """The person's own log of staff who looked at their data, and why."""
    return render(
        request,
        "accounts/data_access.html",
        {"accesses": selectors.data_access_list(actor=request.user)[:200]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def notifications_view(request):
    """The user's notices; POST marks them all read."""
    if request.method == "POST":
        services.notifications_mark_read(actor=request.user)
        return redirect("accounts:notifications")
    return render(
        request,
        "accounts/notifications.html",
        {"notifications": selectors.notification_list(actor=request.user)[:100]},
    )
