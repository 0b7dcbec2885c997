"""The content base every kind shares: publishing status, Markdown rendered at save with footnotes that cite sources,
Chinese twins of texts, dates known to their precision, and draft changes of published items."""

import calendar
import copy
import dataclasses
import datetime
import itertools
import re

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from publishing import markdown
from publishing.kinds import content_models

MARKDOWN_HELP = _("Markdown: *italic*, **bold**, [a link](https://…), lists and tables; any other HTML is removed.")
TRANSLATION_HELP = _(
    "The editors' Chinese translation, shown on the Chinese edition marked as a translation; "
    "while it is blank, that edition shows the English, labelled."
)


def translation_field(verbose_name, max_length=None):
    """The Chinese twin of an English field: blank until the editors have translated it."""
    if max_length:
        return models.CharField(verbose_name, max_length=max_length, blank=True, help_text=TRANSLATION_HELP)
    return models.TextField(verbose_name, blank=True, help_text=TRANSLATION_HELP)


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
    # The English fields with a Chinese twin "<name>_zh" (the editors' translation, or the original name).
    translated_fields = ()
    # Of those, the ones whose Chinese is the original as a source gives it, in simplified or traditional characters.
    zh_originals = ()

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is None or set(update_fields) & set(self.markdown_fields):  # publishing alone renders nothing
            self.render_markdown()
        super().save(*args, update_fields=update_fields, **kwargs)

    def natural_key(self):
        return (self.slug,)

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name in self.markdown_fields:
            if name not in errors and name not in (exclude or ()) and (problems := footnote_problems(getattr(self, name))):
                errors[name] = problems
        if errors:
            raise ValidationError(errors)

    def render_markdown(self):
        for name in self.markdown_fields:
            with translation.override("zh-hans" if name.endswith("_zh") else "en"):  # the language of its notes' words
                setattr(self, f"{name}_html", markdown.render(getattr(self, name), prefix=self.notes_prefix(name)))

    def notes_prefix(self, name):
        """Footnote ids stay unique on a page that shows several texts: each names its item and field."""
        return f"{self._meta.model_name}-{self.slug}-{name}".replace("_", "-")

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    @property
    def has_translation(self):
        """Whether the editors have translated any of its texts (the originals a source gives do not count)."""
        return any(getattr(self, f"{name}_zh") for name in self.translated_fields if name not in self.zh_originals)

    def translated(self, name, language):
        """(text, language) of field `name` (or its "_html") in `language`; the English where there is no Chinese yet."""
        base, html = name.removesuffix("_html"), name.endswith("_html")
        if language.startswith("zh") and base in self.translated_fields:
            text = getattr(self, f"{base}_zh_html" if html else f"{base}_zh")
            if text:
                return text, "zh" if base in self.zh_originals else "zh-Hans"
        return getattr(self, name), "en"

    def name_in(self, language):
        """What str() says of it ("5. Inclusive finance") in `language`: each translated field's Chinese in its English's
        place where it has one ("5. 普惠金融")."""
        if not language.startswith("zh"):
            return str(self)
        shown = copy.copy(self)  # never saved: only its str() is read
        for name in self.translated_fields:
            setattr(shown, name, self.translated(name, language)[0])
        return str(shown)

    @classmethod
    def status_constraint(cls, name):
        return models.CheckConstraint(condition=models.Q(status__in=Status.values), name=name)


def source_model():
    """The model footnotes cite by slug (settings.PUBLISHING_SOURCE_MODEL)."""
    return apps.get_model(settings.PUBLISHING_SOURCE_MODEL)


def passage_error(words):
    """What is wrong with a quoted passage's length, if anything."""
    length = markdown.Passage("", words or "").length
    if length > markdown.PASSAGE_WORDS:
        message = _("The passage has %(words)s words: quote at most %(most)s (%(chinese)s characters of Chinese).")
        return message % {"words": round(length), "most": markdown.PASSAGE_WORDS, "chinese": 2 * markdown.PASSAGE_WORDS}
    return None


