"""Staff workbench pages: the department inbox, my tasks, overdue cases, search, a case with
its actions, and the hall clerk's intake screen. Every action goes through the services."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.selectors import enterprise_list
from accounts.services import person_lookup
from catalog.models import ServiceItem
from core.errors import DomainError, InvalidInput, NotFound
from core.ids import ID_TYPE_LABELS
from core.masking import mask_text
from directory.models import Window
from licenses.services import license_fetch

from . import selectors, services
from .fees import form_schema
from .forms import TITLES, delivery_fields, form_answers, schema_form, uploads_of
from .models import Delivery, WorkItemStatus
from .permissions import access_work_item, can_take_in_at, can_take_in_at_outlet, can_work_on
from .views import action_label


def staff_only(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff_member:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@staff_only
def inbox(request):
    items = selectors.inbox(actor=request.user)
    return render(request, "cases/staff/inbox.html", {
        "open_items": items.filter(status=WorkItemStatus.OPEN)[:200],
        "mine": selectors.my_tasks(actor=request.user)[:200],
        "overdue_count": selectors.overdue(actor=request.user).count(),
    })  # fmt: skip


@staff_only
def overdue(request):
    return render(request, "cases/staff/overdue.html", {
        "cases": selectors.overdue(actor=request.user)[:300],
        "summary": selectors.overdue_summary(actor=request.user),
    })  # fmt: skip


class SearchForm(forms.Form):
    receipt_no = forms.CharField(
        label=gettext_lazy("Receipt number (or its beginning)"),
        required=False,
        max_length=18,
        min_length=4,
    )
    id_type = forms.ChoiceField(
        label=gettext_lazy("Applicant's identity document"),
        required=False,
        choices=[(k.value, v) for k, v in ID_TYPE_LABELS.items()],
    )
    id_number = forms.CharField(label=gettext_lazy("Applicant's identity number"), required=False,
                                max_length=30)  # fmt: skip
    purpose = forms.CharField(
        label=gettext_lazy("Why you look up this person"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Searching by identity number is recorded and shown to the person."),
    )


@staff_only
@require_http_methods(["GET", "POST"])
def search(request):
    """By receipt number (GET) or by the applicant's ID number (POST, so the number never
    lands in a URL; the look is logged for the person to see)."""
    form = SearchForm(request.POST or request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            applicant = None
            if data["id_number"]:
                if request.method != "POST":
                    raise Http404
                applicant = person_lookup(actor=request.user, id_type=data["id_type"],
                                          id_number=data["id_number"],
                                          purpose=data["purpose"])  # fmt: skip
            results = selectors.case_search(actor=request.user, receipt_no=data["receipt_no"],
                                            applicant=applicant)[:100]  # fmt: skip
        except NotFound:
            results = []
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.detail))
    return render(request, "cases/staff/search.html", {"form": form, "results": results})


STEP_FORMS = {"accept", "review", "inspect", "decide", "deliver"}


def _staff_case(request, receipt_no: str):
    found = (
        selectors.staff_cases(actor=request.user)
        .filter(receipt_no=receipt_no.upper())
        .select_related("applicant__person", "window__hall", "outlet", "enterprise")
        .first()
    )
    if found is None:
        raise Http404
    return found


def _render_case(request, found, verified=None):
    tasks = [
        (work, can_work_on(request.user, work))
        for work in found.work_items.exclude(status=WorkItemStatus.DONE).select_related(
            "claimed_by"
        )
    ]
    titles = form_schema(found.item).get("properties", {})
    answers = [
        (TITLES.get(key, titles.get(key, {}).get("title", key)), mask_text(str(value)))
        for key, value in found.form_data.items()
    ]
    events = [(e, action_label(e.action)) for e in found.events.select_related("actor")]
    return render(request, "cases/staff/case.html", {
        "case": found, "tasks": tasks, "answers": answers, "events": events,
        "materials": found.materials.all(), "Delivery": Delivery, "verified": verified,
        "explanation": selectors.instant_explanation(case=found),
        "order": selectors.order_of(found),
    })  # fmt: skip


@staff_only
def case(request, receipt_no: str):
    return _render_case(request, _staff_case(request, receipt_no))


@staff_only
@require_POST
def verified_license(request, receipt_no: str, pk: int):
    """Show the e-license fetched for this application, verified against the registry; the
    look is logged in the holder's "who used my data"."""
    found = _staff_case(request, receipt_no)
    material = found.materials.filter(pk=pk, source="fetched").select_related(
        "material__license_type").first()  # fmt: skip
    if material is None or material.material is None:
        raise Http404
    license_type = material.material.license_type
    holder = ({"holder_enterprise": found.enterprise} if license_type.holder_kind == "enterprise"
              else {"holder_person": found.applicant.person})  # fmt: skip
    try:
        license = license_fetch(
            actor=request.user, authority=found.authority, license_type=license_type,
            case_ref=found.receipt_no, purpose=_("Review of the application"), **holder,
        )  # fmt: skip
    except DomainError as error:
        messages.error(request, str(error.detail))
        return redirect("cases:staff_case", receipt_no=found.receipt_no)
    fields = license.display_fields
    return _render_case(request, found, verified={"material": material, "license": license,
                                                  "fields": fields})  # fmt: skip


