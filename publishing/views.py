"""The views every kind shares: its list with filters, a detail page staff may see as a draft, the permanent link of
an item's published version, its public history and versions, and the admin's refusal page."""

from http import HTTPStatus

from django.contrib import admin
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.urls.converters import StringConverter
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.generic import ListView, TemplateView
from django_filters.views import FilterView

from publishing import history
from publishing.citations import Citation, CitationMixin, chinese_title
from publishing.kinds import kind_of, with_history
from publishing.models import DraftChange, Status
from publishing.signals import kept


class KeptCountPaginator(Paginator):
    """A Paginator whose count is kept until the content changes (COUNT(*) of 100,000 critiques took 6.6 ms), and
    whose pages stop at `max_pages`: page 3,922 of 100,000 critiques read 98,000 rows to skip them (10 ms against
    0.7 for the first page); the filters narrow a list and its download gives every row."""

    max_pages = 200

    @cached_property
    def num_pages(self):
        return min(super().num_pages, self.max_pages)

    @property
    def capped(self):
        return self.count > self.max_pages * self.per_page

    @cached_property
    def count(self):
        try:
            sql = str(self.object_list.query)
        except EmptyResultSet:  # a filter that can match nothing
            return 0
        return kept(("count", sql), self.object_list.count)


class DraftPreviewMixin:
    """A detail page staff may see as a draft, or with a draft change in place: neither is ever stored by the page
    cache (staff have a session)."""

    def get_object(self, queryset=None):
        item = super().get_object(queryset)
        if self.request.user.is_staff and (draft := DraftChange.of(item)):
            return draft.apply(item)
        return item

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_published:
            add_never_cache_headers(response)
        return response


class PermanentLinkMixin:
    """An item page's permanent link: the address of its current published version, once it has a history."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item, kind = self.object, kind_of(type(self.object)).address
        newest = item.history.filter(status=Status.PUBLISHED).first() if item.is_published else None  # newest first
        context["permanent_url"] = reverse("iplus:version", args=[kind, item.slug, newest.history_id]) if newest else None
        return context


class FilterListView(FilterView):
    """A public list and its filters.

    Its addresses carry no empty parameters (what the filter form sends for "Any ..."): they redirect to the address
    without them. Each choice of a select says how many items it gives. A list whose filters do not validate, or
    with an unknown sort order, is answered, never stored: made-up values (?category=junk1, ?ordering=junk1) would
    fill the page cache with copies of one page.
    """

    def get(self, request, *args, **kwargs):
        params = [(name, value) for name, values in request.GET.lists() for value in values]
        kept = [(name, value) for name, value in params if value]
        if kept != params:
            return redirect(f"{request.path}?{urlencode(kept)}" if kept else request.path)
        return super().get(request, *args, **kwargs)

    paginator_class = KeptCountPaginator
    list_name = ""  # its heading and title (templates/list.html)
    filter_heading = ""  # the heading of its filters

    def get_context_data(self, **kwargs):
        self.filterset.count_choices()
        return super().get_context_data(list_name=self.list_name, filter_heading=self.filter_heading, **kwargs)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.filterset.errors or self.filterset.unknown_ordering is not None:
            add_never_cache_headers(response)
        return response


class KindConverter(StringConverter):
    """The kinds of item with a public history: /<kind>/<slug>/history/."""

    @property
    def regex(self):  # read when the URLconf is first used, once every app has declared its kinds
        return "|".join(with_history())


class ItemHistoryMixin:
    """The published item named by the address, and its published versions, oldest first."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        model = with_history()[kwargs["kind"]]
        self.item = get_object_or_404(model.objects.published(), slug=kwargs["slug"])
        self.versions = history.versions_of(model, [self.item]).get(self.item.pk, [])

    def get_context_data(self, **kwargs):
        kwargs.setdefault("kind", self.kwargs["kind"])  # a template view has it from the address already
        return super().get_context_data(item=self.item, current=self.versions[-1:], **kwargs)


class HistoryView(ItemHistoryMixin, ListView):
    """Every published version of an item, newest first, with what changed and a diff of its text."""

    template_name = "iplus/history.html"
    context_object_name = "versions"
    paginate_by = 25

    def get_queryset(self):
        return self.versions[::-1]


class VersionView(CitationMixin, ItemHistoryMixin, TemplateView):
    """One published version of an item as it was, at its permanent address."""

    template_name = "iplus/version.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.history_id != kwargs["history_id"]:  # a later save that changed nothing: the version it repeats
            return redirect("iplus:version", kwargs["kind"], kwargs["slug"], self.object.history_id, permanent=True)
        return super().get(request, *args, **kwargs)

    def get_object(self):
        """The version this address names (CitationMixin cites it)."""
        found = next((version for version in self.versions if self.kwargs["history_id"] in version.same), None)
        if found is None:
            raise Http404(_("This item has no published version of this number."))
        return found

    def get_context_data(self, **kwargs):
        record, model = self.object.record, type(self.item)
        translated = set(model.translated_fields)
        skipped = {"slug", "title", "name", *(f"{name}_zh" for name in translated)}  # a text's Chinese shows in its place
        fields = []
        for field in history.compared_fields(model):
            if field.name in skipped or (value := getattr(record, field.attname)) in ("", None):
                continue
            html = f"{field.name}_html" if hasattr(record, f"{field.name}_html") else None
            shown = (html or field.name) if field.name in translated else None  # in the page's language, by `tr`
            english = not (shown or field.choices) and isinstance(value, str) and get_language() != "en"
            fields.append((field.verbose_name, shown, html and getattr(record, html), dict(field.flatchoices).get(value, value), english))
        links = [(m2m.verbose_name, m2m.related_model.objects.published().filter(pk__in=pks)) for m2m, pks in history.links(record, model)]
        return super().get_context_data(
            version=self.object, shown=record.instance, fields=fields, links=[link for link in links if link[1]], **kwargs
        )

    def citation(self):
        """The version's own address and date: what a reader cites stays what they read."""
        return Citation(
            key=f"iplus-{self.item.slug}-v{self.object.number}",
            title=str(self.object.record.instance),
            title_zh=chinese_title(self.object.record.instance),
            url=self.request.build_absolute_uri(self.request.path),
            date=timezone.localdate(self.object.date),
            kind=getattr(self.item, "citation_type", "webpage"),
        )


def permission_denied(request, exception=None):
    """A refusal in the admin is an admin page, with its menus and a way back; elsewhere Django's, from 403.html."""
    if request.path.startswith(reverse("admin:index")):
        context = {**admin.site.each_context(request), "title": _("You may not open this page")}
        return TemplateResponse(request, "admin/403.html", context, status=HTTPStatus.FORBIDDEN).render()
    return defaults.permission_denied(request, exception)
