"""Portal pages: home, where to go, the staff workbench, preferences, health and metrics."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors import staff_assignments
from accounts.services import user_set_preferences
from cases.selectors import case_metrics
from core.http import safe_target, set_language_cookie
from core.problems import problem_response
from directory.selectors import bank_outlet_list, hall_list

from . import metrics as metrics_module
from .middleware import ELDERLY_COOKIE
from .selectors import home_figures


def _back(request) -> str:
    return safe_target(request, request.POST.get("next") or request.META.get("HTTP_REFERER"), "/")


def home(request):
    return render(
        request,
        "portal/home.html",
        {"figures": home_figures(), "cases": case_metrics()[0]},
    )


def halls(request):
    """Where to go: halls, stations and bank outlets, by region."""
    return render(
        request,
        "portal/halls.html",
        {
            "halls": hall_list().order_by("kind", "code"),
            "outlets": bank_outlet_list(),
        },
    )


@login_required
def workbench(request):
    if not request.user.is_staff_member:
        raise Http404
    return render(
        request, "portal/workbench.html", {"assignments": staff_assignments(user=request.user)}
    )


@require_POST
def set_language(request):
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    if request.user.is_authenticated:
        user_set_preferences(actor=request.user, preferred_language=language)
    return set_language_cookie(redirect(_back(request)), language)


@require_POST
def toggle_elderly(request):
    enabled = request.POST.get("enabled") == "1"
    if request.user.is_authenticated:
        user_set_preferences(actor=request.user, elderly_mode=enabled)
    response = redirect(_back(request))
    response.set_cookie(
        ELDERLY_COOKIE,
        "1" if enabled else "0",
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
    )
    return response


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers; 503 otherwise. No login: load balancers call it."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    elapsed = round((time.perf_counter() - started) * 1000, 2)
    return JsonResponse({"status": "ok", "database": "ok", "database_ms": elapsed})


@never_cache
@require_GET
def metrics(request):
    """Prometheus text format. Needs the bearer token when METRICS_TOKEN is configured."""
    token = settings.METRICS_TOKEN
    if token and request.headers.get("Authorization") != f"Bearer {token}":
        return problem_response(401, title="Bearer token required")
    if not token and settings.ONESTOP_ENV == "production":
        raise Http404
    return HttpResponse(
        metrics_module.render(), content_type="text/plain; version=0.0.4; charset=utf-8"
    )


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return problem_response(404, instance=request.path)
    return render(request, "portal/404.html", status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return problem_response(500, instance=request.path)
    return render(request, "portal/500.html", status=500)
