"""Reads of cases, restricted to what the actor may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth

from accounts.models import Role

from .fees import form_defaults  # noqa: F401  (part of the read API)
from .models import (
    Alert,
    Case,
    Channel,
    Payment,
    PaymentMethod,
    PaymentOrder,
    Refund,
    Status,
    WorkItem,
    WorkItemStatus,
)
from .payments import providers
from .permissions import _assignments


def case_list(*, actor) -> QuerySet[Case]:
    """The actor's own cases (as applicant) and, for staff, their authorities' cases."""
    if not getattr(actor, "is_authenticated", False):
        return Case.objects.none()
    authorities = {a for a, role in _assignments(actor) if role != Role.CASHIER}
    mine = Q(applicant=actor)
    if actor.is_staff_member:
        mine |= Q(authority_id__in=authorities) | Q(intake_by=actor)
    return Case.objects.select_related("item", "authority").filter(mine)


def staff_cases(*, actor) -> QuerySet[Case]:
    """The cases a staff member may see at work: their authorities' and what they took in."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_staff_member:
        return Case.objects.none()
    authorities = {a for a, role in _assignments(actor) if role != Role.CASHIER}
    return Case.objects.select_related("item", "authority", "window__hall").filter(
        Q(authority_id__in=authorities) | Q(intake_by=actor)
    )


def my_tasks(*, actor) -> QuerySet[WorkItem]:
    return WorkItem.objects.select_related("case", "case__item").filter(
        claimed_by=actor, status=WorkItemStatus.CLAIMED
    )


def overdue(*, actor) -> QuerySet[Case]:
    """Open cases with a yellow or red warning that the actor may see, most urgent first."""
    return (
        staff_cases(actor=actor)
        .filter(status=Status.UNDER_REVIEW, alert__in=[Alert.YELLOW, Alert.RED])
        .order_by("promised_due_on", "pk")
    )


def overdue_summary(*, actor) -> dict[str, list[dict]]:
    """Warnings counted per department (authority) and per hall of intake."""
    base = overdue(actor=actor).order_by()
    counts = {"yellow": Count("pk", filter=Q(alert=Alert.YELLOW)),
              "red": Count("pk", filter=Q(alert=Alert.RED))}  # fmt: skip
    by_authority = list(
        base.values("authority__name_zh", "authority__name_en").annotate(**counts)
        .order_by("-red", "-yellow")
    )  # fmt: skip
    by_hall = list(
        base.filter(window__isnull=False).values("window__hall__name_zh", "window__hall__name_en")
        .annotate(**counts).order_by("-red", "-yellow")
    )  # fmt: skip
    return {"authorities": by_authority, "halls": by_hall}


def case_search(*, actor, receipt_no: str = "", applicant=None) -> QuerySet[Case]:
    """Staff search by receipt number (or its start) or by applicant (a Person found through
    accounts.services.person_lookup, which logs the look)."""
    cases = staff_cases(actor=actor)
    if receipt_no:
        cases = cases.filter(receipt_no__startswith=receipt_no.strip().upper())
    if applicant is not None:
        cases = cases.filter(applicant=applicant.user)
    if not receipt_no and applicant is None:
        return cases.none()
    return cases


# Metrics -----------------------------------------------------------------------------------

ONLINE = [Channel.ONLINE, Channel.MOBILE]
GROUPS = {
    "item": ("item__code", "item__name_zh", "item__name_en"),
    "department": ("authority__department__code", "authority__department__name_zh",
                   "authority__department__name_en"),
    "hall": ("window__hall__code", "window__hall__name_zh", "window__hall__name_en"),
    "month": ("month",),
}  # fmt: skip


@dataclass(frozen=True)
class Figures:
    """Rates over a set of cases; None where there is nothing to divide by."""

    key: str
    name_zh: str
    name_en: str
    cases: int
    decided: int
    online_rate: float | None
    one_visit_rate: float | None
    time_cut: float | None  # 1 − working days used / legal working days, decided cases
    on_time_rate: float | None  # decided on or before the promised deadline

    @property
    def name(self) -> str:
        from core.text import localized_name

        return localized_name(self.name_zh, self.name_en) if self.name_zh else self.key


