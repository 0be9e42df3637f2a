"""The public ledger page: the latest checkpoint, its cosignatures, a receipt checker."""

from __future__ import annotations

import json

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors
from .keys import log_signer
from .receipts import ReceiptError, check_receipt


@require_http_methods(["GET", "POST"])
def ledger_page(request):
    checkpoint = selectors.latest_checkpoint()
    context = {
        "checkpoint": checkpoint,
        "note": selectors.checkpoint_note_with_cosignatures(checkpoint) if checkpoint else "",
        "cosignatures": checkpoint.cosignatures.order_by("witness") if checkpoint else [],
        "vkey": log_signer().verifier.vkey,
        "size": selectors.log_size(),
        "receipt": request.POST.get("receipt", ""),
    }
    status = 200
    if request.method == "POST":
        try:
            context["verified"] = check_receipt(
                json.loads(context["receipt"]), log_signer().verifier
            )
        except (ReceiptError, ValueError, KeyError, TypeError) as exc:
            context["receipt_error"] = _("This receipt does not verify: %(why)s") % {"why": exc}
            status = 422
    return render(request, "ledger/ledger.html", context, status=status)
