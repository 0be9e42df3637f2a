"""好差评 (GB/T 39734-2020, GB/T 39735-2020): every service event rated once on five levels,
every bad review rectified with a callback, and the units assessed from incremental rollups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    BASICALLY_SATISFIED = 3, _("Basically satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


SATISFIED_LEVELS = (3, 4, 5)  # the top three levels count as satisfied
BAD_LEVELS = (1, 2)


class EventKind(models.TextChoices):
    CASE = "case", _("Application (closed case)")
    WORK_ORDER = "work_order", _("Hotline work order")
    HALL_VISIT = "hall_visit", _("Visit to a service hall")


class RatingChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    HALL = "hall", _("In a hall")


# Dimensions by channel (GB/T 39735): what is rated besides the overall level.
DIMENSIONS = {
    RatingChannel.ONLINE: {
        "efficiency": _("Efficiency"),
        "guide_accuracy": _("Accuracy of the guide"),
        "convenience": _("Convenience"),
        "usability": _("Ease of use of the platform"),
    },
    RatingChannel.HALL: {
        "efficiency": _("Efficiency"),
        "skill": _("Skill"),
        "attitude": _("Attitude"),
    },
}


class ServiceEvent(models.Model):
    """One service that ended (a closed case, a closed work order, a served hall visit), with
    the units responsible denormalised for assessment. Rated at most once, by its person."""

    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    ref = models.CharField(_("reference"), max_length=40)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="service_events",
        verbose_name=_("person served"),
    )
    service_name = models.CharField(_("service"), max_length=300)
    channel = models.CharField(_("channel"), max_length=10, choices=RatingChannel.choices)
    department = models.ForeignKey(
        "directory.Department", on_delete=models.PROTECT, related_name="+"
    )
    authority = models.ForeignKey("directory.Authority", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    hall = models.ForeignKey(
        "directory.Hall", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    window = models.ForeignKey(
        "directory.Window", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    ended_at = models.DateTimeField(_("ended"), default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "ref"], name="uniq_event_ref")]
        verbose_name = _("service event")
        verbose_name_plural = _("service events")

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}"


class Invitation(models.Model):
    """The invitation to rate an event; its signed link (SMS) works once, until it expires."""

    event = models.OneToOneField(ServiceEvent, on_delete=models.CASCADE, related_name="invitation")
    nonce = models.CharField(max_length=32, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation to rate")
        verbose_name_plural = _("invitations to rate")

    def __str__(self) -> str:
        return f"{self.event_id}"


class Rating(models.Model):
    """评价: one per event, by the person served; changeable within 24 hours. A rating found
    unfounded (e.g. malicious) is kept, marked, and left out of the assessment."""

    event = models.OneToOneField(ServiceEvent, on_delete=models.PROTECT, related_name="rating")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ratings"
    )
    level = models.PositiveSmallIntegerField(_("rating"), choices=Level.choices)
    dimensions = models.JSONField(_("dimensions"), default=dict, blank=True)
    words = models.TextField(_("in your words"), blank=True, max_length=1000)
    # Denormalised from the event, for the assessment and the rollups.
    channel = models.CharField(_("channel"), max_length=10, choices=RatingChannel.choices)
    department = models.ForeignKey(
        "directory.Department", on_delete=models.PROTECT, related_name="+"
    )
    authority = models.ForeignKey("directory.Authority", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    hall = models.ForeignKey(
        "directory.Hall", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    window = models.ForeignKey(
        "directory.Window", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    day = models.DateField(_("day"), db_index=True)  # the day it counts on (when first rated)
    rated_at = models.DateTimeField(_("rated"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)
    unfounded = models.BooleanField(_("found unfounded"), default=False)
    unfounded_reason = models.TextField(_("why unfounded"), blank=True)
    unfounded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-rated_at", "-pk"]
        indexes = [
            models.Index(fields=["department", "day"], name="rating_dept_day"),
            models.Index(fields=["hall", "day"], name="rating_hall_day"),
        ]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"{self.event_id}:{self.level}"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the unit's response")
    RESPONDED = "responded", _("Responded; callback to make")
    CLOSED = "closed", _("Closed after the callback")
    UNFOUNDED = "unfounded", _("Found unfounded")


class Rectification(models.Model):
    """整改: a bad review sent to the responsible unit with a deadline; the unit responds
    with evidence, calls the rater back (required before closing), the rater sees the outcome."""

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="rectification")
    authority = models.ForeignKey(
        "directory.Authority",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible unit"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    due_on = models.DateField(_("due"))
    response = models.TextField(_("response"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    callback_at = models.DateTimeField(_("called back"), null=True, blank=True)
    callback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    callback_note = models.TextField(_("callback notes"), blank=True)
    rater_satisfied = models.BooleanField(
        _("rater satisfied with the handling"), null=True, blank=True
    )
    on_time = models.BooleanField(_("closed on time"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")

    def __str__(self) -> str:
        return f"{self.rating_id}:{self.status}"


class UnitKind(models.TextChoices):
    CITY = "city", _("City")
    DEPARTMENT = "department", _("Department")
    REGION = "region", _("District")
    HALL = "hall", _("Hall")
    WINDOW = "window", _("Window")
    STAFF = "staff", _("Staff member")


class Rollup(models.Model):
    """Counts per day × unit × channel, kept by the services as ratings arrive, change or are
    found unfounded (never by scanning ratings on a page view). Unfounded ratings do not count.
    Rectification counts sit on the day of the rating they belong to."""

    day = models.DateField()
    unit = models.CharField(max_length=12, choices=UnitKind.choices)
    unit_id = models.BigIntegerField()  # 0 for the city
    channel = models.CharField(max_length=10, choices=RatingChannel.choices)
    n = models.IntegerField(default=0)
    l1 = models.IntegerField(default=0)
    l2 = models.IntegerField(default=0)
    l3 = models.IntegerField(default=0)
    l4 = models.IntegerField(default=0)
    l5 = models.IntegerField(default=0)
    rectifications = models.IntegerField(default=0)
    rect_closed = models.IntegerField(default=0)
    rect_on_time = models.IntegerField(default=0)
    callbacks = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "unit_id", "day", "channel"], name="uniq_rollup"
            )
        ]
        indexes = [models.Index(fields=["unit", "day"], name="rollup_unit_day")]
        verbose_name = _("rollup")
        verbose_name_plural = _("rollups")

    def __str__(self) -> str:
        return f"{self.day} {self.unit}:{self.unit_id} {self.channel}"
