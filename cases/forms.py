"""A Django form built from an item's JSON Schema, so the page and the API check the same
rules (the service validates again against the schema itself)."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

TITLES = {
    "contact_phone": _("Contact phone"),
    "address": _("Address"),
    "notes": _("Anything the department should know"),
    "business_scope": _("Business scope"),
}


def schema_form(schema: dict, data=None) -> forms.Form:
    fields: dict[str, forms.Field] = {}
    required = set(schema.get("required", []))
    for name, spec in schema.get("properties", {}).items():
        validators = [RegexValidator(spec["pattern"])] if "pattern" in spec else []
        long = spec.get("maxLength", 0) > 200
        fields[name] = forms.CharField(
            label=TITLES.get(name, spec.get("title", name)),
            required=name in required,
            min_length=spec.get("minLength"),
            max_length=spec.get("maxLength"),
            validators=validators,
            widget=forms.Textarea(attrs={"rows": 3}) if long else forms.TextInput(),
        )
    fields["idempotency_key"] = forms.CharField(widget=forms.HiddenInput, max_length=100)
    form_class = type("ApplicationForm", (forms.Form,), fields)
    return form_class(data=data)


class TrackForm(forms.Form):
    receipt_no = forms.CharField(label=_("Receipt number"), max_length=18, min_length=18)
    id_last4 = forms.CharField(
        label=_("Last four characters of the applicant's ID number"), max_length=4, min_length=4
    )