def _outcome_from(post, step: str) -> dict:
    """The step's answer from the posted form."""
    reasons = post.get("reasons", "").strip()
    if step == "accept":
        return {"accepted": post.get("accepted") == "yes", "reasons": reasons}
    if step == "review":
        missing = [line.strip() for line in post.get("missing", "").splitlines() if line.strip()]
        if post.get("supplement") == "yes":
            return {"supplement": True, "missing": missing}
        return {"supplement": False}
    if step == "decide":
        return {"decision": "approve" if post.get("decision") == "approve" else "reject",
                "reasons": reasons, "issued": post.get("issued", "").strip()}  # fmt: skip
    if step == "deliver":
        return {"tracking_no": post.get("tracking_no", "").strip()}
    return {}


@staff_only
@require_POST
def task_action(request, pk: int, action: str):
    try:
        work = access_work_item(request.user, pk)
    except NotFound:
        raise Http404 from None
    try:
        if action == "claim":
            services.work_item_claim(actor=request.user, work_item=work)
        elif action == "release":
            services.work_item_release(actor=request.user, work_item=work)
        elif action == "complete":
            services.work_item_complete(
                actor=request.user, work_item=work, note=request.POST.get("note", "")[:2000],
                outcome=_outcome_from(request.POST, work.step),
            )  # fmt: skip
            messages.success(request, _("Done. The case has moved on."))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error.detail))
    return redirect("cases:staff_case", receipt_no=work.case.receipt_no)


# Intake at a window or an outlet ------------------------------------------------------------


def _places(user) -> list[tuple[str, str]]:
    """The intake windows and bank outlets where ``user`` may take applications."""
    halls = set(user.assignments.filter(role=Role.CLERK).values_list("hall_id", flat=True))
    windows = Window.objects.filter(kind="intake").select_related("hall")
    if None not in halls:
        windows = windows.filter(hall_id__in=halls)
    places = [(f"w{w.pk}", str(w)) for w in windows if can_take_in_at(user, w)]
    for assignment in user.assignments.filter(outlet__isnull=False).select_related("outlet"):
        places.append((f"o{assignment.outlet.pk}", str(assignment.outlet)))
    return places


def _intake_form(user, item, data=None, files=None):
    materials = list(item.materials.select_related("license_type"))
    extra = {
        "place": forms.ChoiceField(
            label=gettext_lazy("Where the application is taken"), choices=_places(user)
        ),
        "id_type": forms.ChoiceField(
            label=gettext_lazy("Applicant's identity document"),
            choices=[(k.value, v) for k, v in ID_TYPE_LABELS.items()],
        ),
        "id_number": forms.CharField(
            label=gettext_lazy("Applicant's identity number"),
            max_length=30,
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
        ),
    }
    if item.applicant != "person":
        extra["enterprise_uscc"] = forms.CharField(
            label=gettext_lazy("Enterprise's unified social credit code"), max_length=18,
            required=item.applicant == "enterprise",
        )  # fmt: skip
    extra["shown"] = forms.MultipleChoiceField(
        label=gettext_lazy("Originals seen at the counter"), required=False,
        choices=[(str(m.pk), m.name) for m in materials], widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    form = schema_form(form_schema(item), data, files, materials=materials, extra=extra,
                       for_applicant=False)  # fmt: skip
    form.fields.update(delivery_fields(Delivery.PICKUP))
    form.fields.pop("idempotency_key")
    return form, materials


@staff_only
@require_http_methods(["GET", "POST"])
def intake(request):
    """The hall clerk's intake screen: pick the item, then the applicant and the form."""
    if not _places(request.user):
        raise Http404
    code = (request.POST.get("item") or request.GET.get("item") or "").strip().upper()
    item = ServiceItem.objects.filter(code=code, is_active=True).first() if code else None
    if item is None:
        return render(request, "cases/staff/intake_pick.html", {
            "code": code, "not_found": bool(code),
            "items": ServiceItem.objects.filter(is_active=True).order_by("code")
            .only("code", "name_zh", "name_en")[:400],
        })  # fmt: skip
    form, materials = _intake_form(request.user, item, request.POST or None,
                                   request.FILES or None)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            case = _take_in(request.user, item, form, materials)
        except NotFound:
            form.add_error("id_number", _("No registered person has this identity number."))
        except DomainError as error:
            field = (error.field or "").removeprefix("form.")
            form.add_error(field if field in form.fields else None, str(error.detail))
        else:
            messages.success(request, _("Accepted. Receipt number %s.") % case.receipt_no)
            return redirect("cases:staff_case", receipt_no=case.receipt_no)
    return render(request, "cases/staff/intake.html", {"item": item, "form": form})


def _take_in(user, item, form, materials):
    data = form.cleaned_data
    place = data["place"]
    window = outlet = None
    if place.startswith("w"):
        window = Window.objects.select_related("hall").get(pk=int(place[1:]))
    else:
        outlet = next(a.outlet for a in user.assignments.filter(outlet_id=int(place[1:]))
                      .select_related("outlet"))  # fmt: skip
        if not can_take_in_at_outlet(user, outlet):
            raise Http404
    person = person_lookup(actor=user, id_type=data["id_type"], id_number=data["id_number"],
                           purpose=_("Window intake"))  # fmt: skip
    enterprise = None
    if data.get("enterprise_uscc"):
        enterprise = enterprise_list(actor=person.user).filter(uscc=data["enterprise_uscc"]).first()
        if enterprise is None:
            raise InvalidInput(_("This person does not act for the enterprise."),
                               field="enterprise_uscc")  # fmt: skip
    by_pk = {str(m.pk): m for m in materials}
    return services.case_intake(
        actor=user, window=window, outlet=outlet, item=item, applicant=person,
        enterprise=enterprise, form_data=form_answers(form),
        shown=[by_pk[pk] for pk in data["shown"]], uploads=uploads_of(form, materials),
        delivery=data["delivery"], delivery_address=data["delivery_address"],
    )  # fmt: skip
