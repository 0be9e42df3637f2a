"""Cases (办件): one application and everything that follows — its work items and history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Channel  # one list of channels for items and applications


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting to be accepted")
    UNDER_REVIEW = "under_review", _("Under review")
    SUPPLEMENTATION = "supplementation", _("Waiting for missing materials")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REFUSED = "refused", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")


FINAL = {Status.APPROVED, Status.REJECTED, Status.REFUSED, Status.WITHDRAWN}


class Alert(models.TextChoices):
    NONE = "", _("On time")
    YELLOW = "yellow", _("Yellow: 80% of the promised time used")
    RED = "red", _("Red: past the promised deadline")


class Delivery(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronically (in your account)")
    PICKUP = "pickup", _("Pick up at a window")
    POST = "post", _("By post")


# 依法申请行政复议或者提起行政诉讼: the remedies every rejection states.
REMEDIES = _(
    "If you disagree with this decision, you may apply for administrative reconsideration "
    "within 60 days of receiving it, or bring an administrative lawsuit before a people's court "
    "within 6 months."
)


class Case(models.Model):
    """办件: an application for one service item, from any channel, to a decision."""

    receipt_no = models.CharField(_("receipt number"), max_length=18, unique=True)
    item = models.ForeignKey("catalog.ServiceItem", on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases"
    )
    enterprise = models.ForeignKey(
        "accounts.Enterprise", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    authority = models.ForeignKey(
        "directory.Authority", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("responsible authority"),
    )  # fmt: skip
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    window = models.ForeignKey(
        "directory.Window", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outlet = models.ForeignKey(
        "directory.BankOutlet", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("bank outlet"),
    )  # fmt: skip
    intake_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("taken in by"),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    form_data = models.JSONField(_("form"), default=dict)
    process = models.CharField(_("process"), max_length=40)
    workflow_state = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)  # compare-and-set on every transition
    idempotency_key = models.CharField(max_length=100, blank=True, default="")
    visits = models.PositiveSmallIntegerField(_("visits in person"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    legal_due_on = models.DateField(_("legal deadline"), null=True, blank=True)
    promised_due_on = models.DateField(_("promised deadline"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # 一次性告知 / 补正: everything missing, listed at once; the clock stops meanwhile.
    missing = models.JSONField(_("missing materials"), default=list, blank=True)
    paused_on = models.DateField(_("clock paused since"), null=True, blank=True)
    paused_days = models.PositiveSmallIntegerField(_("working days paused"), default=0)
    alert = models.CharField(_("time-limit warning"), max_length=10, choices=Alert.choices,
                             default=Alert.NONE, blank=True)  # fmt: skip
    working_days_used = models.PositiveSmallIntegerField(
        _("working days used"), null=True, blank=True
    )
    fee_cny = models.DecimalField(
        _("fee (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    issued = models.CharField(_("what is issued"), max_length=300, blank=True)
    delivery_method = models.CharField(
        _("delivery"), max_length=12, choices=Delivery.choices, default=Delivery.ELECTRONIC
    )
    delivery_address = models.CharField(_("postal address"), max_length=300, blank=True)
    tracking_no = models.CharField(_("tracking number"), max_length=40, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="uniq_case_idempotency",
            )
        ]
        indexes = [
            models.Index(fields=["authority", "status"], name="case_authority_status"),
            models.Index(fields=["status", "promised_due_on"], name="case_status_due"),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.receipt_no

    @property
    def is_final(self) -> bool:
        return self.status in FINAL


class WorkItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Claimed")
    DONE = "done", _("Done")


STEP_LABELS = {
    "accept": _("Accept"),
    "review": _("Review"),
    "inspect": _("On-site inspection"),
    "decide": _("Decide"),
    "deliver": _("Deliver the result"),
}


class WorkItem(models.Model):
    """A user task of a case's workflow, waiting in a department's inbox."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="work_items")
    task_id = models.CharField(max_length=64)
    step = models.CharField(_("step"), max_length=40)
    authority = models.ForeignKey("directory.Authority", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=WorkItemStatus.choices, default=WorkItemStatus.OPEN
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "task_id"], name="uniq_work_item_task")
        ]
        verbose_name = _("work item")
        verbose_name_plural = _("work items")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.step}"

    @property
    def step_label(self) -> str:
        return str(STEP_LABELS.get(self.step, self.step))


