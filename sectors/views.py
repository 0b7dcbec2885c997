from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from critiques.models import Critique
from iplus.models import KeyAction, Source, Technology
from iplus.pagination import CachedCountPaginator
from sectors.models import Application, Figure, Sector


class SectorListView(ListView):
    paginator_class = CachedCountPaginator
    template_name = "sectors/sector_list.html"
    context_object_name = "sectors"
    paginate_by = 25

    def get_queryset(self):
        return Sector.objects.published().only("slug", "name", "name_zh", "summary")


class SectorDetailView(DetailView):
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
            Prefetch("critiques", queryset=Critique.objects.published().only("slug", "title", "summary", "category")),
        )
