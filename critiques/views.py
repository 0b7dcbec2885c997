from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from critiques.filters import CritiqueFilter
from critiques.models import Critique
from iplus.models import Source
from iplus.views import GlossaryMixin
from publishing.citations import CitationMixin
from publishing.downloads import DownloadMixin
from publishing.views import DraftPreviewMixin, FilterListView, PermanentLinkMixin


class CritiqueListView(DownloadMixin, FilterListView):
    list_name = _("Critiques")
    filter_heading = _("Filter critiques")
    download_name = "critiques"
    download_fields = ("slug", "title", "title_zh", "category", "raised_by", "summary", "argument", "quotation", "created", "sectors",
                       "key_actions")  # fmt: skip
    filterset_class = CritiqueFilter
    template_name = "critiques/critique_list.html"
    context_object_name = "critiques"
    paginate_by = 25

    def get_queryset(self):
        return Critique.objects.published().only("slug", "title", "title_zh", "summary", "category", "raised_by", "raised_by_zh", "created")


class CritiqueDetailView(CitationMixin, PermanentLinkMixin, DraftPreviewMixin, GlossaryMixin, DetailView):
    template_name = "critiques/critique_detail.html"
    context_object_name = "critique"

    def get_queryset(self):
        return Critique.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("sources", queryset=Source.objects.published()),
            Prefetch("sectors", queryset=Critique.sectors.field.related_model.objects.published().only("slug", "name", "name_zh")),
        )
