from dataclasses import replace

from django import forms
from django.db.models import F, Prefetch
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from critiques.models import Critique
from iplus.filters import DocumentFilter, MilestoneFilter
from iplus.models import GlossaryTerm, KeyAction, Milestone, PolicyDocument, Section, Source, Strategy, Technology
from publishing.citations import ANONYMOUS, SITE, Citation, CitationMixin
from publishing.downloads import DownloadMixin
from publishing.feeds import LISTED, everything, recent_changes
from publishing.markdown import GlossaryLinker
from publishing.models import cited_passages
from publishing.search import MAX_QUERY_LENGTH, search
from publishing.views import DraftPreviewMixin, FilterListView, PermanentLinkMixin
from sectors.models import Figure, Sector, Target

HOME_SECTORS = 24
HOME_CRITIQUES = 3
HOME_MILESTONES = 12
HOME_DOCUMENTS = 8
COVERAGE_SECTORS = 25

SOURCE_TYPES = {
    "official": "legislation",
    "press": "article-newspaper",
    "academic": "article-journal",
    "encyclopedia": "entry-encyclopedia",
}


def source_citation(source, request):
    """The citation of a source itself: its publisher, date and address, or this site's page for it."""
    return Citation(
        key=f"source-{source.slug}",
        title=source.title,
        title_zh=source.title_zh,
        url=source.url or request.build_absolute_uri(source.get_absolute_url()),
        date=source.published_on,
        author=source.publisher or ANONYMOUS,
        container=source.publisher or SITE,
        kind=SOURCE_TYPES.get(source.kind, "webpage"),
        of_source=True,
    )


def document_citation(document):
    """The document itself as GB/T 7714 cites an official document with a number, read on an official site: where its
    Chinese issuer, title and number are known and a published official source gives its Chinese text."""
    if not (document.issuer_zh and document.title_zh and document.number_zh):
        return None
    official = document.sources.published().filter(kind=Source.Kind.OFFICIAL).exclude(url="").exclude(title_zh="")
    found = min(official, key=lambda source: (source.title_zh != document.title_zh, source.slug), default=None)  # its own text first
    if found is None:
        return None
    return Citation(
        key=f"document-{document.slug}",
        title=document.title_zh,
        number=document.number_zh,
        url=found.url,
        date=found.published_on or document.published_on,
        author=document.issuer_zh,
        kind="legislation",
        of_source=True,
    )


class GlossaryMixin:
    """Adds `glossary`, which links the first occurrence of each glossary term on the page."""

    def get_context_data(self, **kwargs):
        terms = GlossaryTerm.objects.published().only("slug", "term", "term_zh", "definition_html")
        return super().get_context_data(glossary=GlossaryLinker(terms), **kwargs)


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
            documents=PolicyDocument.objects.published().in_brief().order_by(F("issued_on").desc(nulls_last=True), "slug")[:HOME_DOCUMENTS],
            **kwargs,
        )


class StrategyView(GlossaryMixin, ListView):
    template_name = "iplus/strategy.html"
    context_object_name = "sections"

    def get_queryset(self):
        return (
            Section.objects.published()
            .filter(parent=None)
            .with_sources()
            .prefetch_related(Prefetch("children", queryset=Section.objects.published().with_sources()))
        )

    def get_context_data(self, **kwargs):
        technologies = Technology.objects.published().with_sources()
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
        return (
            KeyAction.objects.visible_to(self.request.user)
            .with_sources()
            .prefetch_related(
                Prefetch("sectors", queryset=Sector.objects.published().only("slug", "name", "name_zh", "summary")),
                Prefetch("documents", queryset=PolicyDocument.objects.published().in_brief()),
                Prefetch("figures", queryset=Figure.objects.published().with_source().with_target()),
                Prefetch("targets", queryset=Target.objects.published().with_reports()),
                Prefetch("critiques", queryset=Critique.objects.published().only("slug", "title", "summary")),
            )
        )


class TimelineView(DownloadMixin, GlossaryMixin, FilterListView):
    download_name = "timeline"
    download_fields = ("slug", "date", "precision", "title", "kind", "description")
    template_name = "iplus/timeline.html"
    context_object_name = "milestones"
    filterset_class = MilestoneFilter
    paginate_by = 25

    def get_queryset(self):
        return Milestone.objects.published().with_sources()

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
        documents = PolicyDocument.objects.published().in_brief().filter(issued_on__isnull=False)
        if filters.get("year"):
            documents = documents.filter(issued_on__year=filters["year"])
        if page.has_previous():
            documents = documents.filter(issued_on__gte=milestones[0].date)
        if page.has_next():
            # The next page's first date only, not its rows and their sources.
            next_date = page.paginator.object_list.prefetch_related(None).values_list("date", flat=True)[page.end_index()]
            documents = documents.filter(issued_on__lt=next_date)
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
        return GlossaryTerm.objects.published().with_sources()


