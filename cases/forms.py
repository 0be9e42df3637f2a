"""A Django form built from an item's JSON Schema, so the page and the API check the same
rules (the service validates again against the schema itself)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .models import Delivery

TITLES = {
    "contact_phone": _("Contact phone"),
    "address": _("Address"),
    "notes": _("Anything the department should know"),
    "business_scope": _("Business scope"),
    "endorsements": _("Number of endorsements"),
    "plate_sets": _("Number of sets of plates"),
    "copies": _("Number of notarial certificates"),
    "property_use": _("Use of the property"),
}
CHOICE_TITLES = {"residential": _("Residential"), "non_residential": _("Non-residential")}


ACCEPT = ".pdf,.jpg,.jpeg,.png,.ofd,application/pdf,image/jpeg,image/png"


def material_fields(materials, *, for_applicant: bool = True) -> dict[str, forms.Field]:
    """One optional file field per catalog material (``material_<pk>``); the applicant is
    told which ones an e-license can replace (the clerk's screen does not say "your")."""
    limit = {"mb": settings.CASES_UPLOAD_MAX_BYTES // 2**20}
    return {
        f"material_{m.pk}": forms.FileField(
            label=m.name,
            required=False,
            help_text=_("PDF, JPEG, PNG or OFD, up to %(mb)s MB.") % limit
            + (
                " " + _("Can be fetched from your e-licenses instead.")
                if m.license_type_id and for_applicant
                else ""
            ),
            widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        )
        for m in materials
    }


def consent_fields(materials, held_types: set[int]) -> dict[str, forms.Field]:
    """免证办: for each material an e-license the applicant holds can replace, a box to
    agree that the department fetch it for this application (``consent_<pk>``)."""
    return {
        f"consent_{m.pk}": forms.BooleanField(
            label=_(
                "Use my e-license “%(name)s” instead (I agree that the department fetches "
                "it from the registry for this application)"
            )
            % {"name": m.license_type.name},
            required=False,
            initial=True,
        )
        for m in materials
        if m.license_type_id in held_types
    }


def consents_of(form, materials) -> list:
    return [m for m in materials if form.cleaned_data.get(f"consent_{m.pk}")]


def delivery_fields(default: str = Delivery.ELECTRONIC) -> dict[str, forms.Field]:
    return {
        "delivery": forms.ChoiceField(
            label=_("How do you want to receive the result?"),
            choices=Delivery.choices,
            initial=default,
            widget=forms.RadioSelect,
        ),
        "delivery_address": forms.CharField(
            label=_("Postal address (for delivery by post)"), required=False, max_length=300
        ),
    }


def uploads_of(form, materials) -> list:
    """(material, file) pairs for the files chosen in ``form``."""
    return [(m, form.cleaned_data[f"material_{m.pk}"]) for m in materials
            if form.cleaned_data.get(f"material_{m.pk}")]  # fmt: skip


def schema_form(schema: dict, data=None, files=None, materials=(), delivery: bool = False,
                extra: dict | None = None, for_applicant: bool = True) -> forms.Form:  # fmt: skip
    fields: dict[str, forms.Field] = dict(extra or {})
    required = set(schema.get("required", []))
    for name, spec in schema.get("properties", {}).items():
        label = TITLES.get(name, spec.get("title", name))
        if spec.get("type") == "integer":
            fields[name] = forms.IntegerField(
                label=label, required=name in required, min_value=spec.get("minimum"),
                max_value=spec.get("maximum"), initial=spec.get("default"),
            )  # fmt: skip
            continue
        if "oneOf" in spec:
            fields[name] = forms.ChoiceField(
                label=label, required=name in required, widget=forms.RadioSelect,
                choices=[(c["const"], CHOICE_TITLES.get(c["const"], c.get("title", c["const"])))
                         for c in spec["oneOf"]],
            )  # fmt: skip
            continue
        validators = [RegexValidator(spec["pattern"])] if "pattern" in spec else []
        long = spec.get("maxLength", 0) > 200
        fields[name] = forms.CharField(
            label=label,
            required=name in required,
            min_length=spec.get("minLength"),
            max_length=spec.get("maxLength"),
            validators=validators,
            widget=forms.Textarea(attrs={"rows": 3}) if long else forms.TextInput(),
        )
    fields.update(material_fields(materials, for_applicant=for_applicant))
    if delivery:
        fields.update(delivery_fields())
    fields["idempotency_key"] = forms.CharField(widget=forms.HiddenInput, max_length=100)
    form_class = type("ApplicationForm", (forms.Form,), fields)
    form = form_class(data=data, files=files)
    form.schema_fields = set(schema.get("properties", {}))
    return form


def form_answers(form) -> dict:
    """The answers that belong to the item's form schema (not files, delivery or intake)."""
    return {k: v for k, v in form.cleaned_data.items()
            if v not in (None, "") and k in form.schema_fields}  # fmt: skip


class SupplementForm(forms.Form):
    note = forms.CharField(label=_("What you supplied"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class TrackForm(forms.Form):
    receipt_no = forms.CharField(label=_("Receipt number"), max_length=18, min_length=18)
    id_last4 = forms.CharField(
        label=_("Last four characters of the applicant's ID number"), max_length=4, min_length=4
    )
