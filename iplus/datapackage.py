"""The whole dataset as a Frictionless Data Package: `/data/datapackage.json`, a CSV per kind of content, a CSV per
link between two kinds, and `/data/`, the page that documents every field.

A kind's CSV is its list page's download with no filters (the same rows, columns and order), and a link joins only
published items, so the package holds nothing the site does not show. Each file is made from the content when it is
asked for, so a change to the content changes the package at once (the page cache is emptied on every change).
"""

import copy
from dataclasses import dataclass, field

from django.db.models import ManyToManyField, Max
from django.http import Http404, JsonResponse, QueryDict
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from publishing.citations import Citation, CitationMixin
from publishing.downloads import attachment, csv_stream, description
from publishing.kinds import content_models, mirrored
from publishing.models import cited_passages

LICENSE = {
    "name": "CC-BY-SA-4.0",
    "path": "https://creativecommons.org/licenses/by-sa/4.0/",
    "title": "Creative Commons Attribution-ShareAlike 4.0 International",
}
ARTICLE = {"title": "Internet Plus (Wikipedia)", "path": "https://en.wikipedia.org/wiki/Internet_Plus"}
TITLE = _("iplus: the Internet Plus explorer, the dataset")
DESCRIPTION = _(
    "China's Internet Plus (互联网+) strategy: its policy documents, the eleven key actions of the State Council's Guiding "
    "Opinions, the sectors it reaches, dated figures on its outcomes, its timeline, critiques of it, a glossary, and every "
    "source each item names. Built from Wikipedia's article on Internet Plus and the official and press sources it and "
    "the site cite."
)
TYPES = {
    "IntegerField": "integer",
    "PositiveSmallIntegerField": "integer",
    "DecimalField": "number",
    "DateField": "date",
    "DateTimeField": "datetime",
}


def pages(request):
    """Each kind's list page as it is with no query string: its rows, columns and order, whatever this request asks."""
    bare = copy.copy(request)
    bare.GET = QueryDict()
    found = {kind: view() for kind, view in mirrored().items()}
    for page in found.values():
        page.setup(bare)
    return found


def kinds_by_model(pages):
    return {page.get_queryset().model: kind for kind, page in pages.items()}


def capitalised(text):
    text = str(text)
    return text[:1].upper() + text[1:]


def sentences(*parts):
    """Sentences in a row: a space between them in English, none in Chinese."""
    text, *others = [str(part) for part in parts if part]
    for part in others:
        text = pgettext("two sentences in a row", "%(first)s %(second)s") % {"first": text, "second": part}
    return text


def field_schema(model_field, kinds):
    """A column's name, type, constraints and what it holds (publishing.downloads.description), for a reader of the file."""
    model = model_field.model  # a reverse relation's too (the key actions' sectors): the model whose column it is
    described, added = description(model, model_field.name), None
    schema = {"name": model_field.name}
    if model_field.many_to_many:
        schema["type"] = "string"
        kind = kinds.get(model_field.related_model)
        added = (
            gettext("The slugs of the published items it names (rows of the %(kind)s resource), separated by semicolons.") % {"kind": kind}
            if kind
            else gettext("The slugs of the published items it names, separated by semicolons.")
        )
    elif model_field.many_to_one:
        schema["type"] = "string"
        added = row_of(kinds[model_field.related_model])
    else:
        schema["type"] = TYPES.get(model_field.get_internal_type(), "string")
        if model_field.get_internal_type() == "URLField":
            schema["format"] = "uri"
        if model_field.name in model.markdown_fields:
            added = gettext("Plain text, without its Markdown formatting and footnote markers (the API gives the Markdown).")
        if model_field.choices:
            schema["constraints"] = {"enum": [value for value, label in model_field.flatchoices if value != ""]}
            choice = pgettext("a value of a data field, and what it stands for", "%(value)s (%(label)s)")
            values = gettext("; ").join(
                choice % {"value": value, "label": label} for value, label in model_field.flatchoices if value != ""
            )
            added = gettext("One of: %(values)s.") % {"values": values}
    if model_field.name == "slug":
        schema["constraints"] = {"required": True, "unique": True}
    schema["description"] = sentences(described, added)
    return schema


