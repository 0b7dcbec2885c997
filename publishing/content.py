"""The site's content as fixtures: which models, in which files, in which order; and its history."""

import json

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.serializers.base import DeserializationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from publishing.kinds import content_models

NATURAL_KEYS = {"use_natural_foreign_keys": True, "use_natural_primary_keys": True}

BASELINE_REASON = _("The content as it was before its first recorded edit (loaded from the fixtures).")
LOADED_FROM = "Loaded from"  # the change reason of a first version a load records: "Loaded from fixtures/iplus.json"

HISTORIES = {}  # each content model's ContentHistory, which records versions outside a save (record_version)


def fixture_path(app_label):
    return settings.BASE_DIR / "fixtures" / f"{app_label}.json"


def exported_fields(models):
    """The fields fixtures carry for these models: all but the HTML rendered from Markdown at save."""
    return [
        field.name
        for model in models
        for field in [*model._meta.local_fields, *model._meta.local_many_to_many]
        if field.name not in html_fields(model)
    ]


def html_fields(model):
    return [f"{name}_html" for name in getattr(model, "markdown_fields", ())]


def content_count():
    return sum(model._default_manager.count() for model in content_models())


def object_key(item):
    """("app.model", natural key) of one serialized object, e.g. ("iplus.source", "jeong-2007")."""
    model = apps.get_model(item["model"])
    fields = {name: value for name, value in item["fields"].items() if name in ("slug", "name")}
    return item["model"], " ".join(map(str, model(**fields).natural_key()))


def database_content():
    """Every content object as it would be exported: {key: serialized object}."""
    objects = []
    for model in content_models():
        serialized = serializers.serialize("json", model._default_manager.all(), fields=exported_fields([model]), **NATURAL_KEYS)
        objects.extend(json.loads(serialized))
    return {object_key(item): item for item in objects}


def problem(error):
    """What went wrong, in one message: a broken file's JSON error is only in the error's cause."""
    cause = error.__cause__ if isinstance(error, DeserializationError) else None
    return f"{error} {cause}" if cause and str(cause) not in str(error) else str(error)


def describe(keys, limit=10):
    names = [f"{label} {key}" for label, key in sorted(keys)]
    more = [f"and {len(names) - limit} more"] if len(names) > limit else []
    return "\n".join(f"  - {name}" for name in names[:limit] + more)


class ContentHistory(HistoricalRecords):
    """django-simple-history, with three differences for content that lives in fixtures.

    - Loading fixtures is not an edit: a raw save writes no history, and neither does the M2M
      ``set()`` that ``loaddata`` makes right after it (simple-history's M2M handler ignores ``raw``).
      ``load_content`` records what a load overwrites itself, one record an object (``record_version``), and gives
      each object with no history its first version, dated as the fixtures date it (``record_first_versions``).
    - Content put in the database some other way (``loaddata``) has no history, so its state before its first
      edit is recorded first: that edit can then be reverted like any other.
    - One save is one record: M2M changes made right after an admin save complete that save's
      record instead of adding a record each (see ``ContentAdmin.save_model``).
    """

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            HISTORIES[sender] = self
            models.signals.pre_save.connect(self.pre_save, sender=sender, weak=False)

    def pre_save(self, instance, raw=False, **kwargs):
        if raw or instance._state.adding or hasattr(instance, "skip_history_when_saving"):
            return
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True) or getattr(instance, self.manager_name).exists():
            return
        before = type(instance)._default_manager.filter(pk=instance.pk).first()
        if before is not None:
            record_version(before, BASELINE_REASON, date=getattr(before, "updated", None))

    def pre_delete(self, instance, **kwargs):
        """Before a deletion, whatever it removes is in a record: the item as it is, links and translations included
        (the deletion's own record has no links left), and each item that links to it (which loses the link)."""
        super().pre_delete(instance, **kwargs)
        for item in [instance, *linking_items(instance)]:
            if not item.history.exists():
                record_version(item, BASELINE_REASON, date=getattr(item, "updated", None))

    def post_delete(self, instance, using=None, origin=None, **kwargs):
        if origin is not None and origin is not instance and isinstance(origin, models.Model):
            instance._change_reason = deleted_with(origin)  # so that bringing `origin` back brings this back too
        super().post_delete(instance, using=using, **kwargs)

    def post_save(self, instance, created, using=None, **kwargs):
        if kwargs.get("raw", False):
            instance.skip_history_when_saving = True
            return
        super().post_save(instance, created, using=using, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if getattr(instance, "_history_one_record_per_save", False) and not reverse:
            if action in ("post_add", "post_remove", "post_clear") and not hasattr(instance, "skip_history_when_saving"):
                record = getattr(instance, self.manager_name).first()
                if record is None:
                    return
                for field in record._history_m2m_fields:
                    self.m2m_models[field].objects.filter(history=record).delete()
                self.create_historical_record_m2ms(record, instance)
            return
        super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)


def deleted_with(origin):
    """The change reason of the records of items deleted with `origin` (an item's dependents, such as a sector's)."""
    return f"Deleted with {origin._meta.label_lower} {origin.pk}"


def linking_fields(model):
    """(model, many-to-many field) of the recorded links that point at items of `model`."""
    fields = [(other, field) for other, history in HISTORIES.items() for field in history.get_m2m_fields_from_model(other)]
    return [(other, field) for other, field in fields if field.related_model is model]


def linking_items(item):
    """The items whose recorded links point at `item` (the critiques that cite a source)."""
    return [linking for other, field in linking_fields(type(item)) for linking in other._default_manager.filter(**{field.name: item})]


def record_first_versions(reason_of):
    """A first history record, "+", of every content object that has none, made by no one and dated by the object's own
    `updated` (the day the fixtures say it last changed), so that its history, its "Last changed" and the feeds agree
    from the first day. `reason_of(obj)` is its change reason ("Loaded from fixtures/critiques.json").

    A bulk insert a model and one a kind of link: a load of the whole content adds a few dozen queries, not one a row."""
    for model, history in HISTORIES.items():
        manager = getattr(model, history.manager_name)
        objs = list(model._default_manager.exclude(pk__in=manager.values("id")).order_by("pk"))  # the same ids at every load
        for obj in objs:
            obj._history_user = None
            obj._history_date = getattr(obj, "updated", None) or timezone.now()
            obj._change_reason = str(reason_of(obj))[:100]
        if not objs:
            continue
        records = {record.id: record for record in manager.bulk_history_create(objs)}
        for field in manager.model._history_m2m_fields:
            through = field.remote_field.through
            column = f"{field.m2m_field_name()}_id"
            names = [through_field.attname for through_field in through._meta.fields]
            # In the order of the ids they join, not of their own: loaddata adds an item's links in a set's order.
            rows = through.objects.filter(**{f"{column}__in": records}).order_by(column, f"{field.m2m_reverse_field_name()}_id")
            rows = rows.values(*names)
            history.m2m_models[field].objects.bulk_create(
                [history.m2m_models[field](history_id=records[row[column]].pk, **row) for row in rows]
            )


def record_version(instance, reason, date=None):
    """A history record of `instance` as the database holds it now (many-to-many links included), made by no one."""
    instance._history_user = None
    instance._history_date = date or timezone.now()
    instance._change_reason = str(reason)[:100]  # the length of simple-history's change reason field
    try:
        HISTORIES[type(instance)].create_historical_record(instance, "~")
    finally:  # left on the instance, they would date and sign the record of what comes next (a deletion's)
        del instance._history_user, instance._history_date, instance._change_reason
    return getattr(instance, HISTORIES[type(instance)].manager_name).order_by("history_id").last()