def _rate(part, whole) -> float | None:
    return round(part / whole, 4) if whole else None


AGGREGATES = {
    "cases": Count("pk"),
    "online": Count("pk", filter=Q(channel__in=ONLINE)),
    "decided": Count("pk", filter=Q(status__in=[Status.APPROVED, Status.REJECTED])),
    "one_visit": Count("pk", filter=Q(status__in=[Status.APPROVED, Status.REJECTED],
                                      visits__lte=1)),
    "used": Sum("working_days_used", filter=Q(working_days_used__isnull=False,
                                              item__legal_limit_days__gt=0)),
    "legal": Sum("item__legal_limit_days", filter=Q(working_days_used__isnull=False,
                                                     item__legal_limit_days__gt=0)),
    "timed": Count("pk", filter=Q(decided_at__isnull=False, promised_due_on__isnull=False,
                                  status__in=[Status.APPROVED, Status.REJECTED])),
    "on_time": Count("pk", filter=Q(decided_on__lte=F("promised_due_on"),
                                    status__in=[Status.APPROVED, Status.REJECTED])),
}  # fmt: skip


def _figures(key: str, name_zh: str, name_en: str, row: dict) -> Figures:
    used, legal = row["used"] or 0, row["legal"] or 0
    return Figures(
        key=key, name_zh=name_zh, name_en=name_en, cases=row["cases"], decided=row["decided"],
        online_rate=_rate(row["online"], row["cases"]),
        one_visit_rate=_rate(row["one_visit"], row["decided"]),
        time_cut=round(1 - used / legal, 4) if legal else None,
        on_time_rate=_rate(row["on_time"], row["timed"]),
    )  # fmt: skip


def case_metrics(*, group: str | None = None, since: dt.date | None = None,
                 include_demo: bool = True) -> list[Figures]:  # fmt: skip
    """Online rate, one-visit rate, time cut and on-time rate, for all cases or per item,
    department, hall of intake or month of submission. Computed from the cases each time."""
    cases = Case.objects.annotate(decided_on=TruncDate("decided_at"))
    if since is not None:
        cases = cases.filter(submitted_at__date__gte=since)
    if not include_demo:
        cases = cases.filter(is_demo=False)
    if group is None:
        return [_figures("all", "", "", cases.aggregate(**AGGREGATES))]
    if group not in GROUPS:
        raise ValueError(group)
    if group == "month":
        cases = cases.annotate(month=TruncMonth("submitted_at"))
    else:
        cases = cases.filter(**{f"{GROUPS[group][0]}__isnull": False})
    rows = cases.values(*GROUPS[group]).annotate(**AGGREGATES).order_by(*GROUPS[group][:1])
    result = []
    for row in rows:
        if group == "month":
            result.append(_figures(f"{row['month']:%Y-%m}", "", "", row))
        else:
            code, zh, en = (row[k] for k in GROUPS[group])
            result.append(_figures(code, zh, en, row))
    return result


def inbox(*, actor) -> QuerySet[WorkItem]:
    """Open work items the actor's roles may take, and the ones the actor holds."""
    pairs = _assignments(actor)
    if not pairs:
        return WorkItem.objects.none()
    may_take = Q()
    for authority, role in pairs:
        may_take |= Q(authority_id=authority, role=role)
    return (
        WorkItem.objects.select_related("case", "case__item")
        .filter(may_take)
        .filter(Q(status=WorkItemStatus.OPEN) | Q(status=WorkItemStatus.CLAIMED, claimed_by=actor))
    )


def case_track(*, receipt_no: str, id_last4: str) -> Case | None:
    """The case for a public progress lookup, if the applicant's ID ends with ``id_last4``."""
    case = (
        Case.objects.select_related("item", "applicant__person")
        .filter(receipt_no=receipt_no)
        .first()
    )
    person = getattr(case.applicant, "person", None) if case else None
    if person is None or not person.id_number.upper().endswith(id_last4.upper()):
        return None
    return case


