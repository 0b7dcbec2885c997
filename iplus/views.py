import hashlib
from http import HTTPStatus

from django import forms
from django.contrib import admin
from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
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
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from critiques.models import Critique
from iplus import charts, history
from iplus.citations import Citation, CitationMixin, source_citation
from iplus.downloads import DownloadMixin
from iplus.filters import DocumentFilter, MilestoneFilter
from iplus.markdown import GlossaryLinker
from iplus.models import DraftChange, GlossaryTerm, KeyAction, Milestone, PolicyDocument, Section, Source, Status, Strategy, Technology
from iplus.search import KINDS, MAX_QUERY_LENGTH, search
from sectors.filters import FigureFilter
from sectors.models import Figure, Sector

HOME_SECTORS = 24
HOME_CRITIQUES = 3
HOME_MILESTONES = 12
HOME_DOCUMENTS = 8
COVERAGE_SECTORS = 25


def published_sources():
    return Prefetch("sources", queryset=Source.objects.published().only("slug", "title"))


def published_documents():
    return PolicyDocument.objects.published().only("slug", "title", "title_zh", "number_zh", "issuer", "issued_on", "issued_precision")


def published_figures():
    return Figure.objects.published().select_related("source")


def kept(key, compute):
    """`compute()`, kept in the page cache, which every content change empties: so it is never stale."""
    return caches["pages"].get_or_set("iplus:" + hashlib.md5(repr(key).encode(), usedforsecurity=False).hexdigest(), compute)


class KeptCountPaginator(Paginator):
    """A Paginator whose count is kept until the content changes: COUNT(*) of 100,000 critiques took 6.6 ms."""

    @cached_property
    def count(self):
        try:
            sql = str(self.object_list.query)
        except EmptyResultSet:  # a filter that can match nothing
            return 0
        return kept(("count", sql), self.object_list.count)


class GlossaryMixin:
    """Adds `glossary`, which links the first occurrence of each glossary term on the page."""

    def get_context_data(self, **kwargs):
        terms = GlossaryTerm.objects.published().only("slug", "term", "term_zh", "definition_html")
        return super().get_context_data(glossary=GlossaryLinker(terms), **kwargs)


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


# Every kind of item a visitor can point to, by the address of its page (or of the list it is an anchor on).
HISTORY_KINDS = {"sectors": Sector, "critiques": Critique, "key-actions": KeyAction, "documents": PolicyDocument, "sources": Source,
                 "strategy": Section, "compare": Strategy, "timeline": Milestone, "glossary": GlossaryTerm, "outcomes": Figure}  # fmt: skip