def row_of(kind):
    return gettext("The slug of a row of the %(kind)s resource.") % {"kind": kind}


def kind_resource(kind, page, kinds):
    model = page.get_queryset().model
    columns = page.download_columns(model)
    address = {"name": "address", "type": "string", "format": "uri", "description": description(model, "address")}
    foreign_keys = [
        {"fields": column.name, "reference": {"resource": kinds[column.related_model], "fields": "slug"}}
        for column in columns
        if column.many_to_one
    ]
    return resource(
        kind,
        capitalised(model._meta.verbose_name_plural),
        {"fields": [address, *(field_schema(column, kinds) for column in columns)], "primaryKey": ["slug"], "foreignKeys": foreign_keys},
    )


def link_names(model_field):
    """The two columns of a link: the item's model and the field's related model (the field's name for a link to itself)."""
    own, other = model_field.model._meta.model_name, model_field.related_model._meta.model_name
    return own, model_field.name if other == own else other


def links(pages, kinds):
    """(name, kind, many-to-many field) of every link between two kinds, e.g. critiques-sectors."""
    for kind, page in pages.items():
        model = page.get_queryset().model
        for column in page.download_columns(model):
            if isinstance(column, ManyToManyField) and column.related_model in kinds:  # a reverse relation is the other end of one
                yield f"{kind}-{column.name.replace('_', '-')}", kind, column


def link_resource(name, kind, model_field, kinds):
    own, other = link_names(model_field)
    names = {"model": model_field.model._meta.verbose_name, "field": model_field.verbose_name}
    description = gettext("%(model)s → %(field)s: a row for each link.") % names
    fields = [
        {"name": own, "type": "string", "description": row_of(kind)},
        {"name": other, "type": "string", "description": row_of(kinds[model_field.related_model])},
    ]
    foreign_keys = [
        {"fields": own, "reference": {"resource": kind, "fields": "slug"}},
        {"fields": other, "reference": {"resource": kinds[model_field.related_model], "fields": "slug"}},
    ]
    return resource(name, capitalised(description), {"fields": fields, "primaryKey": [own, other], "foreignKeys": foreign_keys})


def resource(name, title, schema):
    return {
        "name": name,
        "path": f"{name}.csv",
        "title": title,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",  # the byte order mark that makes Excel read UTF-8
        "schema": schema,
    }


def link_rows(pages, kinds, kind, model_field):
    """The published pairs of a link, in slug order: both ends are rows of their kinds' resources."""
    own, other = link_names(model_field)
    source, target = model_field.m2m_field_name(), model_field.m2m_reverse_field_name()
    related_page = pages[kinds[model_field.related_model]]
    pairs = (
        model_field.remote_field.through.objects.filter(**{
            f"{source}__in": pages[kind].get_queryset().values("pk"),
            f"{target}__in": related_page.get_queryset().values("pk"),
        })
        .order_by(f"{source}__slug", f"{target}__slug")
        .values_list(f"{source}__slug", f"{target}__slug")
    )  # fmt: skip
    return ({own: a, other: b} for a, b in pairs.iterator())


PASSAGE_FIELDS = [
    ("source", _("The slug of a row of the sources resource: the source quoted.")),
    ("quoted_in", _("The note that quotes it, on the page of the item whose text cites the source.")),
    ("field", _("The field of that item's text (a name ending in _zh is its Chinese text).")),
    ("language", _("The language of the passage: zh or en.")),
    ("passage", _("The source's words the sentence rests on, in the source's language.")),
    ("ours", _("Our rendering of the passage in the text's language, if any.")),
    ("read_on", _("The day the source's page was read.")),
    ("archived_url", _("The Internet Archive's address for the copy of the page nearest that day.")),
]


