"""E-license pages: the holder's wallet, a printable license with its QR code, public
verification (paste, scan or a shared link), and the published keys."""

from __future__ import annotations

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import NotFound

from . import selectors, services


@login_required
def wallet(request):
    return render(request, "licenses/wallet.html",
                  {"licenses": selectors.wallet(actor=request.user)})  # fmt: skip


def _owned(request, number: str):
    license = selectors.wallet(actor=request.user).filter(number=number).first()
    if license is None:
        raise Http404
    return license


@login_required
def printable(request, number: str):
    """A license to print or save as PDF from the browser: its fields and a QR code that
    carries the whole credential, so anyone can verify it offline from the paper."""
    license = _owned(request, number)
    qr = segno.make(license.credential, error="l")
    return render(request, "licenses/print.html", {
        "license": license, "qr_svg": qr.svg_inline(scale=2, border=2),
        "share_url": None,
    })  # fmt: skip


@login_required
def download(request, number: str):
    license = _owned(request, number)
    response = HttpResponse(license.credential, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="{license.number}.jwt"'
    return response


@login_required
@require_http_methods(["POST"])
def share(request, number: str):
    license = _owned(request, number)
    token = services.share_token(actor=request.user, license=license)
    link = request.build_absolute_uri(f"/licenses/shared/{token}/")
    return render(request, "licenses/shared_link.html", {
        "license": license, "link": link, "qr_svg": segno.make(link).svg_inline(scale=4),
        "minutes": settings.LICENSES_SHARE_SECONDS // 60,
    })  # fmt: skip


class VerifyForm(forms.Form):
    credential = forms.CharField(
        label=gettext_lazy("The credential (the text in the QR code, or the .jwt file's text)"),
        max_length=20000, widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def verify(request):
    """Public: no sign-in needed. Staff verifications are logged for the holder."""
    form = VerifyForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.license_verify(actor=request.user, token=form.cleaned_data["credential"])
    return render(request, "licenses/verify.html", {"form": form, "result": result})


@require_GET
def shared(request, token: str):
    try:
        license = services.shared_license(token)
    except NotFound:
        raise Http404 from None
    result = services.license_verify(actor=request.user, token=license.credential)
    return render(request, "licenses/verify.html", {"form": None, "result": result})


@require_GET
@cache_control(max_age=300, public=True)
def jwks(request):
    return JsonResponse(selectors.jwks(), content_type="application/jwk-set+json")
