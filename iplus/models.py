import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
    footnoted_in,
    translation_field,
)


class SourceKind(models.TextChoices):
    OFFICIAL = "official", _("Official document")
    PRESS = "press", _("Press")
    ACADEMIC = "academic", _("Academic")
    ENCYCLOPEDIA = "encyclopedia", _("Encyclopedia")
    REFERENCE = "reference", _("Reference cited by the article")
    TRANSLATION = "translation", _("Translation or summary")
    MIRROR = "mirror", _("Mirror or secondary copy")


class Source(Content):
    Kind = SourceKind

    title = models.CharField(_("title"), max_length=300, help_text=_("The title of the work as it is cited."))
    title_zh = models.CharField(
        _("Chinese title"), max_length=300, blank=True, help_text=_("The original Chinese title, where there is one.")
    )
    publisher = models.CharField(_("author or publisher"), max_length=200, blank=True, help_text=_("Who wrote or issued it."))
    published_on = models.DateField(
        _("date"), null=True, blank=True, help_text=_("When the page or work was published, as it says itself; empty if it gives no date.")
    )
    url = models.URLField(_("URL"), max_length=500, blank=True, help_text=_("Where the source can be read."))
    language = models.CharField(
        _("language"), max_length=10, blank=True,
        help_text=_('The language of its text where it is neither Chinese nor English, e.g. "it" for Italian.'),
    )  # fmt: skip
    read_on = models.DateField(
        _("read on"), null=True, blank=True,
        help_text=_("The day its page was read for the site: a lasting copy of the page is looked for at that day."),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, help_text=_("What sort of source this is."))
    note = models.TextField(_("note"), blank=True, help_text=_("How the source is cited, or what is known of it."))
    note_zh = translation_field(_("note (Chinese)"))

    translated_fields = ("title", "note")
    zh_originals = ("title",)
    history = ContentHistory()

    class Meta:
        ordering = ["title", "slug"]  # two copies of one work may share a title: exports list them in a stable order
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

    @property
    def picker_label(self):
        return " · ".join(filter(None, [self.title, self.get_kind_display(), self.publisher]))

    def save(self, *args, **kwargs):
        noted = ("slug", "title", "title_zh", "status", "url", "read_on")
        before = Source.objects.filter(pk=self.pk).values(*noted).first() if self.pk else None
        super().save(*args, **kwargs)
        if before and before != {name: getattr(self, name) for name in noted}:
            # The notes of the texts that cite it carry its title, links and the day it was read: render them again.
            for obj in {*footnoted_in(before["slug"]), *footnoted_in(self.slug)}:
                obj.render_markdown()
                fields = {f"{name}_html": getattr(obj, f"{name}_html") for name in obj.markdown_fields}
                type(obj)._default_manager.filter(pk=obj.pk).update(**fields)  # derived text: not an edit, no history

    def get_absolute_url(self):
        return reverse("iplus:source-detail", args=[self.slug])

    @property
    def archived_url(self):
        return markdown.archived_url(self.url, self.read_on)

    def clean(self):
        before = Source.objects.filter(pk=self.pk).values("slug", "status").first() if self.pk else None
        if before is None or before["status"] != Status.PUBLISHED:
            return
        field = "slug" if self.slug != before["slug"] else "status" if self.status != Status.PUBLISHED else None
        if field and (citing := list(footnoted_in(before["slug"]))):
            items = ", ".join(f"“{obj}”" for obj in citing)
            message = _("Footnotes cite this source by its slug in %(items)s: change them before you unpublish it or change its slug.")
            raise ValidationError({field: message % {"items": items}})


class SourcedQuerySet(ContentQuerySet):
    def with_sources(self):
        """With the published sources each item cites (their slug and title, as a list of sources shows them)."""
        return self.prefetch_related(Prefetch("sources", queryset=Source.objects.published().only("slug", "title")))


