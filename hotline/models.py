"""12345 hotline. First slice: the versioned routing model that suggests departments."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedTextField


class RoutingModel(models.Model):
    """One trained dispatch model (TF-IDF over characters and words + a linear model, plus
    the dispatch catalogue's keywords), stored so every process loads the same version."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    trained_at = models.DateTimeField(_("trained"), default=timezone.now)
    samples = models.PositiveIntegerField(_("training samples"))
    catalogue_version = models.CharField(_("dispatch catalogue version"), max_length=20)
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    blob = models.BinaryField()  # the fitted model, pickled; written only by the train service
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("routing model")
        verbose_name_plural = _("routing models")

    def __str__(self) -> str:
        return f"v{self.version}"


class DispatchCatalogue(models.Model):
    """One version of the dispatch catalogue (派单目录): each department's words, each
    category's words, and the rules (keywords or category, optionally regions → department)
    that override the model. Loading a version retrains the routing model with it."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    content = models.JSONField(_("content"))
    loaded_at = models.DateTimeField(_("loaded"), default=timezone.now)
    loaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-loaded_at", "-pk"]
        verbose_name = _("dispatch catalogue")
        verbose_name_plural = _("dispatch catalogues")

    def __str__(self) -> str:
        return self.version


class OrderType(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    HELP = "help", _("Request for help")
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report")
    SUGGESTION = "suggestion", _("Suggestion")
    PRAISE = "praise", _("Praise")


class OrderChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WEB = "web", _("Website")
    MOBILE = "mobile", _("Mobile")
    WECHAT = "wechat", _("WeChat")
    OPEN311 = "open311", _("Open311 client")
    HALL = "hall", _("Service hall")


class OrderStatus(models.TextChoices):
    RECEIVED = "received", _("Received, waiting for dispatch")
    DISPATCHED = "dispatched", _("Dispatched, waiting for sign-off")
    SIGNED = "signed", _("Signed off, being handled")
    RETURNED = "returned", _("Returned by the department")
    REPLIED = "replied", _("Replied, waiting for the callback")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged into another work order")


class WorkOrder(models.Model):
    """工单: one citizen's request from any channel, through 受理 → 派单 → 签收 → 办理 → 回复
    → 回访 → 办结 (and 退单, 改派, reopening when the citizen is not satisfied)."""

    receipt_no = models.CharField(_("receipt number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=OrderChannel.choices)
    type = models.CharField(_("type"), max_length=14, choices=OrderType.choices)
    category = models.CharField(_("category"), max_length=40, blank=True)
    text = models.TextField(_("the citizen's words"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    region = models.ForeignKey(
        "directory.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    citizen = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="work_orders"
    )
    contact_shared = models.BooleanField(
        _("the citizen agrees departments see the contact"), default=False
    )
    # The caller's name, phone and e-mail as JSON, encrypted at rest (PIPL): the centre sees
    # them to call back; departments only when ``contact_shared``.
    contact = EncryptedTextField(_("contact details"), blank=True)
    enterprise_track = models.BooleanField(_("enterprise (124) track"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.RECEIVED
    )
    suggested = models.JSONField(_("suggested departments"), default=list, blank=True)
    suggested_category = models.CharField(_("suggested category"), max_length=40, blank=True)
    # The dispatch catalogue rule that overrode the model, if one did.
    suggested_rule = models.CharField(_("catalogue rule"), max_length=60, blank=True)
    authority = models.ForeignKey(
        "directory.Authority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead department"),
    )
    supporting = models.ManyToManyField(
        "directory.Authority",
        blank=True,
        related_name="+",
        verbose_name=_("supporting departments"),
    )
    taken_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    sign_due_at = models.DateTimeField(_("sign off by"), null=True, blank=True)
    reply_due_on = models.DateField(_("reply by"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    satisfied = models.BooleanField(_("citizen satisfied"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    open311_client = models.ForeignKey(
        "Open311Client", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    answered_with = models.ForeignKey(
        "KnowledgeArticle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answered_orders",
        verbose_name=_("answered with"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    extension_days = models.PositiveSmallIntegerField(
        _("extension asked (working days)"), default=0
    )
    extension_reason = models.TextField(_("why an extension"), blank=True)
    extension_status = models.CharField(
        _("extension"),
        max_length=10,
        blank=True,
        choices=[
            ("requested", _("Requested")),
            ("approved", _("Approved")),
            ("denied", _("Denied")),
        ],
    )
    urged_at = models.DateTimeField(_("urged (催办)"), null=True, blank=True)
    supervised_at = models.DateTimeField(_("under supervision (督办)"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    # The channel's own id of the message (WeChat MsgId): a retried delivery finds its order.
    source_ref = models.CharField(max_length=64, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["status", "authority"], name="order_status_authority")]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "source_ref"],
                name="uniq_order_source",
                condition=~models.Q(source_ref=""),
            )
        ]
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")

    def __str__(self) -> str:
        return self.receipt_no


def attachment_path(instance, filename: str) -> str:
    return f"hotline/{instance.order.receipt_no}/{instance.sha256[:16]}"


class OrderAttachment(models.Model):
    """A photo or document sent with a work order (or added by a department)."""

    order = models.ForeignKey("WorkOrder", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    added_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


# What each step of a work order's history is called on its page (the code stays in the data).
EVENT_LABELS = {
    "received": _("Received"),
    "taken": _("Taken by a dispatcher"),
    "dispatched": _("Dispatched"),
    "ruled": _("The centre's ruling"),
    "supporting": _("Supporting departments"),
    "signed": _("Signed off"),
    "returned": _("Returned by the department"),
    "replied": _("Replied"),
    "closed": _("Closed after the callback"),
    "reopened": _("Reopened: the citizen is not satisfied"),
    "answered": _("Answered directly"),
    "merged": _("Merged into"),
    "merged_in": _("Merged in"),
    "extension.requested": _("Extension asked"),
    "extension.approved": _("Extension approved"),
    "extension.denied": _("Extension denied"),
    "urged": _("Urged (催办)"),
    "supervised": _("Under supervision (督办)"),
    "support.noted": _("Supporting department's part"),
    "attachment.added": _("Attachment added"),
}


class OrderEvent(models.Model):
    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=30)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("work order event")
        verbose_name_plural = _("work order events")

    def __str__(self) -> str:
        return f"{self.order_id}:{self.action}"

    @property
    def label(self):
        return EVENT_LABELS.get(self.action, self.action)


class Open311Client(models.Model):
    """A client application allowed to POST requests through Open311 (one api_key each)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    key_digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the key
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self) -> str:
        return self.name


class ArticleStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class KnowledgeArticle(models.Model):
    """One answer of the centre's knowledge base (知识库): a question citizens ask, the answer
    operators give, the words that find it, the department whose policy it is and the
    document it rests on. Kept by the centre's staff; a policy that lapses is retired or given
    an end date, and then no longer offered. Edits are compare-and-set on ``version``."""

    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"), max_length=4000)
    keywords = models.CharField(
        _("keywords"),
        max_length=500,
        blank=True,
        help_text=_("Words that find this answer, separated by spaces or commas."),
    )
    department = models.ForeignKey(
        "directory.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(
        _("policy basis"), max_length=300, blank=True, help_text=_("The document it rests on.")
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.PUBLISHED
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("knowledge base answer")
        verbose_name_plural = _("knowledge base answers")

    def __str__(self) -> str:
        return self.question

    @property
    def code(self) -> str:
        return f"KB{self.pk}"