class PermanentLinkMixin:
    """An item page's permanent link: the address of its current published version, once it has a history."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item, kind = self.object, next(kind for kind, model in HISTORY_KINDS.items() if isinstance(self.object, model))
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

    def get_context_data(self, **kwargs):
        self.filterset.count_choices()
        return super().get_context_data(**kwargs)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.filterset.errors or self.filterset.unknown_ordering is not None:
            add_never_cache_headers(response)
        return response


class HomeView(GlossaryMixin, TemplateView):
    template_name = "iplus/home.html"

    def get_context_data(self, **kwargs):
        intro = {section.slug: section for section in Section.objects.published().filter(slug__in=["overview", "definition"])}
        return super().get_context_data(
            overview=intro.get("overview"),
            definition=intro.get("definition"),
            # Bounded: the home page must not grow with the content (the full lists are paginated).
            sectors=Sector.objects.published().only("slug", "name", "name_zh", "summary")[:HOME_SECTORS],
            key_actions=KeyAction.objects.published().only("slug", "number", "name", "name_zh"),
            critiques=Critique.objects.published()
            .order_by("-created", "slug")
            .only("slug", "title", "summary", "category")[:HOME_CRITIQUES],
            milestones=Milestone.objects.published().only("slug", "title", "date", "precision", "kind")[:HOME_MILESTONES],
            documents=published_documents().order_by("-issued_on", "slug")[:HOME_DOCUMENTS],
            **kwargs,
        )


class StrategyView(GlossaryMixin, ListView):
    template_name = "iplus/strategy.html"
    context_object_name = "sections"

    def get_queryset(self):
        return (
            Section.objects.published()
            .filter(parent=None)
            .prefetch_related(
                published_sources(),
                Prefetch("children", queryset=Section.objects.published().prefetch_related(published_sources())),
            )
        )

    def get_context_data(self, **kwargs):
        technologies = Technology.objects.published().prefetch_related(published_sources())
        return super().get_context_data(technologies=technologies, **kwargs)


class KeyActionListView(DownloadMixin, ListView):
    download_name = "key-actions"
    download_fields = ("number", "slug", "name", "name_zh", "description", "sectors")
    template_name = "iplus/keyaction_list.html"
    context_object_name = "key_actions"
    paginate_by = 50

    def get_queryset(self):
        return KeyAction.objects.published().prefetch_related(Prefetch("sectors", queryset=Sector.objects.published().only("slug", "name")))


class KeyActionDetailView(CitationMixin, PermanentLinkMixin, DraftPreviewMixin, GlossaryMixin, DetailView):
    template_name = "iplus/keyaction_detail.html"
    context_object_name = "key_action"

    def get_queryset(self):
        return KeyAction.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.published().only("slug", "name", "name_zh", "summary")),
            Prefetch("documents", queryset=published_documents()),
            Prefetch("figures", queryset=published_figures()),
            Prefetch("critiques", queryset=Critique.objects.published().only("slug", "title", "summary")),
            published_sources(),
        )


class TimelineView(DownloadMixin, GlossaryMixin, FilterListView):
    download_name = "timeline"
    download_fields = ("slug", "date", "precision", "title", "kind", "description")
    template_name = "iplus/timeline.html"
    context_object_name = "milestones"
    filterset_class = MilestoneFilter
    paginate_by = 25

    def get_queryset(self):
        return Milestone.objects.published().prefetch_related(published_sources())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = self.with_documents(context["page_obj"], context["milestones"])
        return context

    def with_documents(self, page, milestones):
        """The page's milestones, and the policy documents issued in the stretch of time the page covers (from the
        page's first date to the next page's), in date order: the timeline shows the documents' dates too."""
        valid = not self.filterset.is_bound or self.filterset.is_valid()
        filters = self.filterset.form.cleaned_data if self.filterset.is_bound and valid else {}
        if not valid or filters.get("kind") not in ("", None, Milestone.Kind.POLICY):
            return [("milestone", milestone) for milestone in milestones]
        documents = published_documents()
        if filters.get("year"):
            documents = documents.filter(issued_on__year=filters["year"])
        if page.has_previous():
            documents = documents.filter(issued_on__gte=milestones[0].date)
        if page.has_next():
            documents = documents.filter(issued_on__lt=page.paginator.page(page.next_page_number()).object_list[0].date)
        entries = [(milestone.date, 0, "milestone", milestone) for milestone in milestones]
        entries += [(document.issued_on, 1, "document", document) for document in documents]
        return [(kind, item) for _date, _order, kind, item in sorted(entries, key=lambda entry: entry[:2])]


class GlossaryView(DownloadMixin, ListView):
    download_name = "glossary"
    download_fields = ("slug", "term", "term_zh", "definition")
    template_name = "iplus/glossary.html"
    context_object_name = "terms"
    paginate_by = 200

    def get_queryset(self):
        return GlossaryTerm.objects.published().prefetch_related(published_sources())


class SourceListView(DownloadMixin, ListView):
    download_name = "sources"
    download_fields = ("slug", "title", "title_zh", "publisher", "published_on", "url", "kind", "note")
    template_name = "iplus/source_list.html"
    context_object_name = "sources"
    paginate_by = 50

    def get_queryset(self):
        return Source.objects.published().only("slug", "title", "title_zh", "publisher", "published_on", "kind")