class SourceListView(DownloadMixin, ListView):
    download_name = "sources"
    download_fields = ("slug", "title", "title_zh", "publisher", "published_on", "url", "language", "read_on", "kind", "note")
    template_name = "iplus/source_list.html"
    context_object_name = "sources"
    paginate_by = 50

    def get_queryset(self):
        return Source.objects.published().only("slug", "title", "title_zh", "publisher", "published_on", "kind")

    def api_rows(self, items, columns):
        """A source's row also lists the passages quoted from it."""
        rows = super().api_rows(items, columns)
        quoted = {}
        for cited in cited_passages([item.slug for item in items]):
            quoted.setdefault(cited.source.slug, []).append(cited.as_row(self.request))
        for item, row in zip(items, rows, strict=True):
            row["passages"] = quoted.get(item.slug, [])
        return rows

    def api_properties(self):
        text, dated = {"type": "string"}, {"type": "string", "nullable": True}
        quoted = dict.fromkeys(("source", "quoted_in", "field", "language", "passage", "ours"), text)
        row = {"type": "object", "properties": {**quoted, "read_on": dated, "archived_url": dated}}
        return {"passages": {"type": "array", "items": row}}


class SourceDetailView(CitationMixin, PermanentLinkMixin, DraftPreviewMixin, DetailView):
    template_name = "iplus/source_detail.html"
    context_object_name = "source"

    def get_queryset(self):
        return Source.objects.visible_to(self.request.user)

    def citation(self):
        return source_citation(self.object, self.request)

    def get_context_data(self, **kwargs):
        cited_by = []
        for relation in Source._meta.related_objects:  # each kind whose items cite sources
            model = relation.related_model
            items = model.objects.published().filter(**{relation.field.name: self.object})
            if items:
                cited_by.append((capfirst(model._meta.verbose_name_plural), items))
        return super().get_context_data(cited_by=cited_by, passages=self.passages(), **kwargs)

    def passages(self):
        """Every passage quoted from the source, where it is quoted: footnotes in the page's language, then targets and
        figures, which quote one each."""
        source, zh = self.object, get_language().startswith("zh")
        found = []
        for cited in cited_passages([source.slug]):
            base = cited.field.removesuffix("_zh")
            if cited.field == (f"{base}_zh" if zh and getattr(cited.item, f"{base}_zh") else base):
                ours_lang = "zh-Hans" if cited.field.endswith("_zh") else "en"
                found.append(quote(cited.item, cited.address, cited.passage.words, cited.passage.language(source), cited.passage.ours,
                                   ours_lang, cited.read_on, cited.archived_url))  # fmt: skip
        for item in [*source.targets.published(), *source.figures.published().exclude(passage="")]:
            found.append(quote(item, item.get_absolute_url(), item.passage, item.passage_lang, item.passage_en, "en", source.read_on,
                               source.archived_url))  # fmt: skip
        return found


def quote(item, address, words, lang, ours, ours_lang, read_on, archived_url):
    """A passage as includes/_passage.html shows it, and where it is quoted."""
    return {"item": item, "kind": item._meta.verbose_name, "address": address, "words": words, "lang": lang, "ours": ours,
            "ours_lang": ours_lang, "read_on": read_on, "archived_url": archived_url}  # fmt: skip


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
        return Strategy.objects.published().with_sources()

    def get_context_data(self, **kwargs):
        strategies = list(self.object_list)
        language = get_language()
        rows = [(label, [strategy.translated(name, language)[0] for strategy in strategies]) for name, label in self.POINTS]
        return super().get_context_data(rows=rows, **kwargs)


class DocumentListView(DownloadMixin, FilterListView):
    list_name = _("Policy documents")
    filter_heading = _("Filter documents")
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
            "slug",
            "title",
            "title_zh",
            "number_zh",
            "number_en",
            "issuer",
            "issuer_zh",
            "level",
            "kind",
            "issued_on",
            "issued_precision",
            "summary_html",
            "summary_zh_html",
        )


class DocumentDetailView(CitationMixin, PermanentLinkMixin, DraftPreviewMixin, GlossaryMixin, DetailView):
    template_name = "iplus/document_detail.html"
    context_object_name = "document"

    def get_queryset(self):
        documents = PolicyDocument.objects.published().in_brief()
        return (
            PolicyDocument.objects.visible_to(self.request.user)
            .with_sources()
            .prefetch_related(
                *(Prefetch(name, queryset=documents) for name in ("implements", "follows_up", "implemented_by", "followed_up_by")),
                Prefetch("key_actions", queryset=KeyAction.objects.published().only("slug", "number", "name", "name_zh")),
                Prefetch("sectors", queryset=Sector.objects.published().only("slug", "name", "name_zh")),
                Prefetch("figures", queryset=Figure.objects.published().with_source().with_target()),
                Prefetch("targets", queryset=Target.objects.published().with_reports()),
            )
        )

    def citation(self):
        return replace(super().citation(), document=document_citation(self.object))


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
        figures = Figure.objects.published().with_source().filter(sector__in=sectors, key_action__isnull=False)
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
        return super().get_context_data(form=form, query=query, groups=groups, total=sum(len(group.hits) for group in groups), **kwargs)


def robots_txt(request):
    body = render_to_string("robots.txt", {"sitemap_url": request.build_absolute_uri(reverse("sitemap"))})
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


class ChangesView(ListView):
    """What's new: the newest published changes, for people."""

    template_name = "iplus/changes.html"
    context_object_name = "changes"
    paginate_by = 25

    def get_queryset(self):
        return recent_changes(everything(), LISTED)