class Sourced(Content):
    sources = models.ManyToManyField(Source, blank=True, verbose_name=_("sources"), help_text=_("The sources that back this item."))

    objects = SourcedQuerySet.as_manager()

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
    body_zh = translation_field(_("body (Chinese)"))
    body_zh_html = models.TextField(editable=False, default="")

    markdown_fields = ("body", "body_zh")
    translated_fields = ("title", "body")
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
    description_zh = translation_field(_("description (Chinese)"))
    description_zh_html = models.TextField(editable=False, default="")
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Technologies are listed in ascending position."))

    markdown_fields = ("description", "description_zh")
    translated_fields = ("name", "description")
    history = ContentHistory(m2m_fields=["sources"])

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("technology")
        verbose_name_plural = _("technologies")
        constraints = [Content.status_constraint("iplus_technology_status_valid")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("iplus:strategy") + f"#technology-{self.slug}"


class Strategy(Sourced):
    """Internet Plus, or a strategy the sources compare it with."""

    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("The English name of the strategy."))
    name_zh = models.CharField(_("Chinese name"), max_length=100, blank=True, help_text=_("The Chinese name, where there is one."))
    country = models.CharField(_("country"), max_length=100, blank=True, help_text=_("Where it was put forward, if the sources say."))
    country_zh = translation_field(_("country (Chinese)"), max_length=100)
    proposed_by = models.CharField(_("proposed by"), max_length=200, blank=True, help_text=_("Who put it forward, if the sources say."))
    proposed_by_zh = translation_field(_("proposed by (Chinese)"), max_length=200)
    proposed_in = models.CharField(_("proposed in"), max_length=50, blank=True, help_text=_("When it was put forward, if the sources say."))
    proposed_in_zh = translation_field(_("proposed in (Chinese)"), max_length=50)
    field = models.CharField(_("field"), max_length=200, blank=True, help_text=_("The area it addresses, if the sources say."))
    field_zh = translation_field(_("field (Chinese)"), max_length=200)
    summary = models.TextField(
        _("summary"),
        help_text=_(
            "What the sources say of it and of how it relates to Internet Plus. "
            "Markdown: *italic*, **bold**, [a link](https://…), lists and tables; any other HTML is removed."
        ),
    )
    summary_html = models.TextField(editable=False, default="")
    summary_zh = translation_field(_("summary (Chinese)"))
    summary_zh_html = models.TextField(editable=False, default="")
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Strategies are compared in ascending position."))

    markdown_fields = ("summary", "summary_zh")
    translated_fields = ("name", "summary", "country", "proposed_by", "proposed_in", "field")
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
    description_zh = translation_field(_("description (Chinese)"))
    description_zh_html = models.TextField(editable=False, default="")

    markdown_fields = ("description", "description_zh")
    translated_fields = ("name", "description")
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


class MilestoneKind(models.TextChoices):
    REPORT = "report", _("Government Work Report")
    PROPOSAL = "proposal", _("Proposal")
    POLICY = "policy", _("Policy document")
    RECOGNITION = "recognition", _("Recognition")