def footnote_problems(text):
    """What is wrong with the footnotes of a Markdown text: each must name a published source by its slug, and each
    passage be short, dated by a day that has come and cited by a footnote."""
    keys = markdown.cited_keys(text)
    quoted = markdown.passages(text)[1]
    slugs = list(dict.fromkeys(key.split(":")[0] for key in [*keys, *quoted]))
    if not slugs:
        return []
    known = dict(source_model().objects.filter(slug__in=slugs).values_list("slug", "status"))
    problems = []
    for slug in slugs:
        if slug not in known:
            problems.append(_("The footnote [^%(slug)s] names no source: use the slug of a source.") % {"slug": slug})
        elif known[slug] != Status.PUBLISHED:
            problems.append(_("The footnote [^%(slug)s] names a draft source: publish it first.") % {"slug": slug})
    for key, passage in quoted.items():
        named = {"key": key}
        if key not in keys:
            problems.append(_("The passage [^%(key)s]: is cited by no footnote: put [^%(key)s] at its sentence.") % named)
        if passage.repeated:
            problems.append(_("The passage [^%(key)s]: is given twice: name the second [^%(key)s:another-name].") % named)
        if too_long := passage_error(passage.words):
            problems.append(f"[^{key}]: {too_long}")
        if not passage.words:
            problems.append(_("The passage [^%(key)s]: quotes nothing: give the source's words after the colon.") % named)
        if passage.read is not None and not isinstance(passage.read, datetime.date):
            message = _("The passage [^%(key)s]: is read on “%(read)s”, which is not a date: write it as 2026-12-07.")
            problems.append(message % {**named, "read": passage.read})
        elif passage.read is not None and passage.read > timezone.localdate():
            message = _("The passage [^%(key)s]: is read on %(read)s, a day still to come.")
            problems.append(message % {**named, "read": passage.read.isoformat()})
    return problems


def citing(fields, slugs):
    """The rows whose Markdown `fields` may cite a source of these slugs, [^slug] or [^slug:name] (the texts say for sure)."""
    query = models.Q()
    for name, slug in itertools.product(fields, slugs):
        query |= models.Q(**{f"{name}__contains": f"[^{slug}]"}) | models.Q(**{f"{name}__contains": f"[^{slug}:"})
    return query


def footnoted_in(slug):
    """The content whose Markdown cites the source of this slug in a footnote."""
    for model in content_models():
        if not (fields := getattr(model, "markdown_fields", ())):
            continue
        for obj in model._default_manager.filter(citing(fields, [slug])):
            if any(slug in markdown.cited_slugs(getattr(obj, name)) for name in fields):
                yield obj


@dataclasses.dataclass
class Citation:
    """A published item that cites a source: in a footnote of one of its texts, in its list of sources, or as the
    source of a figure or a target."""

    item: models.Model
    field: models.Field  # the text, the list or the foreign key

    @property
    def where(self):
        name = self.field.verbose_name
        if self.field.many_to_many:
            return _("listed in its %(field)s") % {"field": name}
        if self.field.many_to_one:
            return _("as its %(field)s") % {"field": name}
        return _("a footnote in its %(field)s") % {"field": name}


def citations_of(sources):
    """{source: where the published content cites it}, item by item and field by field, for these sources: a few
    queries a kind, however many sources (an admin action may ask of a hundred)."""
    by_slug, by_pk = {source.slug: source for source in sources}, {source.pk: source for source in sources}
    found = {source: [] for source in by_pk.values()}
    for model in content_models():
        if not any(field.name == "status" for field in model._meta.fields):
            continue
        items = model._default_manager.filter(status=Status.PUBLISHED)
        if fields := getattr(model, "markdown_fields", ()):
            # A few slugs are looked for in the texts; for many, every text with a footnote is read.
            texts = (
                citing(fields, by_slug)
                if len(by_slug) <= 20
                else models.Q(*[(f"{name}__contains", "[^") for name in fields], _connector=models.Q.OR)
            )
            for obj in items.filter(texts):
                for name in fields:
                    for slug in markdown.cited_slugs(getattr(obj, name)):
                        if slug in by_slug:
                            found[by_slug[slug]].append(Citation(obj, model._meta.get_field(name)))
        for field in model._meta.many_to_many:
            if field.related_model is source_model() and field.remote_field.through._meta.auto_created:
                through, item_name = field.remote_field.through, field.m2m_field_name()
                column = f"{field.m2m_reverse_field_name()}_id"
                rows = through.objects.filter(**{f"{column}__in": by_pk, f"{item_name}__status": Status.PUBLISHED}).select_related(
                    item_name
                )
                for row in rows.order_by(item_name):
                    found[by_pk[getattr(row, column)]].append(Citation(getattr(row, item_name), field))
        for field in model._meta.fields:
            if field.is_relation and field.related_model is source_model():
                for obj in items.filter(**{f"{field.name}__in": by_pk}):
                    found[by_pk[getattr(obj, field.attname)]].append(Citation(obj, field))
    return found


