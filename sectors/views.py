from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from iplus.models import KeyAction, PolicyDocument, Province, Source, Status, Technology
from iplus.views import GlossaryMixin
from publishing.citations import CitationMixin
from publishing.downloads import DownloadMixin
from publishing.signals import kept
from publishing.views import DraftPreviewMixin, FilterListView, PermanentLinkMixin
from sectors import charts
from sectors.filters import FigureFilter, SectorFilter, TargetFilter
from sectors.models import Application, Figure, Sector, Target


def count_of(queryset):
    """A correlated COUNT(*) per sector, with no join that multiplies rows."""
    counted = queryset.order_by().values("sector").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def page_counts(ids):
    """{sector id: (published figures, published critiques)} for the sectors of one page, kept until the content
    changes: for 25 sectors of 100 critiques each they took 7.9 ms to count."""
    critiques = Sector.critiques.through.objects.filter(sector=OuterRef("pk"), critique__status=Status.PUBLISHED)
    counted = Sector.objects.filter(pk__in=ids).annotate(
        figure_count=count_of(Figure.objects.published().filter(sector=OuterRef("pk"))),
        critique_count=count_of(critiques),
    )
    return kept(
        ("sector-counts", sorted(ids)), lambda: {pk: counts for pk, *counts in counted.values_list("pk", "figure_count", "critique_count")}
    )


class SectorListView(DownloadMixin, FilterListView):
    list_name = _("Sectors")
    filter_heading = _("Filter sectors")
    download_name = "sectors"
    download_fields = ("slug", "name", "name_zh", "summary", "body", "technologies", "key_actions")
    filterset_class = SectorFilter
    template_name = "sectors/sector_list.html"
    context_object_name = "sectors"
    paginate_by = 25

    def get_queryset(self):
        return Sector.objects.published().only("slug", "name", "name_zh", "summary", "position")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sectors = context["sectors"]
        counts = page_counts([sector.pk for sector in sectors])
        for sector in sectors:
            sector.figure_count, sector.critique_count = counts.get(sector.pk, (0, 0))
        return context


class SectorDetailView(CitationMixin, PermanentLinkMixin, DraftPreviewMixin, GlossaryMixin, DetailView):
    template_name = "sectors/sector_detail.html"
    context_object_name = "sector"

    def get_queryset(self):
        # Critiques build on sectors: the sector's critiques are its reverse relation's, with the fields its list shows.
        critiques = Sector.critiques.field.model.objects.published()
        return Sector.objects.visible_to(self.request.user).prefetch_related(
            "aliases",
            Prefetch("sources", queryset=Source.objects.published()),
            Prefetch(
                "applications",
                queryset=Application.objects.published().prefetch_related(Prefetch("sources", queryset=Source.objects.published())),
            ),
            Prefetch("figures", queryset=Figure.objects.published().with_source().with_target().select_related("key_action", "document")),
            Prefetch("documents", queryset=PolicyDocument.objects.published().in_brief()),
            Prefetch("targets", queryset=Target.objects.published().with_reports()),
            Prefetch("technologies", queryset=Technology.objects.published()),
            Prefetch("key_actions", queryset=KeyAction.objects.published()),
            Prefetch("critiques", queryset=critiques.only("slug", "title", "title_zh", "summary", "category", "raised_by", "created")),
        )


class OutcomesView(DownloadMixin, FilterListView):
    list_name = _("Outcomes")
    filter_heading = _("Filter figures")
    download_name = "figures"
    download_fields = ("slug", "label", "qualifier", "value", "unit", "as_of", "as_of_precision", "note", "sector", "key_action",
                       "document", "target", "comparable_as", "passage", "passage_en", "source")  # fmt: skip
    """Every published figure, as of the date it describes, grouped into series of one measure."""

    filterset_class = FigureFilter
    template_name = "iplus/outcomes.html"
    context_object_name = "figures"
    paginate_by = 100

    def get_queryset(self):
        return Figure.objects.published().with_source().with_target().select_related("sector", "key_action", "document")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["series"] = charts.series(context["figures"])
        return context


class TargetListView(DownloadMixin, FilterListView):
    """Every published target, with its status as the rule gives it from its reports."""

    list_name = _("Targets")
    filter_heading = _("Filter targets")
    download_name = "targets"
    download_fields = ("slug", "document", "measure", "measure_zh", "comparison", "value", "unit", "unit_zh", "baseline", "baseline_zh",
                       "deadline", "deadline_precision", "key_actions", "sectors", "comparable_as", "passage", "passage_en",
                       "source")  # fmt: skip
    filterset_class = TargetFilter
    template_name = "sectors/target_list.html"
    context_object_name = "targets"
    paginate_by = 50

    def get_queryset(self):
        return Target.objects.published().with_reports()


class TargetDetailView(CitationMixin, PermanentLinkMixin, DraftPreviewMixin, DetailView):
    template_name = "sectors/target_detail.html"
    context_object_name = "target"

    def get_queryset(self):
        return (
            Target.objects.visible_to(self.request.user)
            .with_reports()
            .prefetch_related(
                Prefetch("key_actions", queryset=KeyAction.objects.published()),
                Prefetch("sectors", queryset=Sector.objects.published()),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(chart=charts.TargetChart(self.object), **kwargs)


class ProvincesView(TemplateView):
    """The provinces' targets for the same measure side by side, with the national targets and national figures."""

    template_name = "sectors/provinces.html"

    def get_context_data(self, **kwargs):
        targets = Target.objects.published().with_reports().exclude(comparable_as="").order_by("comparable_as", "deadline")
        figures = Figure.objects.published().with_source().exclude(comparable_as="").order_by("as_of", "position")
        rows, provinces = {}, set()
        for target in targets:
            row = rows.setdefault(target.comparable_as, {"measure": target, "national": [], "figures": [], "provinces": {}})
            if target.document.province:
                provinces.add(target.document.province)
                row["provinces"].setdefault(target.document.province, []).append(target)
            else:
                row["national"].append(target)
        for figure in figures:
            if figure.comparable_as in rows:
                rows[figure.comparable_as]["figures"].append(figure)
        columns = sorted(provinces)
        labels = dict(Province.choices)
        table = [{**row, "cells": [row["provinces"].get(province, []) for province in columns]} for row in rows.values()]
        # The measures set side by side come first: those with the most places (the nation counts as one) that set them.
        table.sort(key=lambda row: -(bool(row["national"] or row["figures"]) + len(row["provinces"])))
        return super().get_context_data(columns=[labels[province] for province in columns], table=table, **kwargs)
