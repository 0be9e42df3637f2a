"""Applicant pages: apply online, my cases with their timeline, supplementation; and a public
progress lookup by receipt number (rate limited)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from catalog.permissions import access_item
from core.errors import DomainError, NotFound
from licenses.selectors import valid_license_types

from . import selectors, services
from .api import material_response
from .fees import form_schema
from .forms import (
    SupplementForm,
    TrackForm,
    consent_fields,
    consents_of,
    form_answers,
    material_fields,
    schema_form,
    uploads_of,
)
from .models import REMEDIES, STEP_LABELS, CaseMaterial, Status
from .payments import providers
from .permissions import access_case
from .receipts import is_valid

TRACK_LIMIT, TRACK_WINDOW = 20, 15 * 60
ACTIONS = {
    "submitted": gettext_lazy("Submitted"),
    "accept.done": gettext_lazy("Accepted or refused at the window"),
    "review.done": gettext_lazy("Reviewed"),
    "inspect.done": gettext_lazy("Inspected on site"),
    "decide.done": gettext_lazy("Decided"),
    "supplemented": gettext_lazy("Missing materials supplied"),
    "material.added": gettext_lazy("Materials added"),
    "instant.approved": gettext_lazy("Approved instantly: every rule checked out"),
    "instant.referred": gettext_lazy("Checked by the rules and passed to a reviewer"),
    "material.fetched": gettext_lazy("E-licenses fetched from the registry (with your consent)"),
    "deliver.done": gettext_lazy("Result delivered"),
    "payment.ordered": gettext_lazy("Payment order issued"),
    "payment.received": gettext_lazy("Payment received"),
    "payment.exempted": gettext_lazy("Fee exemption applied"),
    "payment.refunded": gettext_lazy("Refunded"),
    "payment.cancelled": gettext_lazy("Payment order cancelled"),
    "withdrawn": gettext_lazy("Withdrawn by the applicant"),
}
STAFF_ACTIONS = {
    "warning.yellow": gettext_lazy("Yellow warning: 80% of the promised time used"),
    "warning.red": gettext_lazy("Red warning: past the promised deadline"),
}


def action_label(action: str) -> str:
    """The timeline's words for an event (staff see who took which task, and warnings)."""
    if action in ACTIONS:
        return str(ACTIONS[action])
    if action in STAFF_ACTIONS:
        return str(STAFF_ACTIONS[action])
    if action.endswith(".claimed"):
        step = action.removesuffix(".claimed")
        return gettext("Task taken: %(step)s") % {"step": STEP_LABELS.get(step, step)}
    return action


def _form_error(form, error: DomainError) -> None:
    """Put a service's error on the field it names (form.x, materials.N, delivery…)."""
    field = (error.field or "").removeprefix("form.")
    if field.startswith("materials."):
        field = ""
    form.add_error(field if field in form.fields else None, str(error.detail))


def web_channel(item) -> str:
    """The site is the online channel; for items offered only on mobile (粤省事-style apps)
    it serves as the mobile channel, being the same responsive pages."""
    return "online" if "online" in item.channels else "mobile"


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, code: str):
    try:
        item = access_item(request.user, code)
    except NotFound:
        raise Http404 from None
    if not request.user.is_person:
        raise Http404
    schema = form_schema(item)
    materials = list(item.materials.select_related("license_type"))
    posted = request.method == "POST"
    form = schema_form(schema, request.POST if posted else None, request.FILES if posted else None,
                       materials=materials, delivery=True)  # fmt: skip
    form.fields.update(consent_fields(materials, valid_license_types(actor=request.user)))
    if request.method == "GET":
        form.initial["idempotency_key"] = uuid.uuid4().hex
    elif form.is_valid():
        try:
            case = services.case_submit(
                actor=request.user, item=item, form_data=form_answers(form),
                idempotency_key=form.cleaned_data["idempotency_key"],
                uploads=uploads_of(form, materials), delivery=form.cleaned_data["delivery"],
                delivery_address=form.cleaned_data["delivery_address"],
                consents=consents_of(form, materials), channel=web_channel(item),
            )  # fmt: skip
        except DomainError as error:
            _form_error(form, error)
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
    materials = list(case.item.materials.all())
    supplement_form = SupplementForm(request.POST or None, request.FILES or None)
    supplement_form.fields.update(material_fields(materials))
    if request.method == "POST" and supplement_form.is_valid():
        try:
            services.case_supplement(
                actor=request.user, case=case, note=supplement_form.cleaned_data["note"],
                uploads=uploads_of(supplement_form, materials),
            )  # fmt: skip
        except DomainError as error:
            _form_error(supplement_form, error)
        else:
            messages.success(request, _("Thank you. The review continues."))
            return redirect("cases:detail", receipt_no=case.receipt_no)
    events = [(e, action_label(e.action)) for e in case.events.all()
              if e.action in ACTIONS or request.user.is_staff_member]  # fmt: skip
    return render(request, "cases/detail.html", {
        "case": case, "events": events, "supplement_form": supplement_form,
        "is_applicant": case.applicant_id == request.user.pk,
        "remedies": REMEDIES if case.status in (Status.REJECTED, Status.REFUSED) else "",
        "explanation": selectors.instant_explanation(case=case),
        "order": selectors.order_of(case), "online_providers": list(providers().values()),
    })  # fmt: skip


@login_required
def material(request, receipt_no: str, pk: int):
    """A material's file, for whoever may see the case; always as a download."""
    try:
        case = access_case(request.user, receipt_no)
    except NotFound:
        raise Http404 from None
    row = CaseMaterial.objects.filter(case=case, pk=pk).exclude(file="").first()
    if row is None:
        raise Http404
    return material_response(row)


def statistics(request):
    """Public: the rates computed from the cases, overall and per department, hall, month."""
    return render(request, "cases/statistics.html", {
        "overall": selectors.case_metrics()[0],
        "departments": selectors.case_metrics(group="department"),
        "halls": selectors.case_metrics(group="hall"),
        "months": selectors.case_metrics(group="month")[-12:],
        "instant": selectors.instant_metrics(),
        "instant_departments": selectors.instant_metrics(group="department"),
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
