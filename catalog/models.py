"""The service catalog (实施清单): items, their materials, life events, bundles, the search
lexicon and the search index."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import NamedModel
from core.text import localized_name


class ItemKind(models.TextChoices):
    LICENSE = "administrative_license", _("Administrative licence")
    CONFIRMATION = "administrative_confirmation", _("Administrative confirmation")
    REGISTRATION = "administrative_registration", _("Administrative registration")
    PAYMENT = "administrative_payment", _("Administrative benefit payment")
    RULING = "administrative_ruling", _("Administrative ruling")
    OTHER_POWER = "other_power", _("Other administrative power")
    PUBLIC_SERVICE = "public_service", _("Public service")


class Applicant(models.TextChoices):
    PERSON = "person", _("Individuals")
    ENTERPRISE = "enterprise", _("Enterprises and organisations")
    BOTH = "both", _("Individuals and enterprises")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    MOBILE = "mobile", _("Mobile")
    HALL = "hall", _("Service hall")
    BANK_OUTLET = "bank_outlet", _("Bank outlet")
    KIOSK = "self_service_kiosk", _("Self-service kiosk")


class LifeEvent(NamedModel):
    """A moment in a life or a business (birth, marriage, starting a business) to browse by."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("life event")
        verbose_name_plural = _("life events")


class ServiceItem(NamedModel):
    """政务服务事项: a service with a code, a guide, time limits and materials."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="service_items",
        verbose_name=_("department"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=ItemKind.choices)
    applicant = models.CharField(_("applicant"), max_length=20, choices=Applicant.choices)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    conditions_zh = models.TextField(_("conditions (Chinese)"), blank=True)
    conditions_en = models.TextField(_("conditions (English)"), blank=True)
    legal_basis_zh = models.TextField(_("legal basis (Chinese)"), blank=True)
    legal_limit_days = models.PositiveSmallIntegerField(
        _("legal time limit (working days)"), null=True, blank=True
    )
    promised_limit_days = models.PositiveSmallIntegerField(_("promised time limit (working days)"))
    visits = models.PositiveSmallIntegerField(_("visits in person"))
    channels = models.JSONField(_("channels"), default=list)
    fee_cny = models.DecimalField(
        _("fee (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    fee_basis_zh = models.CharField(_("fee basis"), max_length=300, blank=True)
    instant = models.BooleanField(_("instant approval"), default=False)
    cross_border = models.BooleanField(_("open to Hong Kong and Macao residents"), default=False)
    life_events = models.ManyToManyField(LifeEvent, blank=True, related_name="items")
    form_schema = models.JSONField(
        _("application form (JSON Schema)"), default=dict, blank=True,
        help_text=_("Empty: a default form derived from the applicant type."),
    )  # fmt: skip
    view_count = models.PositiveIntegerField(_("guide views"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")

    @property
    def description(self) -> str:
        return localized_name(self.description_zh, self.description_en)

    @property
    def is_on_the_spot(self) -> bool:
        """即办件: decided at once (promised limit 0)."""
        return self.promised_limit_days == 0


class Material(models.Model):
    """A document an application needs; an e-license type may stand in for it (免证办)."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name_zh = models.CharField(_("name (Chinese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    license_type = models.ForeignKey(
        "licenses.LicenseType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("e-license that replaces it"),
    )
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["item", "position"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.name_zh

    @property
    def name(self) -> str:
        return localized_name(self.name_zh, self.name_en)


class ItemChange(models.Model):
    """One edit of an item: who changed which fields from what to what."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("item change")
        verbose_name_plural = _("item changes")

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.at:%Y-%m-%d %H:%M}"


class Bundle(NamedModel):
    """高效办成一件事: several items done together, one list of materials."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    items = models.ManyToManyField(ServiceItem, through="BundleItem", related_name="bundles")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("bundle")
        verbose_name_plural = _("bundles")

    @property
    def description(self) -> str:
        return localized_name(self.description_zh, self.description_en)


class BundleItem(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["bundle", "position"]
        constraints = [models.UniqueConstraint(fields=["bundle", "item"], name="uniq_bundle_item")]

    def __str__(self) -> str:
        return f"{self.bundle_id}:{self.item_id}"


class LexiconEntry(models.Model):
    """A citizen's phrase and the official terms it means (开饭馆 → 食品经营 许可)."""

    phrase = models.CharField(_("citizen's phrase"), max_length=100, unique=True)
    expansions = models.CharField(
        _("official terms"), max_length=300, help_text=_("Separated by spaces.")
    )
    weight = models.FloatField(_("weight"), default=1.0)
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["phrase"]
        verbose_name = _("lexicon entry")
        verbose_name_plural = _("lexicon entries")

    def __str__(self) -> str:
        return f"{self.phrase} → {self.expansions}"


class SearchDocument(models.Model):
    """An item as the search index sees it: segmented text per field, and facet tokens.
    SQLite mirrors it into an FTS5 table by triggers; PostgreSQL keeps a generated tsvector
    column with a GIN index (migration 0002)."""

    item = models.OneToOneField(
        ServiceItem, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    name_terms = models.TextField(blank=True)
    material_terms = models.TextField(blank=True)
    description_terms = models.TextField(blank=True)
    gram_terms = models.TextField(blank=True)
    facets = models.TextField(blank=True)

    def __str__(self) -> str:
        return str(self.item_id)


class SearchTerm(models.Model):
    """A term of the index vocabulary: how many documents hold it, and its pinyin."""

    term = models.CharField(max_length=100, primary_key=True)
    df = models.PositiveIntegerField(default=0)
    pinyin = models.CharField(max_length=300, blank=True, db_index=True)
    initials = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return self.term


class SearchState(models.Model):
    """One row: the index generation (bumped on every change) and collection statistics."""

    generation = models.PositiveBigIntegerField(default=0)
    doc_count = models.PositiveIntegerField(default=0)
    avg_lengths = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"generation {self.generation}"