class SourceDetailView(CitationMixin, PermanentLinkMixin, DraftPreviewMixin, DetailView):
    def citation(self):
        return source_citation(self.object, self.request)

    template_name = "iplus/source_detail.html"
    context_object_name = "source"

    def get_queryset(self):
        return Source.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        source = self.object
        in_sector = ("sector__slug", "sector__name")
        strategy_url = reverse("iplus:strategy")
        groups = [
            (_("Strategy sections"), source.section_set.published().only("slug", "title"), lambda x: (x.title, x.get_absolute_url())),
            (_("Sectors"), source.sector_set.published().only("slug", "name"), lambda x: (x.name, x.get_absolute_url())),
            (
                _("Applications"),
                source.application_set.published()
                .filter(sector__status=Status.PUBLISHED)
                .select_related("sector")
                .only("name", *in_sector),
                lambda x: (f"{x.sector.name}: {x.name}", x.sector.get_absolute_url()),
            ),
            (
                _("Figures"),
                source.figures.published().only("slug", "label", "qualifier", "value", "unit"),
                lambda x: (f"{x.label}, {x.display}", x.get_absolute_url()),
            ),
            (_("Critiques"), source.critique_set.published().only("slug", "title"), lambda x: (x.title, x.get_absolute_url())),
            (_("Policy documents"), source.policydocument_set.published().only("slug", "title"), lambda x: (x.title, x.get_absolute_url())),
            (_("Key actions"), source.keyaction_set.published().only("slug", "number", "name"), lambda x: (str(x), x.get_absolute_url())),
            (
                _("Timeline"),
                source.milestone_set.published().only("slug", "title", "date", "precision"),
                lambda x: (str(x), x.get_absolute_url()),
            ),
            (_("Glossary"), source.glossaryterm_set.published().only("slug", "term"), lambda x: (x.term, x.get_absolute_url())),
            (
                _("Technologies"),
                source.technology_set.published().only("slug", "name"),
                lambda x: (x.name, f"{strategy_url}#technology-{x.slug}"),
            ),
            (_("Compared strategies"), source.strategy_set.published().only("slug", "name"), lambda x: (x.name, x.get_absolute_url())),
        ]
        cited_by = [(label, [describe(item) for item in items]) for label, items, describe in groups]
        return super().get_context_data(cited_by=[(label, items) for label, items in cited_by if items], **kwargs)


class CompareView(GlossaryMixin, ListView):
    template_name = "iplus/compare.html"
    context_object_name = "strategies"

    POINTS = [
        ("country", _("Country")),
        ("proposed_by", _("Proposed by")),
        ("proposed_in", _("Proposed in")),
        ("field", _("Field")),
    ]

    def get_queryset(self):
        return Strategy.objects.published().prefetch_related(published_sources())

    def get_context_data(self, **kwargs):
        strategies = list(self.object_list)
        language = get_language()
        rows = [(label, [strategy.translated(name, language)[0] for strategy in strategies]) for name, label in self.POINTS]
        return super().get_context_data(rows=rows, **kwargs)


class DocumentListView(DownloadMixin, FilterListView):
    download_name = "documents"
    download_fields = ("slug", "title", "other_titles", "title_zh", "number_zh", "number_en", "issuer", "issuer_zh", "joint_issuers",
                       "level", "kind", "issued_on", "issued_precision", "published_on", "legal_status", "summary", "body",
                       "implements", "follows_up", "key_actions", "sectors")  # fmt: skip
    filterset_class = DocumentFilter
    template_name = "iplus/document_list.html"
    context_object_name = "documents"
    paginate_by = 25

    def get_queryset(self):
        return PolicyDocument.objects.published().only(
            "slug", "title", "title_zh", "number_zh", "number_en", "issuer", "level", "kind", "issued_on", "issued_precision", "summary"
        )


class DocumentDetailView(CitationMixin, PermanentLinkMixin, DraftPreviewMixin, GlossaryMixin, DetailView):
    template_name = "iplus/document_detail.html"
    context_object_name = "document"

    def get_queryset(self):
        return PolicyDocument.objects.visible_to(self.request.user).prefetch_related(
            published_sources(),
            *(Prefetch(name, queryset=published_documents()) for name in ("implements", "follows_up", "implemented_by", "followed_up_by")),
            Prefetch("key_actions", queryset=KeyAction.objects.published().only("slug", "number", "name", "name_zh")),
            Prefetch("sectors", queryset=Sector.objects.published().only("slug", "name", "name_zh")),
            Prefetch("figures", queryset=published_figures()),
        )


