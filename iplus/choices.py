"""Filter selects that stay small and cheap however much content there is.

- ``FastSelect``: a single-choice <select> written out in Python. Django's Select renders two templates
  per option, ≈ 0.1 ms each: a form with a few hundred options spent most of a list page's time there.
  The markup is the same as Django's.
- ``BoundedModelChoiceFilter``: a ModelChoiceFilter whose select offers at most ``limit`` choices (the
  first in the queryset's order), read from the shared cache and recomputed once per content version
  (iplus.pagecache) instead of on every request. Any row of the queryset is still a valid value (a link
  such as ``?source=<slug>`` works), and the chosen one is always among the options. When choices are
  left out, the field's help text says so.
"""

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters import ModelChoiceFilter
from django_filters.fields import ModelChoiceField

from iplus import pagecache

CHOICES_KEY_PREFIX = "iplus:choices:"
DEFAULT_LIMIT = 100


def _attributes(attrs):
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(f" {escape(name)}")
        elif value is not False and value is not None:
            parts.append(f' {escape(name)}="{escape(value)}"')
    return "".join(parts)


class FastSelect(forms.Select):
    """forms.Select with the same markup, without a template per option (flat choices only; else Django's)."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if self.allow_multiple_selected or any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        selected = set(self.format_value(value))
        options = []
        chosen = False
        for option_value, label in choices:
            option_value = "" if option_value is None else str(option_value)
            is_selected = not chosen and option_value in selected
            chosen = chosen or is_selected
            mark = " selected" if is_selected else ""
            options.append(f'<option value="{escape(option_value)}"{mark}>{escape(label)}</option>')
        head = f'<select name="{escape(name)}"{_attributes(self.build_attrs(self.attrs, attrs))}>'
        return mark_safe(f"{head}\n  " + "\n\n  ".join(options) + "\n\n</select>")


class _CachedChoices(BaseChoiceIterator):
    def __init__(self, field):
        self.field = field

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.field.options()

    def __len__(self):
        return len(self.field.options()) + (self.field.empty_label is not None)


class BoundedModelChoiceField(ModelChoiceField):
    widget = FastSelect

    def __init__(self, *args, limit=None, cache_key="", **kwargs):
        self.limit = limit or DEFAULT_LIMIT
        self.cache_key = cache_key
        self.chosen = None
        super().__init__(*args, **kwargs)

    def _listed(self):
        """(options, more): the first `limit` rows as (value, label), and whether more rows exist."""
        key = self.to_field_name or "pk"
        rows = [(str(getattr(row, key)), self.label_from_instance(row)) for row in self.queryset[: self.limit + 1]]
        return rows[: self.limit], len(rows) > self.limit

    def listed(self):
        if not hasattr(self, "_listed_cache"):
            key = f"{CHOICES_KEY_PREFIX}{self.cache_key}:{self.limit}:{get_language()}"
            self._listed_cache = pagecache.memoise(key, self._listed) if self.cache_key else self._listed()
        return self._listed_cache

    def options(self):
        options, _more = self.listed()
        if self.chosen is not None and self.chosen[0] not in {value for value, _label in options}:
            return [*options, self.chosen]
        return options

    def _get_choices(self):
        return _CachedChoices(self)

    choices = property(_get_choices, ModelChoiceField.choices.fset)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.__dict__.pop("_listed_cache", None)
        result.chosen = None
        return result

    def to_python(self, value):
        if self.cache_key and value not in self.empty_values and isinstance(value, str):
            # The chosen row, looked up once per content version in this process (not a query per request).
            key = f"{CHOICES_KEY_PREFIX}{self.cache_key}:row:{value}"
            row = pagecache.memoise_here(key, lambda: super(BoundedModelChoiceField, self).to_python(value))
        else:
            row = super().to_python(value)
        if row is not None:
            self.chosen = (str(getattr(row, self.to_field_name or "pk")), self.label_from_instance(row))
        return row

    @property
    def help_text(self):
        if self.cache_key and self.listed()[1]:
            more = _("Only the first %(limit)d are listed.") % {"limit": self.limit}
            return f"{self._help_text} {more}".strip() if self._help_text else more
        return self._help_text

    @help_text.setter
    def help_text(self, value):
        self._help_text = value


class BoundedModelChoiceFilter(ModelChoiceFilter):
    """See the module's docstring; `cache_key` names the choices in the cache (one per filter), `limit` bounds them."""

    field_class = BoundedModelChoiceField
