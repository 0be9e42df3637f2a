"""Cases (办件): one application and everything that follows — its work items and history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.models import Channel  # one list of channels for items and applications


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting to be accepted")
    UNDER_REVIEW = "under_review", _("Under review")
    SUPPLEMENTATION = "supplementation", _("Waiting for missing materials")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REFUSED = "refused", _("Not accepted")


FINAL = {Status.APPROVED, Status.REJECTED, Status.REFUSED}


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
