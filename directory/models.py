"""The city's structure: regions, departments, authorities, halls, windows, bank outlets."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import NamedModel
from core.text import localized_name


class RegionLevel(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    COUNTY_CITY = "county_city", _("County-level city")
    TOWN = "town", _("Town")
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    COMMUNITY = "community", _("Community")
    VILLAGE = "village", _("Village")


class Region(NamedModel):
    """A node of the region tree: city → district → town/subdistrict → community/village."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    official_code = models.BooleanField(
        _("official code"), default=True, help_text=_("False when the code was assigned here.")
    )
    level = models.CharField(_("level"), max_length=20, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # Materialised path of codes ("440700/440703/440703001/"): descendants by prefix.
    path = models.CharField(max_length=255, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["path"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Department(NamedModel):
    """A kind of department (e.g. Market Regulation) that exists at several region levels."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    remit = models.TextField(_("remit"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class Authority(NamedModel):
    """A department at one region: 江门市市场监督管理局 and its Pengjiang branch are two."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="authorities")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="authorities")

    class Meta:
        ordering = ["region__path", "department__code"]
        constraints = [
            models.UniqueConstraint(fields=["department", "region"], name="uniq_authority")
        ]
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")


class HallKind(models.TextChoices):
    CENTRE = "centre", _("Administrative service centre")
    DISTRICT_HALL = "district_hall", _("District service hall")
    STATION = "station", _("Town or community service station")


class Hall(NamedModel):
    """政务服务中心 / 大厅 / 便民服务站: a place where people are served in person."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=HallKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="halls")
    address_zh = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("hall")
        verbose_name_plural = _("halls")


class WindowKind(models.TextChoices):
    INTAKE = "intake", _("Comprehensive intake (one window)")
    CHARGE = "charge", _("Charges")
    DEPARTMENT = "department", _("Department window")
    GREEN = "green", _("Green channel")
    CONSULTATION = "consultation", _("Consultation and help")
    DELIVERY = "delivery", _("Certificate delivery")


class Window(models.Model):
    """窗口: a numbered counter in a hall, serving some authorities (or all, for intake)."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="windows")
    number = models.CharField(_("number"), max_length=10)
    kind = models.CharField(_("kind"), max_length=20, choices=WindowKind.choices)
    authorities = models.ManyToManyField(Authority, blank=True, related_name="windows")
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["hall__code", "number"]
        constraints = [models.UniqueConstraint(fields=["hall", "number"], name="uniq_window")]
        verbose_name = _("window")
        verbose_name_plural = _("windows")

    def __str__(self) -> str:
        return f"{self.hall.name_zh} {self.number}"


class BankOutlet(models.Model):
    """银行网点: a bank branch that takes applications for some items."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    bank_zh = models.CharField(_("bank"), max_length=100)
    bank_en = models.CharField(_("bank (English)"), max_length=100, blank=True)
    branch_zh = models.CharField(_("branch"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="bank_outlets")
    address_zh = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("bank outlet")
        verbose_name_plural = _("bank outlets")

    def __str__(self) -> str:
        return f"{self.bank_zh}{self.branch_zh}"

    @property
    def name(self) -> str:
        return localized_name(f"{self.bank_zh}{self.branch_zh}", self.bank_en)
