import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iplus import markdown
from iplus.content import ContentHistory

MARKDOWN_HELP = _("Markdown: *italic*, **bold**, [a link](https://…), lists and tables; any other HTML is removed.")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ContentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """Staff preview drafts on the public pages; everyone else sees published content only."""
        return self if user.is_staff else self.published()

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Content(models.Model):
    """Fields shared by every piece of content the public sees."""

    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, help_text=_("The address of this item; lowercase words joined by hyphens.")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("Only published items are shown to visitors."),
    )
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ContentQuerySet.as_manager()

    # Markdown fields, each rendered at save into "<name>_html", which is what pages print.
    markdown_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.render_markdown()
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)

    def render_markdown(self):
        for name in self.markdown_fields:
            setattr(self, f"{name}_html", markdown.render(getattr(self, name)))

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    @classmethod
    def status_constraint(cls, name):
        return models.CheckConstraint(condition=models.Q(status__in=Status.values), name=name)


class SourceKind(models.TextChoices):
    OFFICIAL = "official", _("Official document")
    PRESS = "press", _("Press")
    ACADEMIC = "academic", _("Academic")
    ENCYCLOPEDIA = "encyclopedia", _("Encyclopedia")
    REFERENCE = "reference", _("Reference cited by the article")
    TRANSLATION = "translation", _("Translation or summary")


