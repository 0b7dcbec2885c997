from django.db.models import Prefetch
from django.views.generic import DetailView, ListView, TemplateView

from critiques.models import Critique
from iplus.models import GlossaryTerm, KeyAction, Milestone, Section, Source, Strategy
from sectors.models import Sector

HOME_SECTORS = 24
HOME_CRITIQUES = 10


class HomeView(TemplateView):
    template_name = "iplus/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            # Bounded: the home page must not grow with the content (the full lists are paginated).
            sectors=Sector.objects.published().only("slug", "name", "name_zh", "summary")[:HOME_SECTORS],
            critiques=Critique.objects.published().only("slug", "title", "summary", "category")[:HOME_CRITIQUES],
            **kwargs,
        )


class StrategyView(ListView):
    template_name = "iplus/strategy.html"
    context_object_name = "sections"

    def get_queryset(self):
        published_sources = Prefetch("sources", queryset=Source.objects.published())
        return (
            Section.objects.published()
            .filter(parent=None)
            .prefetch_related(
                published_sources,
                Prefetch(
                    "children",
                    queryset=Section.objects.published().prefetch_related(published_sources),
                ),
            )
        )


class KeyActionListView(ListView):
    template_name = "iplus/keyaction_list.html"
    context_object_name = "key_actions"

    def get_queryset(self):
        return KeyAction.objects.published().prefetch_related(Prefetch("sectors", queryset=Sector.objects.published().only("slug", "name")))


class KeyActionDetailView(DetailView):
    template_name = "iplus/keyaction_detail.html"
    context_object_name = "key_action"

    def get_queryset(self):
        return KeyAction.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.published()),
            Prefetch("sources", queryset=Source.objects.published()),
        )


class TimelineView(ListView):
    template_name = "iplus/timeline.html"
    context_object_name = "milestones"

    def get_queryset(self):
        return Milestone.objects.published().prefetch_related(Prefetch("sources", queryset=Source.objects.published()))


class GlossaryView(ListView):
    template_name = "iplus/glossary.html"
    context_object_name = "terms"

    def get_queryset(self):
        return GlossaryTerm.objects.published().prefetch_related(Prefetch("sources", queryset=Source.objects.published()))


class SourceListView(ListView):
    template_name = "iplus/source_list.html"
    context_object_name = "sources"
    paginate_by = 50

    def get_queryset(self):
        return Source.objects.published()


class SourceDetailView(DetailView):
    template_name = "iplus/source_detail.html"
    context_object_name = "source"

    def get_queryset(self):
        return Source.objects.visible_to(self.request.user)


class CompareView(ListView):
    template_name = "iplus/compare.html"
    context_object_name = "strategies"

    def get_queryset(self):
        return Strategy.objects.published().prefetch_related(Prefetch("sources", queryset=Source.objects.published()))
