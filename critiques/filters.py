import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from critiques.models import Category, Critique
from iplus.filters import KeyActionFilter, SectorChoiceFilter
from iplus.models import Source, Status
from publishing import search
from publishing.filters import FirstChoicesFilter, ListFilterSet, StableOrderingFilter


def cited_sources(request):
    """The published sources that back at least one published critique.

    EXISTS, not a join with DISTINCT: SQLite walks the sources in order and stops after the first hundred
    (the join made it read every link of 100,000 critiques first: 330 ms against 43 ms).
    """
    links = Critique.sources.through.objects.filter(source=OuterRef("pk"), critique__status=Status.PUBLISHED)
    return Source.objects.published().filter(Exists(links))


class CritiqueFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=200,
        widget=forms.SearchInput,
        help_text=_("Words in the title, summary, argument, quotation or critic's name."),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        field_name="category",
        lookup_expr="exact",
        choices=Category.choices,
        empty_label=_("Any category"),
    )
    sector = SectorChoiceFilter()
    key_action = KeyActionFilter()
    source = FirstChoicesFilter(
        label=_("Source"),
        field_name="sources",
        to_field_name="slug",
        queryset=cited_sources,
        empty_label=_("Any source"),
    )
    ordering = StableOrderingFilter(
        fields=[("created", "created"), ("title", "title")],
        choices=[("-created", _("Newest first")), ("title", _("Title"))],
        label=_("Sort order"),
        empty_label=None,
        tiebreak="slug",
    )

    class Meta:
        model = Critique
        fields = []

    def search(self, queryset, name, value):
        # The text index: every word, as a prefix, in the title, summary, argument, quotation or critic.
        return search.matching(queryset, value)
