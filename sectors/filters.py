import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from critiques.models import Critique
from iplus.choices import BoundedModelChoiceFilter, FastSelect
from iplus.filters import QuickFilterSet
from iplus.models import KeyAction, Status, Technology
from sectors.models import Alias, Figure, Sector

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ListFilterSet(QuickFilterSet):
    """Filters of a public list, able to say in words which ones are applied.

    The sort order travels in `ordering` and is not a filter: clearing the filters keeps it.
    Shared with critiques.filters.
    """

    ordering_param = "ordering"

    def filter_names(self):
        return [name for name in self.form.fields if name != self.ordering_param]

    def active_filters(self):
        """(label, value in words, query-string changes that remove it) for each applied filter."""
        if not self.is_bound or not self.is_valid():
            return []
        active = []
        for name in self.filter_names():
            value = self.form.cleaned_data.get(name)
            if value in EMPTY_VALUES:
                continue
            field = self.form.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                words = field.label_from_instance(value)
            elif isinstance(field, forms.ChoiceField):
                words = dict(field.choices).get(value, value)
            else:
                words = value
            active.append({"label": field.label, "value": words, "remove": {name: None, "page": None}})
        return active

    def sort_links(self):
        """(value, label, is current) for each sort order; with no valid choice the first, the default, is current."""
        field = self.form.fields.get(self.ordering_param)
        if field is None:
            return []
        choices = [(value, label) for value, label in field.choices if value]
        current = self.current_ordering() or choices[0][0]
        return [(value, label, value == current) for value, label in choices]

    def current_ordering(self):
        """The sort order asked for, if it is a valid one; kept in a hidden field when the filters are changed."""
        if not self.is_bound:
            return ""
        self.is_valid()  # cleaned_data holds the valid fields even when another one is not
        return ",".join(self.form.cleaned_data.get(self.ordering_param) or [])

    def clear_params(self):
        """Query-string changes that remove every filter but keep a valid sort order."""
        names = [*self.filter_names(), "page"]
        if self.is_bound and self.form.has_error(self.ordering_param):
            names.append(self.ordering_param)
        return dict.fromkeys(names)


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sort by the chosen field, then by `tiebreak`, so that pages never share or skip rows."""

    def __init__(self, *args, tiebreak="pk", **kwargs):
        self.tiebreak = tiebreak
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.order_by(*[self.get_ordering_value(param) for param in value if param not in EMPTY_VALUES], self.tiebreak)


def published_technologies(request):
    return Technology.objects.published()


def published_key_actions(request):
    return KeyAction.objects.published()


class SectorFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=200,
        widget=forms.SearchInput,
        help_text=_("Words in the name, Chinese name, other names, summary or text."),
    )
    technology = BoundedModelChoiceFilter(
        label=_("Technology"),
        field_name="technologies",
        to_field_name="slug",
        queryset=published_technologies,
        empty_label=_("Any technology"),
        cache_key="sectors.technology",
    )
    key_action = BoundedModelChoiceFilter(
        label=_("Key action"),
        field_name="key_actions",
        to_field_name="slug",
        queryset=published_key_actions,
        empty_label=_("Any key action"),
        cache_key="sectors.key_action",
    )
    has_figures = django_filters.ChoiceFilter(
        label=_("Has figures"),
        field_name="figures",
        choices=YES_NO,
        empty_label=_("Either"),
        method="filter_has_figures",
        widget=FastSelect,
    )
    has_critiques = django_filters.ChoiceFilter(
        label=_("Has critiques"),
        field_name="critiques",
        choices=YES_NO,
        empty_label=_("Either"),
        method="filter_has_critiques",
        widget=FastSelect,
    )
    ordering = StableOrderingFilter(
        fields=[("position", "position"), ("name", "name")],
        choices=[("position", _("Usual order")), ("name", _("Name"))],
        label=_("Sort order"),
        empty_label=None,
        tiebreak="name",
    )

    class Meta:
        model = Sector
        fields = []

    def search(self, queryset, name, value):
        # Aliases are many to one: Exists rather than a join, so that no sector is listed twice.
        aliases = Alias.objects.filter(sector=OuterRef("pk"), name__icontains=value)
        return queryset.filter(
            Q(name__icontains=value)
            | Q(name_zh__icontains=value)
            | Q(summary__icontains=value)
            | Q(body__icontains=value)
            | Exists(aliases)
        )

    def filter_has_figures(self, queryset, name, value):
        figures = Exists(Figure.objects.published().filter(sector=OuterRef("pk")))
        return queryset.filter(figures if value == "yes" else ~figures)

    def filter_has_critiques(self, queryset, name, value):
        critiques = Exists(Critique.sectors.through.objects.filter(sector=OuterRef("pk"), critique__status=Status.PUBLISHED))
        return queryset.filter(critiques if value == "yes" else ~critiques)
