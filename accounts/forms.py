"""Forms of the account pages; validation of identifiers lives in core.ids and the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.ids import ID_TYPE_LABELS


class LoginForm(forms.Form):
    identifier = forms.CharField(
        label=_("ID number, mobile number or user name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class RegisterForm(forms.Form):
    name = forms.CharField(
        label=_("Name (as on your identity document)"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_type = forms.ChoiceField(
        label=_("Identity document"), choices=[(k.value, v) for k, v in ID_TYPE_LABELS.items()]
    )
    id_number = forms.CharField(
        label=_("Identity number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 10 characters; not only digits."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class OtpForm(forms.Form):
    code = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\d{6}$",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"invalid": _("Enter the six digits shown in the app.")},
    )
