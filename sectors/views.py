import hashlib

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.views.generic import DetailView
from django_filters.views import FilterView

from critiques.models import Critique
from iplus import pagecache
from iplus.models import KeyAction, Source, Status, Technology
from iplus.pagination import CachedCountPaginator, FilteredListMixin
from iplus.views import GlossaryMixin
from sectors.filters import SectorFilter
from sectors.models import Application, Figure, Sector


def _count(queryset):
    """A correlated COUNT(*) as an annotation: one query for the whole page, and no join that multiplies rows."""
    counted = queryset.order_by().values("sector").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class SectorListView(FilteredListMixin, FilterView):
    filterset_class = SectorFilter
    paginator_class = CachedCountPaginator
    template_name = "sectors/sector_list.html"
    context_object_name = "sectors"
    paginate_by = 25

    def get_queryset(self):
        return Sector.objects.published().only("slug", "name", "name_zh", "summary", "position")

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        rows.prepare = attach_counts  # a RowsById: when the rows are read; markup kept for them reads none
        return paginator, page, rows, is_paginated


def attach_counts(rows):
    counted = page_counts([row.pk for row in rows])
    for row in rows:
        row.figure_count, row.critique_count = counted.get(row.pk, (0, 0))


def page_counts(ids):
    """{sector id: (published figures, published critiques)} for one page of sectors, kept per content version.

    Counted for the page's rows only (annotated on the whole list, SQLite counted every sector before sorting),
    and kept: a sector's 200 critiques at 100,000 are 200 row reads each, 70 ms a page on a cold disk cache.
    """
    if not ids:
        return {}

    def count():
        counts = (
            Sector.objects.filter(pk__in=ids)
            .annotate(
                figure_count=_count(Figure.objects.published().filter(sector=OuterRef("pk"))),
                critique_count=_count(Critique.sectors.through.objects.filter(sector=OuterRef("pk"), critique__status=Status.PUBLISHED)),
            )
            .values_list("pk", "figure_count", "critique_count")
        )
        return {pk: (figures, critiques) for pk, figures, critiques in counts}

    key = "iplus:sector-counts:" + hashlib.md5(repr(sorted(ids)).encode(), usedforsecurity=False).hexdigest()
    return pagecache.memoise(key, count)


class SectorDetailView(GlossaryMixin, DetailView):
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
