from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from iplus.models import KeyAction, Sourced
from publishing.content import ContentHistory
from publishing.models import Content, translation_field
from sectors.models import Sector


class Category(models.TextChoices):
    IMPLEMENTATION = "implementation", _("Local implementation")
    CENSORSHIP = "censorship", _("Censorship")
    FREE_SPEECH = "free-speech", _("Freedom of speech")
    PRIVACY = "privacy", _("Personal-information security")
    FINANCIAL_RISK = "financial-risk", _("Financial risk")


class Critique(Sourced):
    Category = Category

    title = models.CharField(_("title"), max_length=200, help_text=_("The critique in a few words, as a heading."))
    title_zh = models.CharField(_("Chinese title"), max_length=200, blank=True, help_text=_("The Chinese heading, where there is one."))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, help_text=_("The kind of limitation or challenge."))
    raised_by = models.CharField(_("raised by"), max_length=200, help_text=_("Who makes the argument, as the sources name them."))
    raised_by_zh = translation_field(_("raised by (Chinese)"), max_length=200)
    summary = models.TextField(_("summary"), help_text=_("One or two plain sentences shown in lists."))
    summary_zh = translation_field(_("summary (Chinese)"))
    argument = models.TextField(
        _("argument"),
        help_text=_(
            "The argument in full. Markdown: *italic*, **bold**, [a link](https://…), lists and tables; any other HTML is removed."
        ),
    )
    argument_html = models.TextField(editable=False, default="")
    argument_zh = translation_field(_("argument (Chinese)"))
    argument_zh_html = models.TextField(editable=False, default="")
    quotation = models.TextField(_("quotation"), blank=True, help_text=_("The critic's own words, verbatim, without quotation marks."))
    sectors = models.ManyToManyField(
        Sector,
        blank=True,
        related_name="critiques",
        verbose_name=_("sectors"),
        help_text=_("The sectors it concerns; leave empty when it concerns the strategy as a whole."),
    )
    key_actions = models.ManyToManyField(
        KeyAction,
        blank=True,
        related_name="critiques",
        verbose_name=_("key actions"),
        help_text=_("The key actions of the Guiding Opinions it concerns, if any."),
    )

    markdown_fields = ("argument", "argument_zh")
    translated_fields = ("title", "summary", "argument", "raised_by")
    history = ContentHistory(m2m_fields=["sources", "sectors", "key_actions"])

    class Meta:
        ordering = ["-created", "slug"]
        verbose_name = _("critique")
        verbose_name_plural = _("critiques")
        constraints = [
            Content.status_constraint("critiques_critique_status_valid"),
            models.CheckConstraint(condition=models.Q(category__in=Category.values), name="critiques_critique_category_valid"),
        ]
        # The slug completes the ordering, so a page (even a deep one) is read from the index alone.
        indexes = [
            models.Index(fields=["status", "-created", "slug"], name="critiques_status_created"),
            models.Index(fields=["status", "category", "-created", "slug"], name="critiques_status_cat_created"),
            # Sorted by title (the filter's tiebreak is the key): at 100,000 critiques 261-588 ms without it, 104-140 with.
            models.Index(fields=["status", "title", "id"], name="critiques_status_title"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("critiques:detail", args=[self.slug])
