from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from critiques.filters import CritiqueFilter
from critiques.models import Critique
from iplus.models import Source
from iplus.pagination import CachedCountPaginator, FilteredListMixin
from iplus.prepared import Prepared
from iplus.views import GlossaryMixin
from sectors.models import Sector


class CritiqueListView(FilteredListMixin, FilterView):
    filterset_class = CritiqueFilter
    paginator_class = CachedCountPaginator
    template_name = "critiques/critique_list.html"
    context_object_name = "critiques"
    paginate_by = 25

    def get_queryset(self):
        return Critique.objects.published().only("slug", "title", "title_zh", "summary", "category", "raised_by", "created")


# A detail page's three lookups, compiled once per process (iplus.prepared): the page is a cold render
# for every critique a visitor opens first.
PUBLISHED_BY_SLUG = Prepared(lambda slug: Critique.objects.published().filter(slug=slug), "\0slug")
PUBLISHED_SOURCES = Prepared(lambda pk: Source.objects.published().filter(critique=pk), -1)
PUBLISHED_SECTORS = Prepared(lambda pk: Sector.objects.published().filter(critiques=pk).only("slug", "name", "name_zh"), -1)


class CritiqueDetailView(GlossaryMixin, DetailView):
    template_name = "critiques/critique_detail.html"
    context_object_name = "critique"

    def get_queryset(self):
        return Critique.objects.visible_to(self.request.user)

    def get_object(self, queryset=None):
        if queryset is not None or self.request.user.is_staff:  # staff also see drafts
            return super().get_object(queryset)
        critique = PUBLISHED_BY_SLUG.first(self.kwargs["slug"])
        if critique is None:
            raise Http404(_("No critique found matching the query"))
        return critique

    def get_context_data(self, **kwargs):
        pk = self.object.pk
        return super().get_context_data(sources=list(PUBLISHED_SOURCES(pk)), sectors=list(PUBLISHED_SECTORS(pk)), **kwargs)