class Source(Content):
    Kind = SourceKind

    title = models.CharField(_("title"), max_length=300, help_text=_("The title of the work as it is cited."))
    title_zh = models.CharField(
        _("Chinese title"), max_length=300, blank=True, help_text=_("The original Chinese title, where there is one.")
    )
    publisher = models.CharField(_("author or publisher"), max_length=200, blank=True, help_text=_("Who wrote or issued it."))
    published_on = models.DateField(_("date"), null=True, blank=True, help_text=_("When it was issued or published, if known."))
    url = models.URLField(_("URL"), max_length=500, blank=True, help_text=_("Where the source can be read."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, help_text=_("What sort of source this is."))
    note = models.TextField(_("note"), blank=True, help_text=_("How the source is cited, or what is known of it."))

    history = ContentHistory()

    class Meta:
        ordering = ["title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=SourceKind.values), name="iplus_source_kind_valid"),
            Content.status_constraint("iplus_source_status_valid"),
        ]
        # The published sources in title order, read from the index: a filter's first choices stop early.
        indexes = [models.Index(fields=["status", "title"], name="iplus_source_status_title")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("iplus:source-detail", args=[self.slug])


class Sourced(Content):
    sources = models.ManyToManyField(Source, blank=True, verbose_name=_("sources"), help_text=_("The sources that back this item."))

    class Meta:
        abstract = True


class Section(Sourced):
    """A section of the account of the strategy: definition, background, development..."""

    title = models.CharField(_("title"), max_length=200, help_text=_("The heading of the section."))
    title_zh = models.CharField(_("Chinese title"), max_length=200, blank=True, help_text=_("The Chinese heading, where there is one."))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent section"),
        help_text=_("Set for a subsection, e.g. Domestic challenges under Background."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Sections are shown in ascending position."))
    body = models.TextField(_("body"), help_text=MARKDOWN_HELP)
    body_html = models.TextField(editable=False, default="")

    markdown_fields = ("body",)
    history = ContentHistory(m2m_fields=["sources"])

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("strategy section")
        verbose_name_plural = _("strategy sections")
        constraints = [
            Content.status_constraint("iplus_section_status_valid"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("iplus:strategy") + f"#{self.slug}"

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A section cannot sit inside itself.")})
            ancestor = ancestor.parent


class Technology(Sourced):
    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_('The English name, e.g. "cloud computing".'))
    name_zh = models.CharField(_("Chinese name"), max_length=100, blank=True, help_text=_("The Chinese name, where the sources give one."))
    description = models.TextField(_("description"), blank=True, help_text=MARKDOWN_HELP)
    description_html = models.TextField(editable=False, default="")
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Technologies are listed in ascending position."))

    markdown_fields = ("description",)
    history = ContentHistory(m2m_fields=["sources"])

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("technology")
        verbose_name_plural = _("technologies")
        constraints = [Content.status_constraint("iplus_technology_status_valid")]

    def __str__(self):
        return self.name


class Strategy(Sourced):
    """Internet Plus, or a strategy the sources compare it with."""

    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("The English name of the strategy."))
    name_zh = models.CharField(_("Chinese name"), max_length=100, blank=True, help_text=_("The Chinese name, where there is one."))
    country = models.CharField(_("country"), max_length=100, blank=True, help_text=_("Where it was put forward, if the sources say."))
    proposed_by = models.CharField(_("proposed by"), max_length=200, blank=True, help_text=_("Who put it forward, if the sources say."))
    proposed_in = models.CharField(_("proposed in"), max_length=50, blank=True, help_text=_("When it was put forward, if the sources say."))
    field = models.CharField(_("field"), max_length=200, blank=True, help_text=_("The area it addresses, if the sources say."))
    summary = models.TextField(
        _("summary"),
        help_text=_(
            "What the sources say of it and of how it relates to Internet Plus. "
            "Markdown: *italic*, **bold**, [a link](https://…), lists and tables; any other HTML is removed."
        ),
    )
    summary_html = models.TextField(editable=False, default="")
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Strategies are compared in ascending position."))

    markdown_fields = ("summary",)
    history = ContentHistory(m2m_fields=["sources"])

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [Content.status_constraint("iplus_strategy_status_valid")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("iplus:compare") + f"#{self.slug}"


class KeyAction(Sourced):
    """One of the 11 key actions of the State Council's Guiding Opinions of July 2015."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True, help_text=_("Its number in the Guiding Opinions, 1 to 11."))
    name = models.CharField(
        _("name"), max_length=100, help_text=_('The English name, e.g. "Internet Plus entrepreneurship and innovation".')
    )
    name_zh = models.CharField(_("Chinese name"), max_length=50, help_text=_("The name in the Guiding Opinions, in Chinese."))
    description = models.TextField(_("description"), blank=True, help_text=MARKDOWN_HELP)
    description_html = models.TextField(editable=False, default="")

    markdown_fields = ("description",)
    history = ContentHistory(m2m_fields=["sources"])

    class Meta:
        ordering = ["number"]
        verbose_name = _("key action")
        verbose_name_plural = _("key actions")
        constraints = [
            Content.status_constraint("iplus_keyaction_status_valid"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="iplus_keyaction_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def get_absolute_url(self):
        return reverse("iplus:keyaction-detail", args=[self.slug])

    def clean(self):
        if self.number is not None and not 1 <= self.number <= 11:
            raise ValidationError({"number": _("The Guiding Opinions name 11 key actions: the number must be from 1 to 11.")})


class Precision(models.TextChoices):
    YEAR = "year", _("Year")
    MONTH = "month", _("Month")
    DAY = "day", _("Day")


class MilestoneKind(models.TextChoices):
    REPORT = "report", _("Government Work Report")
    PROPOSAL = "proposal", _("Proposal")
    POLICY = "policy", _("Policy document")
    RECOGNITION = "recognition", _("Recognition")


class Milestone(Sourced):
    Precision = Precision

    Kind = MilestoneKind

    title = models.CharField(_("title"), max_length=200, help_text=_("What happened, in a few words."))
    date = models.DateField(_("date"), help_text=_("For a year or month only, use its first day."))
    precision = models.CharField(
        _("date precision"), max_length=5, choices=Precision.choices, default=Precision.DAY, help_text=_("How much of the date is known.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, help_text=_("What sort of event this is."))
    description = models.TextField(_("description"), help_text=MARKDOWN_HELP)
    description_html = models.TextField(editable=False, default="")

    markdown_fields = ("description",)
    history = ContentHistory(m2m_fields=["sources"])

    class Meta:
        ordering = ["date", "slug"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            Content.status_constraint("iplus_milestone_status_valid"),
            models.CheckConstraint(condition=models.Q(precision__in=Precision.values), name="iplus_milestone_precision_valid"),
            models.CheckConstraint(condition=models.Q(kind__in=MilestoneKind.values), name="iplus_milestone_kind_valid"),
        ]
        indexes = [models.Index(fields=["status", "date"], name="iplus_milestone_status_date")]

    def __str__(self):
        return f"{self.date_display}: {self.title}"

    def get_absolute_url(self):
        return reverse("iplus:timeline") + f"#{self.slug}"

    def clean(self):
        if isinstance(self.date, datetime.date):
            if self.precision == self.Precision.YEAR and (self.date.month, self.date.day) != (1, 1):
                raise ValidationError({"date": _("A milestone known to the year must be dated 1 January of that year.")})
            if self.precision == self.Precision.MONTH and self.date.day != 1:
                raise ValidationError({"date": _("A milestone known to the month must be dated the first of that month.")})

    @property
    def date_iso(self):
        """The date as far as it is known, for <time datetime>: "2011", "2015-07" or "2015-07-01"."""
        if self.precision == self.Precision.YEAR:
            return f"{self.date:%Y}"
        return f"{self.date:%Y-%m}" if self.precision == self.Precision.MONTH else self.date.isoformat()

    @property
    def date_display(self):
        if self.precision == self.Precision.YEAR:
            return str(self.date.year)
        if self.precision == self.Precision.MONTH:
            return self.date.strftime("%B %Y")
        return f"{self.date.day} {self.date:%B %Y}"


class GlossaryTerm(Sourced):
    term = models.CharField(_("term"), max_length=150, unique=True, help_text=_("The term as it is written in English."))
    term_zh = models.CharField(_("Chinese term"), max_length=100, blank=True, help_text=_("The Chinese term, where there is one."))
    definition = models.TextField(_("definition"), help_text=MARKDOWN_HELP)
    definition_html = models.TextField(editable=False, default="")

    markdown_fields = ("definition",)
    history = ContentHistory(m2m_fields=["sources"])

    class Meta:
        ordering = ["term"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        constraints = [Content.status_constraint("iplus_glossaryterm_status_valid")]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("iplus:glossary") + f"#{self.slug}"
