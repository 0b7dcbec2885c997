"""Every list as CSV or JSON: `?format=csv` or `?format=json` on the list's own address, with its filters and sort order."""

import csv
import datetime
import json
from decimal import Decimal

from django.db.models import Prefetch
from django.http import HttpResponseBadRequest, StreamingHttpResponse

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
CHUNK = 500  # rows read at a time (with their prefetched relations): memory stays flat however many rows match


class Echo:
    """csv.writer writes a row to this and the row comes back: the stream yields it."""

    def write(self, value):
        return value


class DownloadMixin:
    """Answers `?format=csv|json` with every row the page's filters select (not one page), streamed, in the page's order.

    `download_fields` names the model's fields in column order; a relation becomes the published related items'
    slugs. The item's address comes first, and `sources` last where the model has them.
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
        names = [*self.download_fields, *(["sources"] if hasattr(model, "sources") else [])]
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
        """The API's rows for these items: the download's, and whatever a kind's page adds to them."""
        return [self.download_row(item, columns) for item in items]

    def api_properties(self):
        """The OpenAPI properties of what api_rows() adds to the download's columns."""
        return {}

    def download_row(self, item, columns):
        row = {"address": self.request.build_absolute_uri(item.get_absolute_url())}
        for field in columns:
            value = getattr(item, field.name)
            if field.many_to_many:
                value = [related.slug for related in value.all()]
            elif field.many_to_one:
                value = value.slug if value is not None and getattr(value, "is_published", True) else None
            row[field.name] = value
        return row


def attachment(stream, format, name):
    response = StreamingHttpResponse(stream, content_type=FORMATS[format])
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