class CaseEvent(models.Model):
    """The case's history: who did what, when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.action}"


class MaterialSource(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    SHOWN = "shown", _("Shown at the window")
    FETCHED = "fetched", _("Fetched from the e-license registry")


def _material_path(instance, filename: str) -> str:
    # The stored name never carries the applicant's file name (it may hold personal data).
    return f"cases/{instance.case.submitted_at:%Y/%m}/{instance.sha256[:32]}{instance.suffix}"


class CaseMaterial(models.Model):
    """One material of a case: a checked upload, an original seen at the window, or an
    e-license fetched from the registry."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey(
        "catalog.Material", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("material"), max_length=300)
    source = models.CharField(_("source"), max_length=10, choices=MaterialSource.choices)
    file = models.FileField(_("file"), upload_to=_material_path, blank=True)
    content_type = models.CharField(max_length=60, blank=True)
    suffix = models.CharField(max_length=8, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    license_number = models.CharField(_("e-license number"), max_length=40, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("case material")
        verbose_name_plural = _("case materials")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.name}"


class InstantOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved instantly")
    REFERRED = "referred", _("Referred to a reviewer")


class InstantDecision(models.Model):
    """秒批: one evaluation of an item's decision table for a case, with its explanation —
    which rules ran, what each found, and the outcome. Kept whatever the outcome."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="instant")
    table = models.CharField(_("decision table"), max_length=80)
    version = models.CharField(_("table version"), max_length=10)
    rules = models.JSONField(_("rules"), default=list)  # [{"rule", "passed"}], in table order
    inputs_sha256 = models.JSONField(_("inputs (SHA-256)"), default=dict)
    outcome = models.CharField(_("outcome"), max_length=10, choices=InstantOutcome.choices)
    decided_in_ms = models.PositiveIntegerField(_("time to decide (ms)"), default=0)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instant decision")
        verbose_name_plural = _("instant decisions")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.outcome}"


# 一窗收费: fees, payment orders, payments, refunds ------------------------------------------


class Exemption(models.TextChoices):
    ELDERLY = "elderly", _("Elderly")
    DISABLED = "disabled", _("Disabled person")
    LOW_INCOME = "low_income", _("Low-income household (subsistence allowance)")


class FeeItem(models.Model):
    """收费项目: one charge of a service item — a fixed amount, or an amount per unit (the
    number comes from the application form), optionally only when a form field has a value;
    with the exemptions it allows. Loaded from cases/data/fees.json."""

    item = models.ForeignKey("catalog.ServiceItem", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=30, unique=True)
    name_zh = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    unit_field = models.CharField(_("units from form field"), max_length=40, blank=True)
    unit_zh = models.CharField(_("unit"), max_length=20, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=40, blank=True)
    max_units = models.PositiveSmallIntegerField(_("most units"), default=1)
    when_field = models.CharField(_("only when form field"), max_length=40, blank=True)
    when_value = models.CharField(_("has the value"), max_length=60, blank=True)
    exemptions = models.JSONField(_("exemptions"), default=list, blank=True)
    elderly_age = models.PositiveSmallIntegerField(_("elderly from age"), default=70)
    basis_zh = models.CharField(_("basis"), max_length=300, blank=True)
    version = models.CharField(_("schedule version"), max_length=20)

    class Meta:
        ordering = ["item_id", "code"]
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh} ¥{self.amount}"


class OrderStatus(models.TextChoices):
    OPEN = "open", _("Waiting for payment")
    PAID = "paid", _("Paid")
    EXEMPT = "exempt", _("Nothing to pay (exempt)")
    REFUNDED = "refunded", _("Refunded")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentOrder(models.Model):
    """缴款通知: what a case must pay, with a unique 20-digit payment code (缴款码) the payer
    brings to the charge window or pays online. ``lines`` is the priced fee schedule:
    [{code, name_zh, name_en, unit_amount, units, amount, exempt}] — kept as priced."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="payment_order")
    code = models.CharField(_("payment code"), max_length=20, unique=True)
    authority = models.ForeignKey("directory.Authority", on_delete=models.PROTECT,
                                  related_name="+")  # fmt: skip
    hall = models.ForeignKey("directory.Hall", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("hall of intake"))  # fmt: skip
    lines = models.JSONField(_("fees"), default=list)
    amount_due = models.DecimalField(_("amount due"), max_digits=10, decimal_places=2)
    amount_paid = models.DecimalField(_("paid"), max_digits=10, decimal_places=2, default=0)
    amount_refunded = models.DecimalField(_("refunded"), max_digits=10, decimal_places=2,
                                          default=0)  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=OrderStatus.choices,
                              default=OrderStatus.OPEN)  # fmt: skip
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("issued"), default=timezone.now, db_index=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("payment order")
        verbose_name_plural = _("payment orders")

    def __str__(self) -> str:
        return self.code

    @property
    def refundable(self):
        return self.amount_paid - self.amount_refunded


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CARD = "card", _("Bank card")
    QR = "qr", _("QR code at the window")
    ONLINE = "online", _("Online")


