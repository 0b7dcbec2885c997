import copy

import django_filters
from django.utils.translation import gettext_lazy as _

from iplus import pagecache
from iplus.choices import FastSelect
from iplus.models import Milestone, MilestoneKind


class QuickFilterSet(django_filters.FilterSet):
    """A FilterSet that costs little to make on every request.

    django-filter deep-copies every filter and builds a new form class, fields included, for each FilterSet
    it makes (≈ 1 ms a list page). Here each filter is copied shallowly (with its own ``extra``), and the
    form class is built once per content version and reused: its fields' choices may come from the content
    (``form_choices()`` runs then), never from the request. Form instances still copy their fields.
    """

    def __init__(self, *args, **kwargs):
        self.base_filters = {}  # for super(), which deep-copies them: it copies none
        super().__init__(*args, **kwargs)
        del self.base_filters  # the class's again
        self.filters = {}
        for name, filter_ in self.base_filters.items():
            filter_ = copy.copy(filter_)
            filter_.extra = filter_.extra.copy()
            if filter_.method is not None:
                filter_.method = filter_.method  # binds a FilterMethod to the copy (and so to this parent)
            filter_.model, filter_.parent = self.queryset.model, self
            self.filters[name] = filter_

    def form_key(self):
        """What the filter form's markup depends on besides the content: the filter set and its fields' submitted values."""
        data = self.data if self.is_bound else {}
        values = [(name, data.getlist(name) if hasattr(data, "getlist") else data.get(name)) for name in self.form.fields]
        return (type(self).__name__, values)

    def form_choices(self):
        """Set choices that come from the content on self.filters: run when the form class is built."""

    def get_form_class(self):
        cls = type(self)
        return pagecache.memoise_here(f"iplus:form-class:{cls.__module__}.{cls.__qualname__}", self._build_form_class)

    def _build_form_class(self):
        self.form_choices()
        return super().get_form_class()


def year_choices():
    years = Milestone.objects.published().dates("date", "year")
    return [(str(day.year), str(day.year)) for day in years]


class MilestoneFilter(QuickFilterSet):
    year = django_filters.ChoiceFilter(
        field_name="date", lookup_expr="year", choices=year_choices, label=_("Year"), empty_label=_("Any year"), widget=FastSelect
    )
    kind = django_filters.ChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=MilestoneKind.choices, label=_("Kind"), empty_label=_("Any kind"), widget=FastSelect
    )

    class Meta:
        model = Milestone
        fields = ["year", "kind"]

    def form_choices(self):
        # One query for the years, however often the form reads its choices.
        self.filters["year"].extra["choices"] = year_choices()
