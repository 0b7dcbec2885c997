from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.views.generic import DetailView
from django_filters.views import FilterView

from critiques.models import Critique
from iplus.models import KeyAction, Source, Status, Technology
from iplus.views import DraftPreviewMixin, GlossaryMixin
from sectors.filters import SectorFilter
from sectors.models import Application, Figure, Sector


def count_of(queryset):
    """A correlated COUNT(*) per sector: computed for the rows of the page only, with no join that multiplies rows."""
    counted = queryset.order_by().values("sector").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class SectorListView(FilterView):
    filterset_class = SectorFilter
    template_name = "sectors/sector_list.html"
    context_object_name = "sectors"
    paginate_by = 25

    def get_queryset(self):
        critiques = Sector.critiques.through.objects.filter(sector=OuterRef("pk"), critique__status=Status.PUBLISHED)
        return (
            Sector.objects.published()
            .only("slug", "name", "name_zh", "summary", "position")
            .annotate(
                figure_count=count_of(Figure.objects.published().filter(sector=OuterRef("pk"))),
                critique_count=count_of(critiques),
            )
        )


class SectorDetailView(DraftPreviewMixin, GlossaryMixin, DetailView):
    template_name = "sectors/sector_detail.html"
    context_object_name = "sector"

    def get_queryset(self):
        published_sources = Prefetch("sources", queryset=Source.objects.published())
        return Sector.objects.visible_to(self.request.user).prefetch_related(
            "aliases",
            published_sources,
            Prefetch("applications", queryset=Application.objects.published().prefetch_related(published_sources)),
            Prefetch("figures", queryset=Figure.objects.published().select_related("source")),
            Prefetch("technologies", queryset=Technology.objects.published()),
            Prefetch("key_actions", queryset=KeyAction.objects.published()),
            Prefetch(
                "critiques",
                queryset=Critique.objects.published().only("slug", "title", "title_zh", "summary", "category", "raised_by", "created"),
            ),
        )
