import django_filters
from django.utils.translation import gettext_lazy as _

from iplus.choices import FastSelect
from iplus.models import Milestone, MilestoneKind


def year_choices():
    years = Milestone.objects.published().dates("date", "year")
    return [(str(day.year), str(day.year)) for day in years]


class MilestoneFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(
        field_name="date", lookup_expr="year", choices=year_choices, label=_("Year"), empty_label=_("Any year"), widget=FastSelect
    )
    kind = django_filters.ChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=MilestoneKind.choices, label=_("Kind"), empty_label=_("Any kind"), widget=FastSelect
    )

    class Meta:
        model = Milestone
        fields = ["year", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One query for the years, however often the form reads its choices.
        self.filters["year"].extra["choices"] = year_choices()
