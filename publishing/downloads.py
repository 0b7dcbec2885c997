"""Every list as CSV or JSON: `?format=csv` or `?format=json` on the list's own address, with its filters and sort order."""

import csv
import datetime
import json
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Prefetch
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from publishing.kinds import kind_of
from publishing.markdown import plain_text

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
CHUNK = 500  # rows read at a time (with their prefetched relations): memory stays flat however many rows match
# What the columns every kind may have hold; a kind's own are declared with it (Kind.columns).
COLUMNS = {
    "address": _("The item's page on this site."),
    "slug": _("The item's name in the site's addresses and in the links between the files: unique among the items of its kind."),
    "sources": _("The sources the item rests on."),
}


class Echo:
    """csv.writer writes a row to this and the row comes back: the stream yields it."""

    def write(self, value):
        return value


class DownloadMixin:
    """Answers `?format=csv|json` with every row the page's filters select (not one page), streamed, in the page's order.

    `download_fields` names the model's fields in column order; a relation becomes the published related items'
    slugs. The item's address comes first, and `sources` last where the model has them; a text with a Chinese twin
    (`translated_fields`) is followed by it. A Markdown text is given as plain text, as a reader reads it on the page
    (no markup, no footnote markers); the API gives its Markdown.
    """

    query_params = ("format",)  # read by this view: the page cache may store the HTML page with it absent
    download_fields = ()
    download_name = ""

    def get(self, request, *args, **kwargs):
        format = request.GET.get("format")
        if format is None:
            return super().get(request, *args, **kwargs)
        if format not in FORMATS:
            return bad_request("Unknown format: ask for format=csv or format=json.")
        queryset, columns, errors = self.selection()
        if errors:
            return bad_request(f"These filters do not validate: {', '.join(errors)}.")
        rows = self.download_rows(queryset, columns)
        stream = csv_stream(["address", *(field.name for field in columns)], rows) if format == "csv" else json_stream(rows)
        return attachment(stream, format, self.download_name)

    def selection(self):
        """(the rows the page's filters select, ready to read; their columns; the names of filters that do not
        validate). No query string: the page's usual rows and order. The API reads the same selection."""
        queryset = self.get_queryset()
        if getattr(self, "filterset_class", None):
            filterset = self.get_filterset(self.get_filterset_class())
            if filterset.is_bound and not filterset.is_valid():
                return None, None, sorted(filterset.errors)
            queryset = filterset.qs
        columns = self.download_columns(queryset.model)
        return self.download_queryset(queryset, columns), columns, []

    def download_columns(self, model):
        names = []
        for name in [*self.download_fields, *(["sources"] if hasattr(model, "sources") else [])]:
            names.append(name)
            if name in model.translated_fields and f"{name}_zh" not in self.download_fields:
                names.append(f"{name}_zh")
        return [model._meta.get_field(name) for name in names]

    def download_queryset(self, queryset, columns):
        related = [field.name for field in columns if field.many_to_one]
        prefetch = [
            Prefetch(field.name, queryset=field.related_model.objects.published().only("slug")) for field in columns if field.many_to_many
        ]
        # Every field, not the page's few (`only()`), and the download's own prefetches in place of the page's.
        queryset = queryset.defer(None).prefetch_related(None).prefetch_related(*prefetch)
        return queryset.select_related(*related) if related else queryset

    def download_rows(self, queryset, columns):
        return (self.download_row(item, columns) for item in queryset.iterator(chunk_size=CHUNK))

    def api_rows(self, items, columns):
        """The API's rows for these items: the download's (with the Markdown of its texts), and whatever a kind's page
        adds to them."""
        return [self.download_row(item, columns, markdown=True) for item in items]

    def api_properties(self):
        """The OpenAPI properties of what api_rows() adds to the download's columns."""
        return {}

    def download_row(self, item, columns, markdown=False):
        row = {"address": self.request.build_absolute_uri(item.get_absolute_url())}
        for field in columns:
            value = getattr(item, field.name)
            if field.name in item.markdown_fields and not markdown:
                value = plain_text(getattr(item, f"{field.name}_html"))
            elif field.many_to_many:
                value = [related.slug for related in value.all()]
            elif field.many_to_one:
                value = value.slug if value is not None and getattr(value, "is_published", True) else None
            row[field.name] = value
        return row


def description(model, name):
    """What a kind's column holds, for a reader: its kind's declaration, the one every kind shares, or, for the Chinese
    twin of a text, what the twin is."""
    described = kind_of(model).columns.get(name) or COLUMNS.get(name)
    base = name.removesuffix("_zh")
    if described is None and base != name and base in model.translated_fields:
        of = {"field": model._meta.get_field(base).verbose_name}
        if base in model.zh_originals:
            return gettext("The %(field)s in Chinese, as the source gives it (in simplified or traditional characters).") % of
        return gettext("The Chinese translation of the %(field)s, by the site's editors; empty while there is none.") % of
    if described is None:
        raise ImproperlyConfigured(f"{model.__name__}: say what the column {name} holds in its kind's columns (publishing.kinds.Kind).")
    return str(described)


def in_language(stream, language):
    """The stream made in the request's language (its items' addresses in its edition), though it is read after the
    view has returned and the request's language is no longer active."""
    chunks = iter(stream)
    while True:
        with translation.override(language):
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk


def attachment(stream, format, name):
    response = StreamingHttpResponse(in_language(stream, translation.get_language()), content_type=FORMATS[format])
    response["Content-Disposition"] = f'attachment; filename="{name}.{format}"'
    return response


def bad_request(message):
    return HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")


def plain(value):
    if isinstance(value, (datetime.date, Decimal)):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return value


def csv_stream(names, rows):
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow(names)  # the byte order mark tells Excel the file is UTF-8
    for row in rows:
        yield writer.writerow(["; ".join(value) if isinstance(value, list) else plain(value) for value in row.values()])


def json_stream(rows):
    yield "["
    for index, row in enumerate(rows):
        yield ("," if index else "") + "\n" + json.dumps({name: plain(value) for name, value in row.items()}, ensure_ascii=False)
    yield "\n]\n"
