from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from iplus.models import KeyAction, PolicyDocument, Source, Sourced, Technology
from publishing import markdown
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
    passage_error,
    period_end,
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


def in_words(value, unit, unit_zh, prefix=""):
    """A value in words in the page's language: "about 649 million users"; in Chinese by 万 and 亿, "约6.49亿名用户"."""
    if get_language().startswith("zh"):
        scaled = f"{value.normalize():f}"
        for size, word in ((Decimal(10) ** 12, "万亿"), (Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")):
            if value >= size:
                scaled = f"{(value / size).normalize():f}{word}"
                break
        return f"{prefix}{scaled}{unit_zh}"
    scaled = f"{value:,.0f}" if value == value.to_integral() else f"{value.normalize():,}"
    for size, word in ((Decimal(10) ** 12, _("trillion")), (Decimal(10) ** 9, _("billion")), (Decimal(10) ** 6, _("million"))):
        if value >= size:
            scaled = f"{(value / size).normalize():f} {word}"
            break
    return f"{prefix} {scaled} {unit}" if prefix else f"{scaled} {unit}"


class Comparison(models.TextChoices):
    AT_LEAST = "at-least", _("at least")
    AT_MOST = "at-most", _("at most")
    UP_BY = "up-by", _("up by")
    DOWN_BY = "down-by", _("down by")
    TIMES = "times", _("multiplied by")


class Verdict(models.TextChoices):
    MET_EARLY = "met-early", _("Met early")
    MET = "met", _("Met")
    NOT_MET = "not-met", _("Not met")
    REPORTED = "reported", _("Reported without a verdict")
    NO_REPORT = "no-report", _("No report found")
    NOT_YET_DUE = "not-yet-due", _("Not yet due")


class TargetQuerySet(ContentQuerySet):
    def with_reports(self):
        """The document, its source, and the published reports in date order: what the status rule reads."""
        reports = Figure.objects.published().with_source().order_by("as_of", "position", "slug")
        return self.select_related("document", "source").prefetch_related(models.Prefetch("reports", queryset=reports))


class Quoting:
    """A target or figure: it quotes the passage of its source it was read from."""

    @property
    def passage_lang(self):
        return markdown.Passage("", self.passage).language(self.source)


class Target(Quoting, Content):
    """A number a policy document commits to for a date, as the document states it; figures report on it."""

    Comparison = Comparison
    Precision = Precision

    document = models.ForeignKey(
        PolicyDocument, on_delete=models.PROTECT, related_name="targets", verbose_name=_("policy document"),
        help_text=_("The document that sets the target."),
    )  # fmt: skip
    measure = models.CharField(_("measure"), max_length=200, help_text=_('What is measured, e.g. "Household fixed broadband penetration".'))
    measure_zh = translation_field(_("measure (Chinese)"), max_length=200)
    comparison = models.CharField(
        _("comparison"), max_length=10, choices=Comparison.choices, default=Comparison.AT_LEAST,
        help_text=_("How the value is to be met: at least or at most the value, up or down by it, or multiplied by it."),
    )  # fmt: skip
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=2, help_text=_("The number in full, e.g. 80 or 400000000000."))
    unit = models.CharField(_("unit"), max_length=50, help_text=_('What the number counts, e.g. "%" or "yuan"; "times" for a multiple.'))
    unit_zh = translation_field(_("unit (Chinese)"), max_length=50)
    baseline = models.CharField(
        _("baseline"), max_length=200, blank=True, help_text=_('What it is measured against, if the document says: "the end of 2015".')
    )
    baseline_zh = translation_field(_("baseline (Chinese)"), max_length=200)
    deadline = models.DateField(_("deadline"), help_text=_("When it is to be met; for a year or month only, its first day."))
    deadline_precision = models.CharField(
        _("precision of the deadline"), max_length=5, choices=Precision.choices, default=Precision.YEAR,
        help_text=_("Whether the document gives the year, the month or the day."),
    )  # fmt: skip
    key_actions = models.ManyToManyField(
        KeyAction, blank=True, related_name="targets", verbose_name=_("key actions"), help_text=_("The key actions it serves.")
    )
    sectors = models.ManyToManyField(
        "Sector", blank=True, related_name="targets", verbose_name=_("sectors"), help_text=_("The sectors it concerns.")
    )
    comparable_as = models.SlugField(
        _("compared as"), max_length=80, blank=True,
        help_text=_('Targets with the same key are set side by side on the provinces page, e.g. "household-broadband".'),
    )  # fmt: skip
    passage = models.TextField(_("passage"), help_text=_("The document's words that state the target, quoted in its own language."))
    passage_en = models.TextField(
        _("passage in English (ours)"), blank=True, help_text=_("Our English rendering of a passage in Chinese, shown labelled as ours.")
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="targets", verbose_name=_("source"), help_text=_("Where the passage is read.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("A document's targets are listed by position."))

    objects = TargetQuerySet.as_manager()
    translated_fields = ("measure", "unit", "baseline")
    history = ContentHistory(m2m_fields=["key_actions", "sectors"])

    class Meta:
        ordering = ["deadline", "document", "position", "slug"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [Content.status_constraint("sectors_target_status_valid")]

    def __str__(self):
        return f"{self.measure}: {self.promise}"

    def get_absolute_url(self):
        return reverse("iplus:target-detail", args=[self.slug])

    def clean(self):
        errors = {}
        if self.slug == "provinces":
            errors["slug"] = _("This address is the provinces page's: choose another slug.")
        if self.value is not None and self.value < 0:
            errors["value"] = _("A target cannot be negative; give the number as the document states it.")
        if date_error := dated_precision_error(self.deadline, self.deadline_precision):
            errors["deadline"] = date_error
        if too_long := passage_error(self.passage):
            errors["passage"] = too_long
        if errors:
            raise ValidationError(errors)

    @property
    def promise(self):
        """The target in words: "at least 80 %", "down by 12 %", "multiplied by 2"."""
        if self.comparison == Comparison.TIMES:  # "multiplied by 2": the comparison says what the number counts
            return in_words(self.value, "", "倍", self.get_comparison_display()).strip()
        return in_words(self.value, self.unit, self.translated("unit", "zh-hans")[0], self.get_comparison_display())

    @property
    def deadline_iso(self):
        return date_iso(self.deadline, self.deadline_precision)

    @property
    def deadline_display(self):
        return date_display(self.deadline, self.deadline_precision)

    @property
    def due_by(self):
        return period_end(self.deadline, self.deadline_precision)

    def meets(self, report):
        """Whether a report in the target's unit reaches it (at most the value for "at most", at least otherwise)."""
        if report.unit != self.unit:
            return False
        return report.value <= self.value if self.comparison == Comparison.AT_MOST else report.value >= self.value

    @cached_property
    def verdict(self):
        """The one rule, which the target's page states in words (sectors/_target_rule.html)."""
        today = timezone.localdate()
        reports = [report for report in self.reports.all() if report.as_of is not None]
        dated = [(period_end(report.as_of, report.as_of_precision), report) for report in reports]
        if any(end < self.deadline and self.meets(report) for end, report in dated):
            return Verdict.MET_EARLY
        if any(end <= self.due_by and self.meets(report) for end, report in dated):
            return Verdict.MET
        at_or_after = [report for end, report in dated if end >= self.due_by and report.unit == self.unit]
        if at_or_after and not self.meets(at_or_after[0]):
            return Verdict.NOT_MET
        if today <= self.due_by:
            return Verdict.NOT_YET_DUE
        return Verdict.REPORTED if self.reports.all() else Verdict.NO_REPORT


UNIT_REQUIRED = _('A figure needs a unit: say what the number counts, e.g. "users" or "yuan".')


class Qualifier(models.TextChoices):
    EXACT = "exact", _("exactly")
    ABOUT = "about", _("about")
    MORE_THAN = "more_than", _("more than")


class FigureQuerySet(ContentQuerySet):
    def with_source(self):
        return self.select_related("source")

    def with_target(self):
        """With the published target each reports on, and what its status reads."""
        return self.prefetch_related(models.Prefetch("target", queryset=Target.objects.published().with_reports()))


class Figure(Quoting, Content):
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
    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, null=True, blank=True, related_name="reports", verbose_name=_("reports on target"),
        help_text=_("The target whose measure it reports, if one: its status follows from its reports."),
    )  # fmt: skip
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
    comparable_as = models.SlugField(
        _("compared as"), max_length=80, blank=True,
        help_text=_("A national figure set beside the provinces' targets with the same key on the provinces page."),
    )  # fmt: skip
    passage = models.TextField(_("passage"), help_text=_("The source's words that give the number, quoted in their own language."))
    passage_en = models.TextField(
        _("passage in English (ours)"), blank=True, help_text=_("Our English rendering of a passage in Chinese, shown labelled as ours.")
    )
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
        if not (self.sector_id or self.key_action_id or self.document_id or self.target_id):
            errors["sector"] = _("Say what the figure belongs to: a sector, a key action, a policy document or a target.")
        date_error = dated_precision_error(self.as_of, self.as_of_precision)
        if date_error:
            errors["as_of"] = date_error
        if too_long := passage_error(self.passage):
            errors["passage"] = too_long
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
        prefix = "" if self.qualifier == self.Qualifier.EXACT else self.get_qualifier_display()
        return in_words(self.value, self.unit, self.translated("unit", "zh-hans")[0], prefix)
