"""The bases of the public lists' filter sets: filters that can say which of them are applied and how many items each
choice gives, selects that show their first choices only, and stable sort orders."""

import re

import django_filters
from django import forms
from django.db.models import Count, Q
from django.forms.models import ModelChoiceIterator
from django.utils.functional import cached_property
from django.utils.translation import get_language, pgettext
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import ModelChoiceField

from publishing.markdown import CJK
from publishing.signals import kept


class ListFilterSet(django_filters.FilterSet):
    """Filters of a public list, able to say in words which ones are applied.

    The sort order travels in `ordering` and is not a filter: clearing the filters keeps it.
    """

    ordering_param = "ordering"

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # An unknown sort order is no reason to list nothing: the list falls back to its usual order, and says so.
        self.unknown_ordering = None
        if self.is_bound and self.data.get(self.ordering_param) and self.ordering_param in self.filters:
            try:
                self.filters[self.ordering_param].field.clean(self.data.getlist(self.ordering_param))
            except forms.ValidationError:
                self.unknown_ordering = self.data.get(self.ordering_param)
                self.data = self.data.copy()
                self.data.pop(self.ordering_param)

    def filter_names(self):
        return [name for name in self.form.fields if name != self.ordering_param]

    def canonical_params(self):
        """The parameters a list's canonical address keeps: every filter, the sort order and the page."""
        return " ".join([*self.base_filters, "page"])

    @cached_property  # the page's title and its filter panel both name them
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

    def count_choices(self):
        """Show beside each choice of a select how many items it would give with the other filters applied, and
        leave out the choices that would give none (but the chosen one): one query a select."""
        if self.is_bound and not self.is_valid():
            return  # nothing is listed until the filters are corrected: every choice stays
        self.active_filters  # noqa: B018 (cached first: the title and the panel name the filters without counts)
        for name in self.filter_names():
            field = self.form.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                field.counts = self.choice_counts(name)
            elif isinstance(field, forms.ChoiceField):
                counts, chosen = self.choice_counts(name), self.form.cleaned_data.get(name) if self.is_bound else None
                # The field puts its "Any ..." choice first itself.
                field.choices = [
                    (value, with_count(label, counts.get(value, 0)))
                    for value, label in field.choices
                    if value and (counts.get(value) or value == chosen)
                ]

    def choice_counts(self, name):
        """{choice value: items it would give} for the select `name`, with the other filters applied; kept in the pages
        cache, which every content change empties: at 100,000 critiques the list's counts read the whole table (660 of
        its 1,220 ms), and every page of a list and every sort order of it shares them."""
        return kept(("choice-counts", str(self.queryset.query), name, self.applied_values(name)), lambda: self.count(name))

    def applied_values(self, name):
        """The values of the filters applied besides `name` (a chosen item by its key), in a stable order."""
        if not self.is_bound:
            return []
        values = [(other, value) for other, value in self.form.cleaned_data.items() if other not in (name, self.ordering_param)]
        return sorted((other, getattr(value, "pk", value)) for other, value in values if value not in EMPTY_VALUES)

    def count(self, name):
        queryset = self.queryset
        for other, value in self.form.cleaned_data.items() if self.is_bound else ():
            if other not in (name, self.ordering_param):
                queryset = self.filters[other].filter(queryset, value)
        queryset, choice = queryset.order_by(), self.filters[name]
        if choice.method:  # no field to group by: one conditional count a choice, in one query
            values = [value for value, _label in self.form.fields[name].choices if value]
            matching = {f"choice_{n}": Q(pk__in=choice.filter(queryset, value).values("pk")) for n, value in enumerate(values)}
            counts = queryset.aggregate(**{key: Count("pk", filter=condition) for key, condition in matching.items()})
            return {value: counts[f"choice_{n}"] for n, value in enumerate(values)}
        field = self.form.fields[name]
        key = f"{choice.field_name}__{field.to_field_name or 'pk'}" if isinstance(field, forms.ModelChoiceField) else choice.field_name
        if choice.lookup_expr != "exact":  # a transform, such as the year of a date
            key = f"{key}__{choice.lookup_expr}"
        rows = queryset.values(key).annotate(items=Count("pk", distinct=True)).values_list(key, "items")
        if isinstance(field, forms.ModelChoiceField):  # in the select's order, which shows the first ones only
            rows = rows.order_by(*related_order(choice.field_name, field.queryset))
        return {str(value): items for value, items in rows if value is not None}

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
        if self.unknown_ordering is not None:
            names.append(self.ordering_param)
        return dict.fromkeys(names)


class LabelledSelect(forms.Select):
    """A select whose choices named only in English say so on a Chinese page (lang="en"), as a name in a text does."""

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        label = str(option["label"])
        if (get_language() or "").startswith("zh") and re.search("[A-Za-z]", label) and not CJK.search(label):
            option["attrs"]["lang"] = "en"
        return option


class FirstChoices(ModelChoiceIterator):
    """The first `limit` rows of the field's queryset, and the chosen one: a select of the 1,000 sectors of the
    bench's content took 97 ms to render (0.09 ms an option). Any row of the queryset is still a valid value."""

    limit = 25

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset, counts = self.queryset, self.field.counts
        if counts is not None:  # only the rows whose choice gives items: the first of them, as the counts are in this order
            # (a few more, for any row the queryset leaves out; all 10,000 sources' slugs took 20 ms to put into SQL)
            queryset = queryset.filter(**{f"{self.field.to_field_name or 'pk'}__in": list(counts)[: 2 * self.limit]})
        rows = list(queryset[: self.limit])
        if self.field.chosen is not None and self.field.chosen not in rows:
            rows.append(self.field.chosen)
        yield from map(self.choice, rows)

    def choice(self, obj):
        value, label = super().choice(obj)
        return (value, label) if self.field.counts is None else (value, with_count(label, self.field.counts.get(str(value), 0)))


def related_order(relation, queryset):
    """The order of `queryset`'s rows, from a model that reaches them through `relation`."""
    names = queryset.query.order_by or queryset.model._meta.ordering
    return [f"-{relation}__{name[1:]}" if name.startswith("-") else f"{relation}__{name}" for name in names if isinstance(name, str)]


def with_count(label, count):
    return pgettext("a filter choice and how many items it gives", "%(choice)s (%(count)s)") % {"choice": label, "count": count}


class FirstChoicesField(ModelChoiceField):
    iterator = FirstChoices
    widget = LabelledSelect
    chosen = None
    counts = None  # {value: items}, when the page counts its choices

    def label_from_instance(self, obj):
        """The item's name in the language of the page (a key action's after its number)."""
        name = obj.translated(obj.translated_fields[0], get_language())[0]
        return f"{obj.number}. {name}" if getattr(obj, "number", None) else name

    def to_python(self, value):
        self.chosen = super().to_python(value)
        return self.chosen


class FirstChoicesFilter(django_filters.ModelChoiceFilter):
    field_class = FirstChoicesField


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sort by the chosen field, then by `tiebreak`, so that pages never share or skip rows."""

    def __init__(self, *args, tiebreak="pk", **kwargs):
        self.tiebreak = tiebreak
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.order_by(*[self.get_ordering_value(param) for param in value if param not in EMPTY_VALUES], self.tiebreak)
