"""Fixture files and JSON backups, read and checked before loaddata sees them.

Each problem is one line naming the file, the object and what is wrong. loaddata names neither the object (its
objects with natural keys have no pk to show) nor, for two objects with one natural key, the problem at all: the
second one silently overwrites the first.
"""

import gzip
import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.validators import MaxLengthValidator

LIMIT = 10  # problems shown; the others are counted


def refusal(problems, outcome):
    """One line a problem, the last one saying what became of the load (`outcome`: "; nothing loaded, ...")."""
    return "\n".join(problems).rstrip(".") + outcome


class BrokenFile(Exception):
    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


def display_name(path):
    """A path as the operator typed it for the site's own files (fixtures/critiques.json), absolute otherwise."""
    path = Path(path).absolute()
    base = Path(settings.BASE_DIR).absolute()
    return str(path.relative_to(base)) if path.is_relative_to(base) else str(path)


def read_objects(path):
    """The objects in a .json or .json.gz file."""
    name = display_name(path)
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as file:
            data = json.load(file)
    except FileNotFoundError:
        raise BrokenFile([f"{name}: no such file"]) from None
    except (OSError, EOFError, UnicodeDecodeError) as error:  # not gzip, a truncated .gz, not UTF-8
        raise BrokenFile([f"{name}: cannot be read: {error}"]) from error
    except ValueError as error:
        raise BrokenFile([f"{name}: not valid JSON: {error}"]) from error
    if not isinstance(data, list):
        raise BrokenFile([f"{name}: not a list of objects"])
    return data


class Check:
    """Checks the objects of several files as one load: each file's objects by `add()`, then `problems()`.

    Found: an object that is not one, an unknown model or field, a value its field refuses (a bad date, a choice that
    is not one, a text longer than its column), two objects with one natural key or pk (in one file or in two), and a
    reference to an object that is neither in the files nor, as `resolves(model, key)` says, elsewhere (in the database).
    """

    def __init__(self, resolves, missing="is neither in the files nor in the database"):
        self.resolves, self.missing = resolves, missing
        self.found = {}  # (model, key) -> (file name, object number); a key is ("pk", value) or ("natural", tuple)
        self.references = {}  # (model, key) -> where the first reference to it is
        self.errors = []

    def add(self, path, objects):
        name = display_name(path)
        for number, item in enumerate(objects, 1):
            self.errors += self.check_object(name, number, item)

    def problems(self):
        dangling = [
            f"{where}: refers to {model._meta.label_lower} {show(key)}, which {self.missing}"
            for (model, key), where in self.references.items()
            if (model, key) not in self.found and not self.resolves(model, key)
        ]
        return at_most(self.errors + dangling)

    def origin(self, obj):
        """The file an object of the database was loaded from, or None."""
        found = self.found.get((type(obj), ("natural", tuple(obj.natural_key()))))
        return found and found[0]

    def check_object(self, name, number, item):
        if not (isinstance(item, dict) and isinstance(item.get("model"), str) and isinstance(item.get("fields"), dict)):
            return [f'{name}: object {number} is not a serialized object (one with "model" and "fields")']
        try:
            model = apps.get_model(item["model"])
        except (LookupError, ValueError):
            return [f"{name}: object {number}: unknown model {item['model']!r}"]
        problems, values, references = [], {}, []
        for field_name, value in item["fields"].items():
            try:
                field = model._meta.get_field(field_name)
            except FieldDoesNotExist:
                field = None
            if field is None or (field.auto_created and not field.concrete):  # a reverse relation is not a field to load
                problems.append(f"no field named {field_name!r}")
            elif field.is_relation:
                try:
                    references += references_of(field, value)
                except (TypeError, ValidationError) as error:
                    problems.append(f"{field_name}: {' '.join(getattr(error, 'messages', [str(error)]))}")
            else:
                try:
                    values[field.attname] = value = field.to_python(value)
                except ValidationError as error:
                    problems.append(f"{field_name}: {' '.join(error.messages)}")
                    continue
                if getattr(field, "max_length", None) and isinstance(value, str):  # PostgreSQL refuses it mid-load
                    try:
                        MaxLengthValidator(field.max_length)(value)
                    except ValidationError as error:
                        problems.append(f"{field_name}: {' '.join(error.messages)}")
                choices = {choice for choice, _label in field.flatchoices}
                if choices and value not in choices and not (field.blank and value in field.empty_values):
                    problems.append(f"{field_name}: {value!r} is not one of its choices ({', '.join(map(str, sorted(choices)))})")
        try:
            keys = [("pk", model._meta.pk.to_python(item["pk"]))] if item.get("pk") is not None else []
        except ValidationError as error:
            keys = []
            problems.append(f"pk: {' '.join(error.messages)}")
        if (natural := natural_key(model, values)) is not None:
            keys.append(("natural", natural))
        where = f"{name}: {model._meta.label_lower} {show(keys[-1]) if keys else f'(object {number})'}"
        for key in keys:
            if (model, key) in self.found:
                file, first = self.found[(model, key)]
                which = "" if key == keys[-1] else f"its {show(key)} "  # the pk, where the object is shown by its natural key
                twice = f"appears twice in the file (objects {first} and {number})"
                if file != name:
                    twice = f"is also in {file} (object {first})"
                problems.append(f"{which}{twice}: one would silently overwrite the other")
            else:
                self.found[(model, key)] = (name, number)
        for reference in references:
            self.references.setdefault(reference, where)
        return [f"{where}: {problem}" for problem in problems]


def references_of(field, value):
    """The (model, key) of each object a relation field's value names, where the database enforces the relation."""
    if value is None:
        return []
    if field.many_to_many and not isinstance(value, list):
        raise TypeError("expected a list of keys")
    constrained = field.remote_field.db_constraint if field.many_to_many else field.db_constraint
    if not constrained:  # history rows point at objects that may be gone since
        return []
    target = field.related_model
    keys = [
        ("natural", tuple(key)) if isinstance(key, list) else ("pk", target._meta.pk.to_python(key))
        for key in (value if field.many_to_many else [value])
    ]
    for key in keys:
        hash(key)  # TypeError for a key that is not one (a key of lists)
    return [(target, key) for key in keys]


def at_most(problems):
    more = [f"and {len(problems) - LIMIT} more problems"] if len(problems) > LIMIT else []
    return problems[:LIMIT] + more


def natural_key(model, values):
    """The natural key of the object these plain field values make, if its model has one that needs no relation."""
    if not hasattr(model, "natural_key"):
        return None
    try:
        return tuple(model(**values).natural_key())
    except ObjectDoesNotExist:  # a key that names a related object (a permission's content type)
        return None


def show(key):
    kind, value = key
    if kind == "pk":
        return f"pk={value!r}"
    return json.dumps(value[0] if len(value) == 1 else list(value), ensure_ascii=False)


def in_database(model, key):
    kind, value = key
    if kind == "pk":
        return model._base_manager.filter(pk=value).exists()
    try:
        model._default_manager.get_by_natural_key(*value)
    except (model.DoesNotExist, TypeError, ValueError, ValidationError):
        return False
    return True