def passages_resource():
    fields = [{"name": name, "type": "date" if name == "read_on" else "string", "description": str(text)} for name, text in PASSAGE_FIELDS]
    foreign_keys = [{"fields": "source", "reference": {"resource": "sources", "fields": "slug"}}]
    title = gettext("Passages quoted in footnotes: a row for each note that quotes its source.")
    return resource("passages", title, {"fields": fields, "foreignKeys": foreign_keys})


def last_changed():
    """When a published item last changed (a deletion shows from the next change on)."""
    times = [model.objects.published().aggregate(last=Max("updated"))["last"] for model in content_models() if hasattr(model, "status")]
    return max(filter(None, times), default=None)


def descriptor(request, changed):
    """The package's datapackage.json; `changed` is when a published item last changed (last_changed())."""
    found = pages(request)
    kinds = kinds_by_model(found)
    return {
        "profile": "data-package",
        "name": "iplus",
        "title": str(TITLE),
        "description": str(DESCRIPTION),
        "homepage": request.build_absolute_uri(reverse("data:index")),
        "licenses": [LICENSE],
        "sources": [ARTICLE],
        "contributors": [{"title": gettext("iplus: the Internet Plus explorer"), "role": "publisher"}],
        "keywords": ["Internet Plus", "互联网+", "China", "policy", "State Council"],
        **({"created": changed.isoformat()} if changed else {}),
        "resources": [
            *(kind_resource(kind, page, kinds) for kind, page in found.items()),
            *(link_resource(name, kind, column, kinds) for name, kind, column in links(found, kinds)),
            passages_resource(),
        ],
    }


def package(request):
    return JsonResponse(descriptor(request, last_changed()), json_dumps_params={"ensure_ascii": False, "indent": 2})


def table(request, name):
    found = pages(request)
    kinds = kinds_by_model(found)
    if name in found:
        page = found[name]
        queryset, columns, _errors = page.selection()  # no query string: nothing to fail
        rows = page.download_rows(queryset, columns)
        return attachment(csv_stream(["address", *(column.name for column in columns)], rows), "csv", name)
    for link, kind, column in links(found, kinds):
        if link == name:
            return attachment(csv_stream(link_names(column), link_rows(found, kinds, kind, column)), "csv", name)
    if name == "passages":
        rows = (cited.as_row(request) for cited in cited_passages())
        return attachment(csv_stream([name for name, _text in PASSAGE_FIELDS], rows), "csv", name)
    raise Http404(_("The dataset has no table of this name."))


@dataclass
class DatasetCitation(Citation):
    """The dataset's citation: schema.org `Dataset`, with its licence, what it is based on and its files."""

    distribution: list = field(default_factory=list)

    @property
    def json_ld(self):
        return {
            **super().json_ld,
            "description": str(DESCRIPTION),
            "license": LICENSE["path"],
            "isBasedOn": ARTICLE["path"],
            "inLanguage": ["en", "zh"],
            "distribution": self.distribution,
        }


class DataView(CitationMixin, TemplateView):
    template_name = "iplus/data.html"

    @cached_property
    def package(self):
        package = descriptor(self.request, self.changed)
        for item in package["resources"]:
            item["url"] = reverse("data:table", args=[item["name"]])
        return package

    def get_object(self):
        """What this page cites (CitationMixin): the package."""
        return self.package

    @cached_property
    def changed(self):
        return last_changed()

    def get_context_data(self, **kwargs):
        return super().get_context_data(package=self.package, license=LICENSE, article=ARTICLE, changed=self.changed, **kwargs)

    def citation(self):
        absolute = self.request.build_absolute_uri
        files = [(reverse("data:package"), "application/json"), *((item["url"], "text/csv") for item in self.package["resources"])]
        return DatasetCitation(
            key="iplus-dataset",
            title=str(TITLE),
            url=absolute(reverse("data:index")),
            date=timezone.localdate(self.changed) if self.changed else None,
            kind="dataset",
            distribution=[{"@type": "DataDownload", "encodingFormat": kind, "contentUrl": absolute(url)} for url, kind in files],
        )


urlpatterns = [
    path("", DataView.as_view(), name="index"),
    path("datapackage.json", package, name="package"),
    path("<slug:name>.csv", table, name="table"),
]