class OutcomesView(DownloadMixin, FilterListView):
    download_name = "figures"
    download_fields = ("slug", "label", "qualifier", "value", "unit", "as_of", "as_of_precision", "note", "sector", "key_action",
                       "document", "source")  # fmt: skip
    """Every published figure, as of the date it describes, grouped into series of one measure."""

    filterset_class = FigureFilter
    template_name = "iplus/outcomes.html"
    context_object_name = "figures"
    paginate_by = 100

    def get_queryset(self):
        return published_figures().select_related("sector", "key_action", "document")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["series"] = charts.series(context["figures"])
        return context


class CoverageView(ListView):
    """Sectors down the side, key actions across; each cell counts what connects the two."""

    template_name = "iplus/coverage.html"
    context_object_name = "sectors"
    paginate_by = COVERAGE_SECTORS

    def get_queryset(self):
        return (
            Sector.objects.published()
            .only("slug", "name", "name_zh")
            .prefetch_related(Prefetch("key_actions", queryset=KeyAction.objects.published().only("pk")))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sectors = list(context["sectors"])
        key_actions = list(KeyAction.objects.published().only("slug", "number", "name", "name_zh"))
        pairs = {
            "documents": PolicyDocument.objects.published().filter(sectors__in=sectors, key_actions__isnull=False),
            "critiques": Critique.objects.published().filter(sectors__in=sectors, key_actions__isnull=False),
        }
        counts = {}
        for name, queryset in pairs.items():
            for sector, key_action in queryset.values_list("sectors", "key_actions"):
                counts[name, sector, key_action] = counts.get((name, sector, key_action), 0) + 1
        figures = published_figures().filter(sector__in=sectors, key_action__isnull=False)
        for sector, key_action in figures.values_list("sector", "key_action"):
            counts["figures", sector, key_action] = counts.get(("figures", sector, key_action), 0) + 1
        rows = []
        for sector in sectors:
            meets = {key_action.pk for key_action in sector.key_actions.all()}
            cells = [
                {
                    "key_action": key_action,
                    "meets": key_action.pk in meets,
                    **{name: counts.get((name, sector.pk, key_action.pk), 0) for name in ("documents", "critiques", "figures")},
                }
                for key_action in key_actions
            ]
            rows.append((sector, cells))
        context.update(key_actions=key_actions, rows=rows)
        return context


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the site"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.SearchInput,
        error_messages={"max_length": _("Search for at most %(limit_value)d characters; this search has %(show_value)d.")},
    )


class SearchView(TemplateView):
    template_name = "iplus/search.html"
    query_params = ("q",)  # what the page cache may store pages for (iplus.middleware.query_params)
    limit = 10

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET or None)
        query = ""
        groups = []
        if form.is_valid():
            query = form.cleaned_data["q"].strip()
            groups = search(query, limit=self.limit)
        return super().get_context_data(
            form=form, query=query, groups=groups, total=sum(len(group.hits) for group in groups), kinds=KINDS.values(), **kwargs
        )


def robots_txt(request):
    body = render_to_string("robots.txt", {"sitemap_url": request.build_absolute_uri(reverse("sitemap"))})
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


class KindConverter(StringConverter):
    """The kinds of item with a public history: /<kind>/<slug>/history/."""

    regex = "|".join(HISTORY_KINDS)


class ItemHistoryMixin:
    """The published item named by the address, and its published versions, oldest first."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        model = HISTORY_KINDS[kwargs["kind"]]
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
            url=self.request.build_absolute_uri(self.request.path),
            date=timezone.localdate(self.object.date),
            kind="legislation" if isinstance(self.item, PolicyDocument) else "webpage",
        )


def permission_denied(request, exception=None):
    """A refusal in the admin is an admin page, with its menus and a way back; elsewhere Django's, from 403.html."""
    if request.path.startswith(reverse("admin:index")):
        context = {**admin.site.each_context(request), "title": _("You may not open this page")}
        return TemplateResponse(request, "admin/403.html", context, status=HTTPStatus.FORBIDDEN).render()
    return defaults.permission_denied(request, exception)
