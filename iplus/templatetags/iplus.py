from django import template
from django.http import QueryDict
from django.utils.html import json_script
from django.utils.safestring import mark_safe

from iplus import charts
from iplus.markdown import GlossaryLinker

register = template.Library()


@register.filter(name="glossary")
def glossary_filter(html, linker):
    """Stored, sanitized HTML with glossary terms linked; without a linker, unchanged."""
    if not isinstance(linker, GlossaryLinker):
        return mark_safe(html)  # noqa: S308  (sanitized when the item was saved)
    return mark_safe(linker.link(html))  # noqa: S308  (the parser escapes every text and attribute)


@register.simple_tag(takes_context=True)
def canonical_url(context, keep=""):
    """The absolute URL of this page: its path, plus only the query parameters named in `keep`."""
    request = context["request"]
    params = QueryDict(mutable=True)
    for name in keep.split():
        values = [value for value in request.GET.getlist(name) if value]
        if values and not (name == "page" and values == ["1"]):
            params.setlist(name, values)
    query = f"?{params.urlencode()}" if params else ""
    return request.build_absolute_uri(request.path) + query


@register.simple_tag(takes_context=True)
def aria_current(context, url):
    """` aria-current` for a menu link: "page" on that page, "true" anywhere within its section."""
    path = getattr(context.get("request"), "path", None)
    if path == url:
        return mark_safe(' aria-current="page"')
    return mark_safe(' aria-current="true"') if path and url != "/" and path.startswith(url) else ""


@register.filter
def series(figures):
    """Figures grouped into series of one measure, each drawn as a chart when it has two or more dated figures."""
    return charts.series(figures)


@register.filter
def ld_json(data):
    """schema.org data as <script type="application/ld+json">, escaped as json_script escapes it: a data block, never run."""
    return mark_safe(json_script(data).replace('<script type="application/json">', '<script type="application/ld+json">', 1))
