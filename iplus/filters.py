"""The filters of the strategy's lists, and the filters by key action and by sector that every list shares."""

import django_filters
from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from iplus.models import DocumentKind, KeyAction, Level, Milestone, MilestoneKind, PolicyDocument
from publishing.filters import FirstChoicesFilter, LabelledSelect, ListFilterSet, StableOrderingFilter
from publishing.signals import kept
from sectors.models import Sector


def timeline_years():
    """{year: milestones and policy documents of that year} over the whole timeline, kept until the content changes: the
    year filter's choices, and its counts while no kind is chosen (one reading for both)."""

    def count():
        counts = {}
        milestones = Milestone.objects.published().values_list("date__year")
        documents = PolicyDocument.objects.published().filter(issued_on__isnull=False).values_list("issued_on__year")
        for rows in (milestones, documents):
            for year, items in rows.annotate(items=Count("pk")).order_by():
                if year is not None:
                    counts[str(year)] = counts.get(str(year), 0) + items
        return counts

    return kept(("timeline-years",), count)


def year_choices():
    return [(year, year) for year in sorted(timeline_years())]


class MilestoneFilter(ListFilterSet):
    year = django_filters.ChoiceFilter(
        field_name="date", lookup_expr="year", choices=year_choices, label=_("Year"), empty_label=_("Any year")
    )
    kind = django_filters.ChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=MilestoneKind.choices, label=_("Kind"), empty_label=_("Any kind")
    )

    class Meta:
        model = Milestone
        fields = ["year", "kind"]

    def count(self, name):
        """The timeline lists the policy documents of its years among its policy milestones: they count too."""
        filters = self.form.cleaned_data if self.is_bound else {}
        if name == "year" and filters.get("kind") in EMPTY_VALUES:
            return dict(timeline_years())
        counts = super().count(name)
        documents = PolicyDocument.objects.published().filter(issued_on__isnull=False).order_by()  # undated: not on the timeline
        if name == "year" and filters.get("kind") in EMPTY_VALUES + (MilestoneKind.POLICY,):
            for year, items in documents.values_list("issued_on__year").annotate(items=Count("pk")):
                counts[str(year)] = counts.get(str(year), 0) + items
        elif name == "kind":
            if filters.get("year"):
                documents = documents.filter(issued_on__year=filters["year"])
            counts[MilestoneKind.POLICY] = counts.get(MilestoneKind.POLICY, 0) + documents.count()
        return counts


def document_years():
    return kept(
        ("document-years",),
        lambda: [(str(day.year), str(day.year)) for day in PolicyDocument.objects.published().dates("issued_on", "year")],
    )


def document_issuers():
    """Each issuer, named in the page's language by the Chinese name most of its documents give (when they give one)."""
    zh = (get_language() or "").startswith("zh")
    pairs = PolicyDocument.objects.published().values_list("issuer", "issuer_zh").annotate(n=Count("pk"))
    names = {}
    for issuer, issuer_zh, _n in sorted(pairs, key=lambda pair: (pair[0], not pair[1], -pair[2], pair[1])):
        names.setdefault(issuer, issuer_zh if zh and issuer_zh else issuer)
    return list(names.items())


def published_key_actions(request):
    return KeyAction.objects.published()


def published_sectors(request):
    return Sector.objects.published()


class KeyActionFilter(FirstChoicesFilter):
    """The filter by key action that every list of items naming key actions shares."""

    def __init__(self, field_name="key_actions", **kwargs):
        kwargs.update(label=_("Key action"), to_field_name="slug", queryset=published_key_actions, empty_label=_("Any key action"))
        super().__init__(field_name=field_name, **kwargs)


class SectorChoiceFilter(FirstChoicesFilter):
    """The filter by sector that every list of items naming sectors shares."""

    def __init__(self, field_name="sectors", **kwargs):
        kwargs.update(label=_("Sector"), to_field_name="slug", queryset=published_sectors, empty_label=_("Any sector"))
        super().__init__(field_name=field_name, **kwargs)


class DocumentFilter(ListFilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"), empty_label=_("Any level"))
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices, label=_("Kind"), empty_label=_("Any kind"))
    issuer = django_filters.ChoiceFilter(choices=document_issuers, label=_("Issued by"), empty_label=_("Any issuer"), widget=LabelledSelect)
    year = django_filters.ChoiceFilter(
        field_name="issued_on", lookup_expr="year", choices=document_years, label=_("Year issued"), empty_label=_("Any year")
    )
    key_action = KeyActionFilter()
    sector = SectorChoiceFilter()
    ordering = StableOrderingFilter(
        fields=[("issued_on", "issued_on"), ("title", "title")],
        choices=[("issued_on", _("Oldest first")), ("-issued_on", _("Newest first")), ("title", _("Title"))],
        label=_("Sort order"),
        empty_label=None,
        tiebreak="slug",
    )

    class Meta:
        model = PolicyDocument
        fields = []