def instant_explanation(*, case: Case) -> dict | None:
    """The instant decision of ``case`` in the reader's language: each rule, the source
    that answered it, and whether it held (None: could not be checked)."""
    from licenses.selectors import license_type_list

    from .instant import rule_label
    from .models import InstantDecision

    decision = InstantDecision.objects.filter(case=case).first()
    if decision is None:
        return None
    names = {t.code: t.name for t in license_type_list()}
    lines = []
    for line in decision.rules:
        label, source = rule_label(line["rule"], names)
        lines.append({**line, "label": label, "source": source})
    return {"outcome": decision.outcome, "table": decision.table, "version": decision.version,
            "lines": lines, "decided_in_ms": decision.decided_in_ms}  # fmt: skip


@dataclass(frozen=True)
class InstantFigures:
    key: str
    name_zh: str
    name_en: str
    eligible: int  # applications for instant-eligible items
    instant: int  # of those, approved by the rules
    instant_rate: float | None
    p50_seconds: float | None  # submission to decision, instant approvals
    p99_seconds: float | None

    @property
    def name(self) -> str:
        from core.text import localized_name

        return localized_name(self.name_zh, self.name_en) if self.name_zh else self.key


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 3)


def instant_metrics(*, group: str | None = None) -> list[InstantFigures]:
    """秒批 rate per item or department (share of applications for instant-eligible items that
    the rules approved) and the time from submission to decision of those approvals."""
    from .models import InstantOutcome

    keys = {"item": GROUPS["item"], "department": GROUPS["department"]}.get(group or "", ())
    rows = Case.objects.filter(item__instant=True).values_list(
        *keys, "instant__outcome", "submitted_at", "decided_at")  # fmt: skip
    buckets: dict[tuple, dict] = {}
    for row in rows:
        head, (outcome, submitted, decided) = row[: len(keys)], row[len(keys) :]
        bucket = buckets.setdefault(tuple(head) or ("all", "", ""), {"n": 0, "times": []})
        bucket["n"] += 1
        if outcome == InstantOutcome.APPROVED and decided is not None:
            bucket["times"].append((decided - submitted).total_seconds())
    result = []
    for (key, zh, en), bucket in sorted(buckets.items()):
        times = bucket["times"]
        result.append(InstantFigures(
            key=key, name_zh=zh, name_en=en, eligible=bucket["n"], instant=len(times),
            instant_rate=_rate(len(times), bucket["n"]), p50_seconds=_percentile(times, 0.5),
            p99_seconds=_percentile(times, 0.99),
        ))  # fmt: skip
    return result


# 一窗收费 ------------------------------------------------------------------------------------


def order_of(case: Case) -> PaymentOrder | None:
    return PaymentOrder.objects.filter(case=case).first()


def order_find(*, code: str) -> PaymentOrder | None:
    """An order by its payment code, or by its case's receipt number (the cashier types or
    scans either)."""
    code = (code or "").strip().upper()
    if not code or len(code) > 20:
        return None
    found = PaymentOrder.objects.select_related(
        "case", "case__item", "authority", "case__applicant"
    )
    return found.filter(Q(code=code) | Q(case__receipt_no=code)).first()


def payment_get(*, receipt_no: str) -> Payment | None:
    return (Payment.objects.select_related("order", "order__case", "order__case__item",
                                           "order__authority", "hall")
            .filter(receipt_no=receipt_no).first())  # fmt: skip


ZERO = Decimal("0.00")


