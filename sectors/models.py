from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from iplus.models import KeyAction, PolicyDocument, Source, Sourced, Technology
from publishing.content import ContentHistory
from publishing.models import (
    MARKDOWN_HELP,
    Content,
    ContentQuerySet,
    Precision,
    Status,
    date_display,
    date_iso,
    dated_precision_error,
    translation_field,
)


class Sector(Sourced):
    name = models.CharField(_("name"), max_length=150, unique=True, help_text=_('The English name, e.g. "Internet + Finance".'))
    name_zh = models.CharField(_("Chinese name"), max_length=100, blank=True, help_text=_("The Chinese name, e.g. 互联网+金融."))
    summary = models.TextField(_("summary"), help_text=_("One or two plain sentences shown in lists."))
    summary_zh = translation_field(_("summary (Chinese)"))
    body = models.TextField(_("body"), help_text=MARKDOWN_HELP)
    body_html = models.TextField(editable=False, default="")
    body_zh = translation_field(_("body (Chinese)"))
    body_zh_html = models.TextField(editable=False, default="")
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Sectors are listed in ascending position."))
    technologies = models.ManyToManyField(
        Technology, blank=True, related_name="sectors", verbose_name=_("technologies"), help_text=_("The technologies the sector applies.")
    )
    key_actions = models.ManyToManyField(
        KeyAction,
        blank=True,
        related_name="sectors",
        verbose_name=_("key actions"),
        help_text=_("The key actions of the Guiding Opinions it meets."),
    )

    markdown_fields = ("body", "body_zh")
    translated_fields = ("name", "summary", "body")
    history = ContentHistory(m2m_fields=["sources", "technologies", "key_actions"])

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        constraints = [Content.status_constraint("sectors_sector_status_valid")]
        # The public list: published rows in their usual order, read from the index instead of sorted.
        indexes = [models.Index(fields=["status", "position", "name"], name="sectors_status_position_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sectors:detail", args=[self.slug])


class AliasQuerySet(models.QuerySet):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Alias(models.Model):
    sector = models.ForeignKey(
        Sector,
        on_delete=models.CASCADE,
        related_name="aliases",
        verbose_name=_("sector"),
        help_text=_("The sector this is another name for."),
    )
    name = models.CharField(
        _("name"), max_length=150, unique=True, help_text=_('Another name the sector goes by, e.g. "digital government".')
    )

    objects = AliasQuerySet.as_manager()
    history = ContentHistory()

    class Meta:
        ordering = ["sector", "name"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class ApplicationQuerySet(ContentQuerySet):
    def published(self):
        """An application is public only on a public sector's page, which its address points into."""
        return super().published().filter(sector__status=Status.PUBLISHED).select_related("sector")


class Application(Sourced):
    sector = models.ForeignKey(
        Sector, on_delete=models.CASCADE, related_name="applications", verbose_name=_("sector"), help_text=_("The sector it belongs to.")
    )
    name = models.CharField(_("name"), max_length=150, help_text=_('What is done, e.g. "online banking"; unique within its sector.'))
    name_zh = translation_field(_("name (Chinese)"), max_length=150)
    description = models.TextField(_("description"), help_text=MARKDOWN_HELP)
    description_html = models.TextField(editable=False, default="")
    description_zh = translation_field(_("description (Chinese)"))
    description_zh_html = models.TextField(editable=False, default="")
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Applications are listed in ascending position."))

    markdown_fields = ("description", "description_zh")
    translated_fields = ("name", "description")
    history = ContentHistory(m2m_fields=["sources"])
    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["sector", "position", "name"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            Content.status_constraint("sectors_application_status_valid"),
            models.UniqueConstraint(fields=["sector", "name"], name="sectors_application_unique_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{self.sector.get_absolute_url()}#application-{self.slug}"


UNIT_REQUIRED = _('A figure needs a unit: say what the number counts, e.g. "users" or "yuan".')


class Qualifier(models.TextChoices):
    EXACT = "exact", _("exactly")
    ABOUT = "about", _("about")
    MORE_THAN = "more_than", _("more than")


class FigureQuerySet(ContentQuerySet):
    def with_source(self):
        return self.select_related("source")


class Figure(Content):
    """A figure as of the date it describes: a series of figures of one label and unit is drawn as a chart."""

    Qualifier = Qualifier
    Precision = Precision

    sector = models.ForeignKey(
        Sector,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="figures",
        verbose_name=_("sector"),
        help_text=_("The sector the figure describes, if one."),
    )
    key_action = models.ForeignKey(
        KeyAction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figures",
        verbose_name=_("key action"),
        help_text=_("The key action it measures, if one."),
    )
    document = models.ForeignKey(
        PolicyDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figures",
        verbose_name=_("policy document"),
        help_text=_("The document whose aims it measures, if one."),
    )
    label = models.CharField(_("label"), max_length=200, help_text=_('What is counted, e.g. "Internet users in China".'))
    label_zh = translation_field(_("label (Chinese)"), max_length=200)
    qualifier = models.CharField(
        _("qualifier"),
        max_length=10,
        choices=Qualifier.choices,
        default=Qualifier.EXACT,
        help_text=_("How the source states the number: exactly, about, or more than."),
    )
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=2, help_text=_("The number in full, e.g. 649000000."))
    unit = models.CharField(_("unit"), max_length=50, help_text=_('What the number counts, e.g. "users" or "yuan".'))
    unit_zh = translation_field(_("unit (Chinese)"), max_length=50)
    as_of = models.DateField(
        _("as of"),
        null=True,
        blank=True,
        help_text=_("The date the figure describes (not when it was published); for a year or month, its first day."),
    )
    as_of_precision = models.CharField(
        _("precision of as of"),
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text=_("How much of that date is known."),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("What else the source says of the figure, e.g. how it was counted."))
    note_zh = translation_field(_("note (Chinese)"))
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="figures", verbose_name=_("source"), help_text=_("Where the figure comes from.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Figures are listed in ascending position."))

    objects = FigureQuerySet.as_manager()

    translated_fields = ("label", "unit", "note")
    history = ContentHistory()

    class Meta:
        ordering = ["label", "unit", "as_of", "position", "slug"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [
            Content.status_constraint("sectors_figure_status_valid"),
            models.CheckConstraint(condition=models.Q(qualifier__in=Qualifier.values), name="sectors_figure_qualifier_valid"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="sectors_figure_value_not_negative"),
            models.CheckConstraint(condition=~models.Q(unit=""), name="sectors_figure_unit_required"),
            models.CheckConstraint(condition=models.Q(as_of_precision__in=Precision.values), name="sectors_figure_precision_valid"),
        ]

    def __str__(self):
        return f"{self.label}: {self.display}"

    def get_absolute_url(self):
        return reverse("iplus:outcomes") + f"#{self.slug}"

    def clean(self):
        errors = {}
        if not (self.unit or "").strip():
            errors["unit"] = UNIT_REQUIRED
        if self.value is not None and self.value < 0:
            errors["value"] = _("A figure cannot be negative; give the number as the source states it.")
        if not (self.sector_id or self.key_action_id or self.document_id):
            errors["sector"] = _("Say what the figure belongs to: a sector, a key action or a policy document.")
        date_error = dated_precision_error(self.as_of, self.as_of_precision)
        if date_error:
            errors["as_of"] = date_error
        if errors:
            raise ValidationError(errors)

    @property
    def as_of_iso(self):
        return date_iso(self.as_of, self.as_of_precision) if self.as_of else ""

    @property
    def as_of_display(self):
        return date_display(self.as_of, self.as_of_precision) if self.as_of else ""

    @property
    def series_key(self):
        """Figures of one measure: the same label and unit."""
        return (self.label, self.unit)

    @property
    def display(self):
        """The value in words, e.g. "about 649 million users"; in Chinese by 万 and 亿, e.g. "约6.49亿名用户"."""
        value = self.value
        if get_language().startswith("zh"):
            return self.display_zh()
        scaled = f"{value:,.0f}" if value == value.to_integral() else f"{value.normalize():,}"
        for size, word in ((Decimal(10) ** 12, _("trillion")), (Decimal(10) ** 9, _("billion")), (Decimal(10) ** 6, _("million"))):
            if value >= size:
                scaled = f"{(value / size).normalize():f} {word}"
                break
        prefix = "" if self.qualifier == self.Qualifier.EXACT else f"{self.get_qualifier_display()} "
        return f"{prefix}{scaled} {self.unit}"

    def display_zh(self):
        value, scaled = self.value, f"{self.value.normalize():f}"
        for size, word in ((Decimal(10) ** 12, "万亿"), (Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")):
            if value >= size:
                scaled = f"{(value / size).normalize():f}{word}"
                break
        prefix = "" if self.qualifier == self.Qualifier.EXACT else str(self.get_qualifier_display())
        return f"{prefix}{scaled}{self.translated('unit', 'zh-hans')[0]}"