class Payment(models.Model):
    """One payment of an order: at a charge window (recorded by the cashier) or online (from
    the provider's signed notification; unique per provider transaction, so a notification
    delivered twice records one payment). Each has an electronic receipt."""

    order = models.ForeignKey(PaymentOrder, on_delete=models.PROTECT, related_name="payments")
    receipt_no = models.CharField(_("receipt number"), max_length=24, unique=True)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
    provider = models.CharField(_("provider"), max_length=20, blank=True)
    provider_txn = models.CharField(_("provider transaction"), max_length=64, blank=True)
    window = models.ForeignKey("directory.Window", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")  # fmt: skip
    hall = models.ForeignKey("directory.Hall", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")  # fmt: skip
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+")  # fmt: skip
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    is_test = models.BooleanField(_("test mode"), default=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "provider_txn"],
                                    condition=~Q(provider_txn=""), name="uniq_provider_txn")
        ]  # fmt: skip
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return self.receipt_no


class Refund(models.Model):
    """A refund of (part of) what an order received — never more than was paid less what
    was refunded before. Automatic when a paid case is rejected, refused or withdrawn."""

    order = models.ForeignKey(PaymentOrder, on_delete=models.PROTECT, related_name="refunds")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                           blank=True, related_name="+")  # fmt: skip
    provider_ref = models.CharField(_("provider reference"), max_length=64, blank=True)
    hall = models.ForeignKey("directory.Hall", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")  # fmt: skip
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"{self.order_id}:-{self.amount}"


class PaymentNotice(models.Model):
    """Every asynchronous notification a payment provider sent, accepted or not, with the
    reason for a rejection (a bad signature, an unknown order, a wrong amount)."""

    provider = models.CharField(max_length=20)
    accepted = models.BooleanField(default=False)
    reason = models.CharField(max_length=200, blank=True)
    provider_txn = models.CharField(max_length=64, blank=True)
    body_sha256 = models.CharField(max_length=64)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("payment notification")
        verbose_name_plural = _("payment notifications")

    def __str__(self) -> str:
        return f"{self.provider}:{'ok' if self.accepted else self.reason}"


class SandboxTransaction(models.Model):
    """The built-in sandbox provider's own books (test mode): what it was asked to collect,
    what it collected and refunded. Reconciliation compares them with ours."""

    txn = models.CharField(max_length=32, unique=True)
    order_code = models.CharField(max_length=20, db_index=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    refunded = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    status = models.CharField(max_length=10, default="pending")  # pending, paid, cancelled
    return_url = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sandbox transaction")
        verbose_name_plural = _("sandbox transactions")

    def __str__(self) -> str:
        return self.txn