def reconciliation(*, day: dt.date, scope: dict, hall: int | None = None) -> dict:
    """对账: one day's orders, payments (by method) and refunds per hall × department, their
    totals, and the differences between our online payments and each provider's statement.
    ``scope`` (from permissions.reconciliation_scope) limits halls or authorities; payments
    online have no hall. Orders count on the day issued; payments and refunds on the day made."""
    orders = PaymentOrder.objects.filter(created_at__date=day)
    payments = Payment.objects.filter(at__date=day)
    refunds = Refund.objects.filter(at__date=day)
    if "halls" in scope or hall is not None:
        halls = [hall] if hall is not None else scope["halls"]
        if "halls" in scope and hall is not None and hall not in scope["halls"]:
            halls = []
        orders, payments, refunds = (orders.filter(hall_id__in=halls),
                                     payments.filter(hall_id__in=halls),
                                     refunds.filter(hall_id__in=halls))  # fmt: skip
    if "authorities" in scope:
        authorities = scope["authorities"]
        orders = orders.filter(authority_id__in=authorities)
        payments = payments.filter(order__authority_id__in=authorities)
        refunds = refunds.filter(order__authority_id__in=authorities)
    rows: dict[tuple, dict] = {}

    def row(hall_code, hall_name, dept_code, dept_name) -> dict:
        key = (hall_code or "", dept_code)
        if key not in rows:
            rows[key] = {"hall": hall_code or "", "hall_name": hall_name or "",
                         "department": dept_code, "department_name": dept_name,
                         "orders": 0, "due": ZERO, "payments": 0, "paid": ZERO,
                         "by_method": dict.fromkeys(PaymentMethod.values, ZERO),
                         "refunds": 0, "refunded": ZERO}  # fmt: skip
        return rows[key]

    dept = ("authority__department__code", "authority__department__name_zh")
    for r in orders.values("hall__code", "hall__name_zh", *dept).annotate(
        n=Count("pk"), due=Sum("amount_due")
    ):
        target = row(r["hall__code"], r["hall__name_zh"], r[dept[0]], r[dept[1]])
        target["orders"] += r["n"]
        target["due"] += r["due"] or ZERO
    pdept = ("order__authority__department__code", "order__authority__department__name_zh")
    for r in payments.values("hall__code", "hall__name_zh", *pdept, "method").annotate(
        n=Count("pk"), total=Sum("amount")
    ):
        target = row(r["hall__code"], r["hall__name_zh"], r[pdept[0]], r[pdept[1]])
        target["payments"] += r["n"]
        target["paid"] += r["total"] or ZERO
        target["by_method"][r["method"]] += r["total"] or ZERO
    for r in refunds.values("hall__code", "hall__name_zh", *pdept).annotate(
        n=Count("pk"), total=Sum("amount")
    ):
        target = row(r["hall__code"], r["hall__name_zh"], r[pdept[0]], r[pdept[1]])
        target["refunds"] += r["n"]
        target["refunded"] += r["total"] or ZERO
    ordered = sorted(rows.values(), key=lambda r: (r["hall"] == "", r["hall"], r["department"]))
    for r in ordered:
        r["net"] = r["paid"] - r["refunded"]
    keys = ("orders", "due", "payments", "paid", "refunds", "refunded", "net")
    totals = {key: sum((r[key] for r in ordered), ZERO if key in MONEY else 0) for key in keys}
    return {"day": day, "rows": ordered, "totals": totals,
            "differences": provider_differences(day=day, payments=payments)}  # fmt: skip


MONEY = {"due", "paid", "refunded", "net"}


def provider_differences(*, day: dt.date, payments: QuerySet[Payment]) -> list[dict]:
    """Online payments we recorded vs what each provider says it settled that day."""
    differences = []
    ours = {(p.provider, p.provider_txn): p for p in payments.exclude(provider="")}
    for name, chosen in providers().items():
        theirs = {s.txn: s for s in chosen.statement(day)}
        for txn, settled in theirs.items():
            mine = ours.get((name, txn))
            if mine is None:
                differences.append({"provider": name, "txn": txn, "order": settled.order_code,
                                    "ours": None, "theirs": str(settled.amount),
                                    "kind": "missing_here"})  # fmt: skip
            elif mine.amount != settled.amount:
                differences.append({"provider": name, "txn": txn, "order": settled.order_code,
                                    "ours": str(mine.amount), "theirs": str(settled.amount),
                                    "kind": "amount"})  # fmt: skip
        for (pname, txn), mine in ours.items():
            if pname == name and txn not in theirs:
                differences.append({"provider": name, "txn": txn, "order": mine.order.code,
                                    "ours": str(mine.amount), "theirs": None,
                                    "kind": "missing_at_provider"})  # fmt: skip
    return differences
