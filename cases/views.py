"""Applicant pages: apply online, my cases with their timeline, supplementation; and a public
progress lookup by receipt number (rate limited)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from catalog.permissions import access_item
from catalog.selectors import item_form_schema
from core.errors import DomainError, NotFound

from . import selectors, services
from .forms import TrackForm, schema_form
from .permissions import access_case
from .receipts import is_valid

TRACK_LIMIT, TRACK_WINDOW = 20, 15 * 60
ACTIONS = {
    "submitted": _lazy("Submitted"),
    "accept.done": _lazy("Accepted or refused at the window"),
    "review.done": _lazy("Reviewed"),
    "inspect.done": _lazy("Inspected on site"),
    "decide.done": _lazy("Decided"),
    "supplemented": _lazy("Missing materials supplied"),
}


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, code: str):
    try:
        item = access_item(request.user, code)
    except NotFound:
        raise Http404 from None
    if not request.user.is_person:
        raise Http404
    schema = item_form_schema(item=item)
    form = schema_form(schema, request.POST if request.method == "POST" else None)
    if request.method == "GET":
        form.initial["idempotency_key"] = uuid.uuid4().hex
    elif form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "idempotency_key" and v}
        try:
            case = services.case_submit(
                actor=request.user, item=item, form_data=data,
                idempotency_key=form.cleaned_data["idempotency_key"],
            )  # fmt: skip
        except DomainError as error:
            field = (error.field or "").removeprefix("form.")
            form.add_error(field if field in form.fields else None, str(error.detail))
        else:
            messages.success(request, _("Submitted. Your receipt number is %s.") % case.receipt_no)
            return redirect("cases:detail", receipt_no=case.receipt_no)
    return render(request, "cases/apply.html", {"item": item, "form": form})


@login_required
def my_cases(request):
    cases = selectors.case_list(actor=request.user).filter(applicant=request.user)
    return render(request, "cases/list.html", {"cases": cases[:200]})


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, receipt_no: str):
    try:
        case = access_case(request.user, receipt_no)
    except NotFound:
        raise Http404 from None
    if request.method == "POST":
        try:
            services.case_supplement(actor=request.user, case=case,
                                     note=request.POST.get("note", "")[:2000])  # fmt: skip
        except DomainError as error:
            messages.error(request, str(error.detail))
        else:
            messages.success(request, _("Thank you. The review continues."))
        return redirect("cases:detail", receipt_no=case.receipt_no)
    events = [(e, ACTIONS.get(e.action, e.action)) for e in case.events.all()
              if e.action in ACTIONS or request.user.is_staff_member]  # fmt: skip
    return render(request, "cases/detail.html", {
        "case": case, "events": events,
        "is_applicant": case.applicant_id == request.user.pk,
    })  # fmt: skip


@require_http_methods(["GET", "POST"])
def track(request):
    """Public: receipt number + the last four characters of the applicant's ID → status."""
    form = TrackForm(request.POST or None)
    found, status = None, 200
    if request.method == "POST":
        key = f"track:{request.META.get('REMOTE_ADDR', '')}"
        cache.add(key, 0, TRACK_WINDOW)
        if cache.incr(key) > TRACK_LIMIT:
            form.add_error(None, _("Too many lookups. Try again in 15 minutes."))
            status = 429
        elif form.is_valid():
            receipt = form.cleaned_data["receipt_no"].upper()
            if is_valid(receipt):
                found = selectors.case_track(receipt_no=receipt,
                                             id_last4=form.cleaned_data["id_last4"])  # fmt: skip
            if found is None:
                form.add_error(None, _("No case matches this receipt number and ID."))
    return render(request, "cases/track.html", {"form": form, "found": found}, status=status)
