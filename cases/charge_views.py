"""Pages of 一窗收费: the applicant pays online or withdraws; the sandbox provider's own pay
page (test mode); the cashier's charge window; the daily reconciliation; the public receipt
check behind the receipt's QR code."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError, NotFound
from directory.selectors import hall_get

from . import selectors, services
from .models import Exemption, OrderStatus, PaymentMethod, SandboxTransaction
from .payments import providers
from .payments_api import receipt_check, reconciliation_csv
from .permissions import access_case, can_view_order, is_cashier, reconciliation_scope
from .services import charges


def online_providers() -> list:
    return list(providers().values())


@login_required
@require_POST
def pay_online(request, receipt_no: str):
    try:
        case = access_case(request.user, receipt_no)
        order = selectors.order_of(case)
        if order is None:
            raise NotFound()
        target = charges.payment_start_online(
            actor=request.user, order=order,
            provider_name=request.POST.get("provider", "sandbox")[:20],
            return_url=f"/cases/{case.receipt_no}/",
        )  # fmt: skip
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, str(error.detail))
        return redirect("cases:detail", receipt_no=receipt_no)
    return redirect(target)


@login_required
@require_POST
def withdraw(request, receipt_no: str):
    try:
        case = access_case(request.user, receipt_no)
        services.case_withdraw(actor=request.user, case=case,
                               reason=request.POST.get("reason", "")[:2000])  # fmt: skip
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, str(error.detail))
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("cases:detail", receipt_no=receipt_no)


@require_http_methods(["GET", "POST"])
def sandbox_pay(request, txn: str):
    """The sandbox provider's page (it stands for the provider's own site): test mode only."""
    if "sandbox" not in {p.name for p in online_providers()}:
        raise Http404
    row = SandboxTransaction.objects.filter(txn=txn[:32]).first()
    if row is None:
        raise Http404
    back = row.return_url if url_has_allowed_host_and_scheme(row.return_url, None) else "/"
    if request.method == "POST":
        if request.POST.get("action") == "pay":
            try:
                charges.sandbox_pay(txn=row.txn)
            except DomainError as error:
                messages.error(request, str(error.detail))
            else:
                messages.success(request, _("Test payment made. The platform records it when "
                                            "the provider's notification arrives."))  # fmt: skip
        else:
            SandboxTransaction.objects.filter(pk=row.pk, status="pending").update(
                status="cancelled"
            )
        return redirect(back)
    return render(request, "cases/sandbox_pay.html", {"txn": row})


class LookupForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Payment code or receipt number"), max_length=20,
                           min_length=18)  # fmt: skip


class PaymentForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("Method"), widget=forms.RadioSelect,
        choices=[(m.value, m.label) for m in PaymentMethod if m != PaymentMethod.ONLINE],
    )  # fmt: skip
    amount = forms.DecimalField(label=gettext_lazy("Amount received (yuan)"), min_value=Decimal(
        "0.01"), max_digits=10, decimal_places=2)  # fmt: skip
    reference = forms.CharField(label=gettext_lazy("Card or QR reference (optional)"),
                                required=False, max_length=64)  # fmt: skip


class ExemptionForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Exemption"), choices=Exemption.choices)
    evidence = forms.CharField(label=gettext_lazy("Number of the certificate seen"),
                               min_length=4, max_length=60)  # fmt: skip


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount to refund (yuan)"), min_value=Decimal("0.01"), max_digits=10,
        decimal_places=2,
    )  # fmt: skip
    reason = forms.CharField(label=gettext_lazy("Reason"), min_length=2, max_length=300)


def _put_error(form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.detail))


@login_required
@require_http_methods(["GET", "POST"])
def charge_window(request):
    """收费窗口: the cashier finds an order by its code, takes the payment (cash, card, QR),
    applies an exemption on an original seen, refunds, and prints the receipt. The cashier
    sees the order — item, amounts, the payer's masked name — never the case's files."""
    if not is_cashier(request.user):
        raise Http404
    windows = list(charges.cashier_windows(request.user))
    chosen = request.GET.get("window") or request.POST.get("window")
    window = next((w for w in windows if str(w.pk) == chosen), windows[0] if windows else None)
    code = (request.GET.get("code") or request.POST.get("code") or "").strip()
    lookup = LookupForm({"code": code} if code else None)
    order = selectors.order_find(code=code) if code and lookup.is_valid() else None
    if code and lookup.is_valid() and order is None:
        lookup.add_error("code", _("No payment order has this code."))
    action = request.POST.get("action") if request.method == "POST" else None
    due = {"amount": order.amount_due - order.amount_paid} if order else None
    pay = PaymentForm(request.POST if action == "pay" else None, initial=due)
    exempt = ExemptionForm(request.POST if action == "exempt" else None)
    refund = RefundForm(request.POST if action == "refund" else None)
    if order is not None and action and window is not None:
        form = {"pay": pay, "exempt": exempt, "refund": refund}.get(action)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if action == "pay":
                    payment = charges.payment_record_at_window(
                        actor=request.user, order=order, window=window, method=data["method"],
                        amount=data["amount"], reference=data["reference"],
                    )  # fmt: skip
                    messages.success(request, _("Paid. Receipt %(no)s.") % {
                        "no": payment.receipt_no})  # fmt: skip
                elif action == "exempt":
                    charges.exemption_apply(actor=request.user, order=order, window=window,
                                            category=data["category"],
                                            evidence=data["evidence"])  # fmt: skip
                    messages.success(request, _("Exemption applied."))
                else:
                    charges.refund_issue(actor=request.user, order=order, amount=data["amount"],
                                         reason=data["reason"], window=window)  # fmt: skip
                    messages.success(request, _("Refunded."))
            except DomainError as error:
                _put_error(form, error)
            else:
                return redirect(f"{request.path}?window={window.pk}&code={order.code}")
    return render(request, "cases/charge_window.html", {
        "windows": windows, "window": window, "lookup": lookup, "order": order,
        "pay": pay, "exempt": exempt, "refund": refund, "code": code,
        "open": order is not None and order.status == OrderStatus.OPEN,
    })  # fmt: skip


@login_required
def reconciliation(request):
    """对账: one day per hall and department, with the providers' differences; CSV."""
    scope = reconciliation_scope(request.user)
    if scope is None:
        raise Http404
    day = parse_date(request.GET.get("day", "") or "") or timezone.localdate()
    hall = hall_get(code=request.GET.get("hall", "")[:30]) if request.GET.get("hall") else None
    report = selectors.reconciliation(day=day, scope=scope, hall=hall.pk if hall else None)
    if request.GET.get("format") == "csv":
        response = HttpResponse("\ufeff" + reconciliation_csv(report), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="reconciliation-{day}.csv"'
        return response
    return render(request, "cases/reconciliation.html", {"report": report, "day": day,
                                                          "hall": hall})  # fmt: skip


def receipt(request, receipt_no: str):
    """Public check of a receipt, reached from its QR code (key in the query)."""
    try:
        found = receipt_check(receipt_no[:24], request.GET.get("k", "")[:40])
    except NotFound:
        raise Http404 from None
    return render(request, "cases/receipt_check.html", {"receipt": found})


@login_required
def receipt_download(request, receipt_no: str):
    payment = selectors.payment_get(receipt_no=receipt_no[:24])
    if payment is None or not can_view_order(request.user, payment.order):
        raise Http404
    from .payments_api import receipt as api_receipt

    return api_receipt(request, payment.receipt_no)