@dataclasses.dataclass
class CitedPassage:
    """A passage a published text quotes in a footnote: where it is cited, and what it quotes."""

    item: models.Model
    field: str
    number: int
    passage: markdown.Passage
    source: models.Model

    @property
    def address(self):
        """The note on the item's page (the item's own address where that already names a place on a page)."""
        address = self.item.get_absolute_url()
        return address if "#" in address else f"{address}#fn-{self.item.notes_prefix(self.field)}-{self.number}"

    @property
    def read_on(self):
        return self.passage.read_on(self.source)

    @property
    def archived_url(self):
        return markdown.archived_url(self.source.url, self.read_on)

    def as_row(self, request):
        """The passage as the data package and the API give it."""
        return {
            "source": self.source.slug,
            "quoted_in": request.build_absolute_uri(self.address),
            "field": self.field,
            "language": self.passage.language(self.source),
            "passage": self.passage.words,
            "ours": self.passage.ours,
            "read_on": self.read_on.isoformat() if self.read_on else None,
            "archived_url": self.archived_url or None,
        }


def cited_passages(slugs=None):
    """The passages published texts quote from published sources (of these slugs, if given), text by text.

    One pass over every kind's published texts: no index of passages to keep in step with them."""
    sources = source_model().objects.published()
    sources = {source.slug: source for source in (sources.filter(slug__in=slugs) if slugs is not None else sources)}
    found = []
    for model in content_models():
        if not (fields := getattr(model, "markdown_fields", ())):
            continue
        items = model.objects.published()
        if slugs is not None:
            items = items.filter(citing(fields, sources)) if sources else items.none()
        for item in items:
            for name in fields:
                text, quoted = markdown.passages(getattr(item, name))
                # The notes' numbers as render() gives them, read with the pattern alone: parsing each text's Markdown
                # again (cited_keys) would cost the data package a parse of every text on the site.
                keys = list(dict.fromkeys(key for key, _slug in re.findall(markdown.FOOTNOTE, text)))
                for number, key in enumerate(keys, start=1):
                    if (passage := quoted.get(key)) and passage.words and passage.slug in sources:
                        found.append(CitedPassage(item, name, number, passage, sources[passage.slug]))
    return found


class Precision(models.TextChoices):
    YEAR = "year", _("Year")
    MONTH = "month", _("Month")
    DAY = "day", _("Day")


def dated_precision_error(date, precision):
    """What is wrong with a date known only to its year or month, if it is not that period's first day."""
    if not isinstance(date, datetime.date):
        return None
    if precision == Precision.YEAR and (date.month, date.day) != (1, 1):
        return _("A date known to the year must be 1 January of that year.")
    if precision == Precision.MONTH and date.day != 1:
        return _("A date known to the month must be the first of that month.")
    return None


def period_end(date, precision):
    """The last day of the period a date stands for: 31 December for a year, the month's last day for a month."""
    if precision == Precision.YEAR:
        return date.replace(month=12, day=31)
    if precision == Precision.MONTH:
        return date.replace(day=calendar.monthrange(date.year, date.month)[1])
    return date


def date_iso(date, precision):
    """The date as far as it is known, for <time datetime>: "2011", "2015-07" or "2015-07-01"."""
    if precision == Precision.YEAR:
        return f"{date:%Y}"
    return f"{date:%Y-%m}" if precision == Precision.MONTH else date.isoformat()


def date_display(date, precision):
    """The date in the page's language, to its precision: "4 July 2015", "July 2015", "2015" (2015年7月4日…)."""
    if precision == Precision.YEAR:
        return pgettext("a year on its own", "%(year)d") % {"year": date.year}
    return formats.date_format(date, "YEAR_MONTH_FORMAT" if precision == Precision.MONTH else "DATE_FORMAT")


class DraftChange(models.Model):
    """A change to a published item that is not live yet: the change form as an editor saved it "as a draft change",
    to publish later (the form's Save) or discard. Visitors keep the published item; staff see the draft on it."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    data = models.JSONField(_("the form's values"), help_text=_("Each field's values as the form sent them."))
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("saved by"))
    saved = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        db_table = "iplus_draftchange"  # made when the site's own app held it
        verbose_name = _("draft change")
        verbose_name_plural = _("draft changes")
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="one_draft_change_per_item")]

    def __str__(self):
        return _("Draft change of %(kind)s %(pk)s") % {"kind": self.content_type.name, "pk": self.object_id}

    @classmethod
    def of(cls, item):
        return cls.objects.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk).first()

    def apply(self, item):
        """`item` with the draft's texts and plain values in place (not saved); its links stay as published."""
        for name, values in self.data.items():
            field = item._meta.get_field(name)
            if field.concrete and not field.is_relation and name != "status":
                setattr(item, field.attname, field.to_python(values[0] if values else ""))
        item.render_markdown()
        item.draft_change = self
        return item
