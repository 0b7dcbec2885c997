"""A read-only JSON API: `/api/<kind>/` lists with the pages' own filters and pagination links, `/api/<kind>/<slug>/`
items, and its OpenAPI 3 description at `/api/openapi.json`.

Plain views over the list pages' views: each endpoint takes its queryset, filter set and columns from the page it
mirrors (and its rows from `DownloadMixin.download_row`), so the API can never filter or show what a page does not.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import JsonResponse
from django.urls import path, reverse
from django.views import View

from publishing.downloads import description
from publishing.kinds import mirrored

PAGE_SIZE = 50


def error(status, message, **extra):
    return JsonResponse({"error": message, **extra}, status=status)


class Endpoint(View):
    page_view = None  # the list page this endpoint mirrors
    paginate_by = PAGE_SIZE
    page_kwarg = "page"

    def page(self, request):
        """The page view, set up for this request: its queryset, filter set and columns."""
        page = self.page_view()
        page.setup(request)
        return page


class ListEndpoint(Endpoint):
    def get(self, request, kind):
        page = self.page(request)
        queryset, columns, errors = page.selection()
        if errors:
            return error(400, "These filters do not validate.", filters=errors)
        paginator = Paginator(queryset, PAGE_SIZE)
        try:
            current = paginator.page(request.GET.get("page") or 1)
        except (EmptyPage, PageNotAnInteger):
            return error(404, f"No such page: there are {paginator.num_pages}.")
        link = lambda number: request.build_absolute_uri("?" + with_page(request, number))  # noqa: E731
        return JsonResponse({
            "count": paginator.count,
            "next": link(current.next_page_number()) if current.has_next() else None,
            "previous": link(current.previous_page_number()) if current.has_previous() else None,
            "results": page.api_rows(list(current.object_list), columns),
        })  # fmt: skip


class ItemEndpoint(Endpoint):
    def get(self, request, kind, slug):
        page = self.page(request)
        queryset = page.get_queryset()
        columns = page.download_columns(queryset.model)
        try:
            item = page.download_queryset(queryset, columns).get(slug=slug)
        except queryset.model.DoesNotExist:
            return error(404, "No published item has this address.")
        return JsonResponse(page.api_rows([item], columns)[0])


def with_page(request, number):
    params = request.GET.copy()
    params["page"] = number
    return params.urlencode()


def endpoint(base, kind, page_view):
    """A subclass per kind, so the page cache (iplus.middleware.query_params) sees the filters it reads."""
    return type(
        f"{base.__name__}{kind.title()}", (base,), {"page_view": page_view, "filterset_class": getattr(page_view, "filterset_class", None)}
    )


TYPES = {"IntegerField": "integer", "PositiveSmallIntegerField": "integer", "DecimalField": "string", "DateField": "string"}


MARKDOWN = (
    "Markdown, as the editors write it: [^source-slug] at a sentence is a footnote citing the source of that slug, and a line of "
    "its own that starts [^source-slug]: gives the words it quotes from that source. The downloads give the text as plain text."
)


def schema_of(page_view, request):
    page = page_view()
    page.setup(request)
    model = page.get_queryset().model
    properties = {"address": {"type": "string", "format": "uri", "description": description(model, "address")}}
    for field in page.download_columns(model):
        if field.many_to_many:
            properties[field.name] = {"type": "array", "items": {"type": "string"}}
        else:
            properties[field.name] = {
                "type": TYPES.get(field.get_internal_type(), "string"),
                "nullable": bool(field.null or field.many_to_one),
            }
        markdown = [MARKDOWN] if field.name in model.markdown_fields else []
        properties[field.name]["description"] = " ".join([description(model, field.name), *markdown])
    return {"type": "object", "properties": {**properties, **page.api_properties()}}


def json_content(schema, description):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def operation(summary, operation_id, parameters, ok, errors):
    responses = {"200": ok, **{status: {"description": text} for status, text in errors.items()}}
    return {"get": {"summary": summary, "operationId": operation_id, "parameters": parameters, "responses": responses}}


def paths_of(kind, page_view):
    filterset = getattr(page_view, "filterset_class", None)
    names = [*(filterset.base_filters if filterset else ()), "page"]
    parameters = [{"name": name, "in": "query", "required": False, "schema": {"type": "string"}} for name in names]
    item = {"$ref": f"#/components/schemas/{kind}"}
    link = {"type": "string", "nullable": True}
    listing = {
        "type": "object",
        "properties": {"count": {"type": "integer"}, "next": link, "previous": link, "results": {"type": "array", "items": item}},
    }
    slug = [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}]
    return {
        f"/api/{kind}/": operation(
            f"Published {kind}, filtered as on the site",
            f"list-{kind}",
            parameters,
            json_content(listing, "A page of items"),
            {"400": "A filter does not validate", "404": "No such page"},
        ),
        f"/api/{kind}/{{slug}}/": operation(
            f"One of the {kind}", f"get-{kind}", slug, json_content(item, "The item"), {"404": "No published item has this slug"}
        ),
    }


def openapi(request):
    """The API's OpenAPI 3 description, made from the endpoints and the pages they mirror."""
    info = {
        "title": "iplus: the Internet Plus explorer",
        "version": "1",
        "description": "Read-only. Content CC BY-SA 4.0 (from Wikipedia's article and the sources each item names).",
    }
    return JsonResponse(
        {
            "openapi": "3.0.3",
            "info": info,
            "servers": [{"url": request.build_absolute_uri("/").rstrip("/")}],
            "paths": {path: spec for kind, page_view in mirrored().items() for path, spec in paths_of(kind, page_view).items()},
            "components": {"schemas": {kind: schema_of(page_view, request) for kind, page_view in mirrored().items()}},
        }
    )


def index(request):
    return JsonResponse({"description": request.build_absolute_uri(reverse("api:openapi")),
                         **{kind: request.build_absolute_uri(reverse(f"api:list-{kind}")) for kind in mirrored()}})  # fmt: skip


urlpatterns = [path("", index, name="index"), path("openapi.json", openapi, name="openapi")]
for kind, page_view in mirrored().items():
    urlpatterns += [
        path(f"{kind}/", endpoint(ListEndpoint, kind, page_view).as_view(), {"kind": kind}, name=f"list-{kind}"),
        path(f"{kind}/<slug:slug>/", endpoint(ItemEndpoint, kind, page_view).as_view(), {"kind": kind}, name=f"item-{kind}"),
    ]