class Milestone(Sourced):
    Precision = Precision

    Kind = MilestoneKind

    title = models.CharField(_("title"), max_length=200, help_text=_("What happened, in a few words."))
    title_zh = translation_field(_("title (Chinese)"), max_length=200)
    date = models.DateField(_("date"), help_text=_("For a year or month only, use its first day."))
    precision = models.CharField(
        _("date precision"), max_length=5, choices=Precision.choices, default=Precision.DAY, help_text=_("How much of the date is known.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, help_text=_("What sort of event this is."))
    description = models.TextField(_("description"), help_text=MARKDOWN_HELP)
    description_html = models.TextField(editable=False, default="")
    description_zh = translation_field(_("description (Chinese)"))
    description_zh_html = models.TextField(editable=False, default="")

    markdown_fields = ("description", "description_zh")
    translated_fields = ("title", "description")
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
        error = dated_precision_error(self.date, self.precision)
        if error:
            raise ValidationError({"date": error})

    @property
    def date_iso(self):
        return date_iso(self.date, self.precision)

    @property
    def date_display(self):
        return date_display(self.date, self.precision)


class LegalStatus(models.TextChoices):
    EFFECTIVE = "Effective", _("Effective")


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    MINISTERIAL = "ministerial", _("Ministerial")
    PROVINCIAL = "provincial", _("Provincial")


class Province(models.TextChoices):
    """The provinces, autonomous regions and municipalities of mainland China."""

    ANHUI = "anhui", _("Anhui")
    BEIJING = "beijing", _("Beijing")
    CHONGQING = "chongqing", _("Chongqing")
    FUJIAN = "fujian", _("Fujian")
    GANSU = "gansu", _("Gansu")
    GUANGDONG = "guangdong", _("Guangdong")
    GUANGXI = "guangxi", _("Guangxi")
    GUIZHOU = "guizhou", _("Guizhou")
    HAINAN = "hainan", _("Hainan")
    HEBEI = "hebei", _("Hebei")
    HEILONGJIANG = "heilongjiang", _("Heilongjiang")
    HENAN = "henan", _("Henan")
    HUBEI = "hubei", _("Hubei")
    HUNAN = "hunan", _("Hunan")
    INNER_MONGOLIA = "inner-mongolia", _("Inner Mongolia")
    JIANGSU = "jiangsu", _("Jiangsu")
    JIANGXI = "jiangxi", _("Jiangxi")
    JILIN = "jilin", _("Jilin")
    LIAONING = "liaoning", _("Liaoning")
    NINGXIA = "ningxia", _("Ningxia")
    QINGHAI = "qinghai", _("Qinghai")
    SHAANXI = "shaanxi", _("Shaanxi")
    SHANDONG = "shandong", _("Shandong")
    SHANGHAI = "shanghai", _("Shanghai")
    SHANXI = "shanxi", _("Shanxi")
    SICHUAN = "sichuan", _("Sichuan")
    TIANJIN = "tianjin", _("Tianjin")
    TIBET = "tibet", _("Tibet")
    XINJIANG = "xinjiang", _("Xinjiang")
    YUNNAN = "yunnan", _("Yunnan")
    ZHEJIANG = "zhejiang", _("Zhejiang")


class DocumentKind(models.TextChoices):
    GUIDING_OPINIONS = "guiding-opinions", _("Guiding opinions")
    OPINIONS = "opinions", _("Opinions")
    ACTION_PLAN = "action-plan", _("Action plan")
    IMPLEMENTATION_PLAN = "implementation-plan", _("Implementation plan")
    GUIDELINE = "guideline", _("Guideline")
    NOTICE = "notice", _("Notice")


class PolicyDocumentQuerySet(SourcedQuerySet):
    def in_brief(self):
        """With only the fields a list of documents shows (includes/_document_list.html)."""
        return self.only("slug", "title", "title_zh", "number_zh", "issuer", "issuer_zh", "issued_on", "issued_precision")


class PolicyDocument(Sourced):
    """A policy document: the Guiding Opinions, and the national, ministerial and provincial documents that followed them."""

    Level = Level
    Kind = DocumentKind
    Precision = Precision

    title = models.CharField(_("title"), max_length=300, help_text=_("The English title the site uses."))
    other_titles = models.TextField(
        _("other English titles"), blank=True, help_text=_("Other English renderings of the title, one per line, as sources give them.")
    )
    title_zh = models.CharField(_("Chinese title"), max_length=300, blank=True, help_text=_("The Chinese title, exactly as issued."))
    number_zh = models.CharField(
        _("document number"), max_length=100, blank=True, help_text=_("In Chinese, exactly as issued, e.g. 国发〔2015〕40号.")
    )
    number_en = models.CharField(
        _("document number in English"),
        max_length=200,
        blank=True,
        help_text=_('As an English source gives it, e.g. "Guofa [2015] No. 40".'),
    )
    issuer = models.CharField(_("issued by"), max_length=200, help_text=_("The issuing body, or the one that leads, in English."))
    issuer_zh = models.CharField(
        _("issued by, in Chinese"), max_length=100, blank=True, help_text=_("Its Chinese name, where a source gives it.")
    )
    joint_issuers = models.TextField(
        _("jointly issued with"), blank=True, help_text=_("The other bodies that issued it, as the sources name them.")
    )
    joint_issuers_zh = translation_field(_("jointly issued with (Chinese)"))
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, help_text=_("Who issued it: the State Council, a ministry, a province.")
    )
    province = models.CharField(
        _("province"), max_length=20, choices=Province.choices, blank=True, help_text=_("Whose plan it is, for a provincial document.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices, help_text=_("What sort of document it is."))
    issued_on = models.DateField(
        _("issued"), null=True, blank=True,
        help_text=_("The date it bears; for a year or month only, its first day; blank where no source gives it."),
    )  # fmt: skip
    issued_precision = models.CharField(
        _("precision of the date issued"),
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text=_("How much of that date is known."),
    )
    published_on = models.DateField(_("published"), null=True, blank=True, help_text=_("When it was made public, if a source says."))
    legal_status = models.CharField(
        _("validity"), max_length=100, blank=True, choices=LegalStatus.choices,
        help_text=_("Only as a source states it; blank otherwise."),
    )  # fmt: skip
    summary = models.TextField(_("summary"), help_text=_("One or two sentences shown in lists (their footnotes only on its page)."))
    summary_html = models.TextField(editable=False, default="")
    summary_zh = translation_field(_("summary (Chinese)"))
    summary_zh_html = models.TextField(editable=False, default="")
    body = models.TextField(_("body"), blank=True, help_text=MARKDOWN_HELP)
    body_html = models.TextField(editable=False, default="")
    body_zh = translation_field(_("body (Chinese)"))
    body_zh_html = models.TextField(editable=False, default="")
    implements = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="implemented_by",
        verbose_name=_("implements"),
        help_text=_("The documents it says it implements."),
    )
    follows_up = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="followed_up_by",
        verbose_name=_("follows up"),
        help_text=_("Earlier documents it takes further without saying it implements them."),
    )
    key_actions = models.ManyToManyField(
        KeyAction, blank=True, related_name="documents", verbose_name=_("key actions"), help_text=_("The key actions it takes up.")
    )
    sectors = models.ManyToManyField(
        "sectors.Sector", blank=True, related_name="documents", verbose_name=_("sectors"), help_text=_("The sectors it touches.")
    )

    objects = PolicyDocumentQuerySet.as_manager()

    markdown_fields = ("summary", "summary_zh", "body", "body_zh")
    translated_fields = ("title", "issuer", "summary", "body", "joint_issuers")
    zh_originals = ("title", "issuer")
    citation_type = "legislation"  # in "Cite this page" (CSL)
    history = ContentHistory(m2m_fields=["sources", "implements", "follows_up", "key_actions", "sectors"])

    class Meta:
        ordering = [models.F("issued_on").asc(nulls_last=True), "slug"]  # an undated document comes last
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        constraints = [
            Content.status_constraint("iplus_policydocument_status_valid"),
            models.CheckConstraint(condition=models.Q(level__in=Level.values), name="iplus_policydocument_level_valid"),
            models.CheckConstraint(condition=models.Q(kind__in=DocumentKind.values), name="iplus_policydocument_kind_valid"),
            models.CheckConstraint(condition=models.Q(issued_precision__in=Precision.values), name="iplus_policydocument_precision_valid"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("iplus:document-detail", args=[self.slug])

    def clean(self):
        errors = {}
        date_error = dated_precision_error(self.issued_on, self.issued_precision)
        if date_error:
            errors["issued_on"] = date_error
        if self.published_on and isinstance(self.issued_on, datetime.date) and self.published_on < self.issued_on:
            errors["published_on"] = _("A document cannot be published before the date it bears.")
        if self.level == Level.PROVINCIAL and not self.province:
            errors["province"] = _("Say whose plan it is: a provincial document names its province.")
        if self.province and self.level != Level.PROVINCIAL:
            errors["province"] = _("Only a provincial document has a province.")
        if errors:
            raise ValidationError(errors)

    def relations(self):
        """(heading, documents) for each relation to other documents that has any (prefetched by the detail view)."""
        relations = [
            (_("Implements"), self.implements.all()),
            (_("Follows up"), self.follows_up.all()),
            (_("Implemented by"), self.implemented_by.all()),
            (_("Followed up by"), self.followed_up_by.all()),
        ]
        return [(label, documents) for label, documents in relations if documents]

    def chinese_originals(self):
        """Its sources that give the document's Chinese text: the issuer's page or a copy of it (prefetched sources)."""
        return [source for source in self.sources.all() if source.title_zh and source.kind in (SourceKind.OFFICIAL, SourceKind.MIRROR)]

    @property
    def other_title_list(self):
        return [line.strip() for line in self.other_titles.splitlines() if line.strip()]

    @property
    def issued_iso(self):
        return date_iso(self.issued_on, self.issued_precision) if self.issued_on else ""

    @property
    def issued_display(self):
        return date_display(self.issued_on, self.issued_precision) if self.issued_on else _("date not stated")


class GlossaryTerm(Sourced):
    term = models.CharField(_("term"), max_length=150, unique=True, help_text=_("The term as it is written in English."))
    term_zh = models.CharField(_("Chinese term"), max_length=100, blank=True, help_text=_("The Chinese term, where there is one."))
    definition = models.TextField(_("definition"), help_text=MARKDOWN_HELP)
    definition_html = models.TextField(editable=False, default="")
    definition_zh = translation_field(_("definition (Chinese)"))
    definition_zh_html = models.TextField(editable=False, default="")

    markdown_fields = ("definition", "definition_zh")
    translated_fields = ("term", "definition")
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
