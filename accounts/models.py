"""People and organisations: users, natural persons, enterprises, agents, staff roles."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedTextField
from core.ids import ID_TYPE_LABELS, IdType
from core.masking import mask_id, mask_phone


class UserKind(models.TextChoices):
    PERSON = "person", _("Natural person")
    STAFF = "staff", _("Staff")


class OneStopUserManager(UserManager):
    def create_user(self, username, email=None, password=None, **extra):
        extra.setdefault("display_name", username)
        return super().create_user(username, email, password, **extra)

    def create_superuser(self, username, email=None, password=None, **extra):
        extra.setdefault("display_name", username)
        extra.setdefault("kind", UserKind.STAFF)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A sign-in account: a natural person (with a Person record) or a staff member."""

    username = models.CharField(_("user name"), max_length=150, unique=True)
    display_name = models.CharField(_("display name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=UserKind.choices)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    elderly_mode = models.BooleanField(_("elderly mode"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("back-office access"), default=False, help_text=_("May sign in to the admin site.")
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = OneStopUserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.username

    @property
    def is_person(self) -> bool:
        return self.kind == UserKind.PERSON

    @property
    def is_staff_member(self) -> bool:
        return self.kind == UserKind.STAFF


class Person(models.Model):
    """A natural person (自然人). ID and phone are encrypted; digests find them."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="person")
    name = models.CharField(_("name"), max_length=100)
    id_type = models.CharField(
        _("identity document"),
        max_length=20,
        choices=[(k.value, v) for k, v in ID_TYPE_LABELS.items()],
    )
    id_number = EncryptedTextField(_("identity number"))
    id_digest = models.CharField(max_length=64, unique=True, editable=False)
    phone = EncryptedTextField(_("mobile phone"), blank=True)
    phone_digest = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    region = models.ForeignKey(
        "directory.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("region of residence"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"{self.name} ({self.masked_id})"

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_cross_border(self) -> bool:
        """Hong Kong, Macao or Taiwan resident (by the document they registered with)."""
        return self.id_type != IdType.RESIDENT_ID


class Enterprise(models.Model):
    """A legal person (法人), identified by its unified social credit code."""

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_representative = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="represented_enterprises",
        verbose_name=_("legal representative"),
    )
    region = models.ForeignKey(
        "directory.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("registered region"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name


class EnterpriseAgent(models.Model):
    """代办人: a person authorised by the legal representative to act for the enterprise."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="agents")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="agencies")
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enterprise agent")
        verbose_name_plural = _("enterprise agents")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "person"],
                condition=models.Q(revoked_at__isnull=True),
                name="uniq_active_agent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.name} → {self.enterprise.name}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Role(models.TextChoices):
    CLERK = "clerk", _("Clerk (window intake)")
    REVIEWER = "reviewer", _("Reviewer")
    DISPATCHER = "dispatcher", _("Hotline dispatcher")
    HANDLER = "handler", _("Handler")
    SUPERVISOR = "supervisor", _("Supervisor")
    CASHIER = "cashier", _("Cashier (charge window)")
    ADMINISTRATOR = "administrator", _("Administrator")


class StaffAssignment(models.Model):
    """A staff member's role at an authority, optionally at one hall."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    authority = models.ForeignKey(
        "directory.Authority", on_delete=models.PROTECT, related_name="staff_assignments"
    )
    hall = models.ForeignKey(
        "directory.Hall",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_assignments",
    )
    # Bank outlet staff take in applications for the items their outlet offers (entrusted).
    outlet = models.ForeignKey(
        "directory.BankOutlet", on_delete=models.PROTECT, null=True, blank=True,
        related_name="staff_assignments", verbose_name=_("bank outlet"),
    )  # fmt: skip
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("staff assignment")
        verbose_name_plural = _("staff assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "authority", "hall", "role"], name="uniq_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.authority}"


class AccessKind(models.TextChoices):
    LOOKUP = "lookup", _("Looked up")
    FETCH = "fetch", _("Fetched an e-license")
    VERIFY = "verify", _("Verified an e-license")


class DataAccess(models.Model):
    """One use of a person's (or their enterprise's) data by a department, with the purpose;
    shown to the person and never editable (the admin is read-only)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="data_accesses")
    enterprise = models.ForeignKey("Enterprise", on_delete=models.CASCADE, null=True,
                                   blank=True, related_name="data_accesses")  # fmt: skip
    # None: fetched by the system for the authority (e.g. when an application is submitted).
    staff = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    authority = models.ForeignKey(
        "directory.Authority", on_delete=models.PROTECT, null=True, related_name="+"
    )
    kind = models.CharField(_("what"), max_length=10, choices=AccessKind.choices,
                            default=AccessKind.LOOKUP)  # fmt: skip
    subject = models.CharField(_("data used"), max_length=200, blank=True)
    case_ref = models.CharField(_("application"), max_length=40, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("data access")
        verbose_name_plural = _("data accesses")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.staff} → {self.person_id}: {self.purpose}"


class Notification(models.Model):
    """A notice to one user, shown in the site; e-mail and SMS copies go out from tasks."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.subject
