from django import template
from django.conf import settings
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.http import QueryDict
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import format_html, json_script
from django.utils.safestring import mark_safe

from publishing.markdown import CJK, GlossaryLinker, plain_text, script_language
from sectors import charts

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
def admin_change_url(obj):
    """The address of `obj`'s change page in the admin."""
    return reverse(admin_urlname(obj._meta, "change"), args=[obj.pk])


@register.filter
def series(figures):
    """Figures grouped into series of one measure, each drawn as a chart when it has two or more dated figures."""
    return charts.series(figures)


@register.filter
def ld_json(data):
    """schema.org data as <script type="application/ld+json">, escaped as json_script escapes it: a data block, never run."""
    return mark_safe(json_script(data).replace('<script type="application/json">', '<script type="application/ld+json">', 1))


@register.simple_tag(takes_context=True)
def canonical_links(context, keep=""):
    """The canonical URL (see canonical_url) and the same page in each edition, with hreflang, reciprocal by construction."""
    url = canonical_url(context, keep)
    links = [format_html('<link rel="canonical" href="{}">', url)]
    for code, _name in settings.LANGUAGES:
        links.append(format_html('<link rel="alternate" hreflang="{}" href="{}">', to_locale_tag(code), translate_url(url, code)))
    links.append(format_html('<link rel="alternate" hreflang="x-default" href="{}">', translate_url(url, settings.LANGUAGE_CODE)))
    return mark_safe("\n  ".join(links))  # noqa: S308  (each part built by format_html)


@register.simple_tag(takes_context=True)
def language_switch(context):
    """Links to this page, query string kept, in the other editions; a page no edition has (a 404) links their home."""
    request = context["request"]
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        url = translate_url(request.get_full_path(), code)
        if request.resolver_match is None:
            with translation.override(code):
                url = reverse("iplus:home")
        tag = to_locale_tag(code)
        with translation.override(code):
            label = translation.gettext(name)
        links.append(format_html('<a href="{}" hreflang="{}" lang="{}" rel="alternate">{}</a>', url, tag, tag, label))
    return mark_safe(" ".join(links))  # noqa: S308  (each part built by format_html)


@register.filter(name="lang_tag")
def to_locale_tag(code):
    """A language code as HTML's lang and hreflang write it: zh-hans → zh-Hans."""
    language, _dash, script = code.partition("-")
    return f"{language}-{script.title()}" if script else language


def _shown(item, name):
    """(text, its lang if the page's differs, whether it stands in for a missing translation)."""
    page = translation.get_language() or settings.LANGUAGE_CODE
    text, lang = item.translated(name, page)
    if lang == "en" and not name.endswith("_html") and script_language(text) == "zh":
        lang = "zh"  # an English field that holds a name in characters, as a source gives it
    page_tag = to_locale_tag(page)
    missing = page_tag != "en" and lang == "en" and name.removesuffix("_html") in item.translated_fields
    return text, (None if lang == page_tag else lang), missing


@register.filter
def tr(item, name):
    """Field `name` of `item` in this page's language, marked with `lang` where it is in another (the English,
    while a translation is missing: a text longer than a name also says so)."""
    text, lang, missing = _shown(item, name)
    if name.endswith("_html"):
        if lang is None:
            return mark_safe(text)  # noqa: S308  (sanitized when the item was saved)
        note = (
            format_html(
                '<p class="untranslated" lang="{}">{}</p>',
                to_locale_tag(translation.get_language()),
                translation.gettext("Not yet translated: the English text follows."),
            )
            if missing
            else ""
        )
        return format_html('<div lang="{}">{}{}</div>', lang, note, mark_safe(text))  # noqa: S308
    if lang is None:
        return text
    if missing and name != item.translated_fields[0]:
        return format_html('<span lang="{}">{}</span> <span class="untranslated">{}</span>', lang, text,
                           translation.gettext("(in English)"))  # fmt: skip
    return format_html('<span lang="{}">{}</span>', lang, text)


@register.filter
def named(item):
    """What str(item) says ("5. Inclusive finance", "Internet users in China: 649 million users") in this page's language:
    each translated field's Chinese in place of its English where it has one, marked with `lang` as `tr` marks its name."""
    fields = getattr(item, "translated_fields", ())
    page = translation.get_language() or settings.LANGUAGE_CODE
    if not fields or page == settings.LANGUAGE_CODE:
        return str(item)
    lang = _shown(item, fields[0])[1]
    return format_html('<span lang="{}">{}</span>', lang, item.name_in(page)) if lang else item.name_in(page)


@register.filter
def marked(text):
    """Free text with no field per language (a publisher, an alias, joint issuers) marked lang="en" on a Chinese page
    when it has no Chinese character in it, so that it is read as English."""
    if not text or not (translation.get_language() or "").startswith("zh") or CJK.search(text):
        return text
    return format_html('<span lang="en">{}</span>', text)


@register.filter
def tr_text(item, name):
    """Field `name` of `item` in this page's language, as plain text: for <title>, meta tags and attributes."""
    return _shown(item, name)[0]


@register.filter
def other(item, name):
    """The name of `item` in the other language, after a space, where it has one: "审查" beside "Censorship"."""
    page = translation.get_language() or settings.LANGUAGE_CODE
    shown, _lang = item.translated(name, page)
    other_text, lang = item.translated(name, "en" if page.startswith("zh") else "zh-hans")
    if not other_text or other_text == shown:
        return ""
    return format_html(' <span lang="{}" class="other-name">{}</span>', lang, other_text)


@register.filter
def words(html):
    """The words of stored HTML, its footnotes left out: a summary in a list, a meta description."""
    return plain_text(html)
