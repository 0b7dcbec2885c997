"""Public history: an item's published versions, what changed between two of them in words, a side-by-side diff of
their text, and a permanent address for each.

A version is a published history record that differs from the published one before it, so a save with no change,
or an unpublish followed by a publish of the same text, makes none. Drafts never appear: only records whose status
was published are read, and only of items published now. Who made a change is not shown.
"""

import difflib
import re
from dataclasses import dataclass, field
from functools import cache

from django.db.models import Prefetch
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from publishing.content import HISTORIES, deleted_with, html_fields, linking_fields
from publishing.markdown import FOOTNOTE, script_language
from publishing.models import Status, source_model

IGNORED = {"id", "status", "created", "updated"}  # bookkeeping, not content


@dataclass
class Version:
    record: object  # the history record: the item as it was
    number: int  # 1 for the first published version
    changes: list = field(default_factory=list)  # what changed since the version before, in words
    diffs: list = field(default_factory=list)  # (field's name, old text, new text as marked-up HTML, their language)
    linked: list = field(default_factory=list)  # (words, related model, pks) of links added or removed, named later
    same: set = field(default_factory=set)  # the history ids of the later records that changed nothing, and its own
    state: dict = field(default_factory=dict, repr=False)  # its content and links, to tell a revert

    @property
    def date(self):
        return self.record.history_date

    @property
    def history_id(self):
        return self.record.history_id


@cache  # read for every record: a model's fields never change while the site runs
def compared_fields(model):
    skipped = IGNORED | set(html_fields(model))
    return [field for field in model._meta.concrete_fields if field.name not in skipped]


@cache
def links_of(model):
    """(many-to-many field, accessor of its history rows on a record, column of the related item) the history keeps."""
    history = model.history.model
    found = []
    for m2m in history._history_m2m_fields:
        rows = next(rel for rel in history._meta.related_objects if rel.related_model.__name__ == f"{history.__name__}_{m2m.name}")
        found.append((m2m, rows.get_accessor_name(), f"{m2m.m2m_reverse_field_name()}_id"))
    return found


def records(model, items):
    """The published history records of these items, oldest first, with their links: a query per kind of link."""
    prefetch = [Prefetch(accessor) for _m2m, accessor, _column in links_of(model)]
    return (
        model.history.filter(id__in=[item.pk for item in items], status=Status.PUBLISHED)
        .order_by("history_date", "history_id")
        .prefetch_related(*prefetch)
    )


def links(record, model):
    """(many-to-many field, the pks it linked to) of a record, as it was."""
    return [(m2m, {getattr(row, column) for row in getattr(record, accessor).all()}) for m2m, accessor, column in links_of(model)]


def state(record, model):
    values = {field.attname: getattr(record, field.attname) for field in compared_fields(model)}
    values.update((m2m.name, pks) for m2m, pks in links(record, model))
    return values


def versions_of(model, items):
    """{item's pk: its versions, oldest first} for these items of one model: a few queries, however many versions."""
    found, previous, deleted = {}, {}, set()  # previous: each item's state in its latest version; deleted: items gone then
    for record in records(model, items):
        if record.history_type == "-":  # the item as it went, its links already gone: never a version of its own
            deleted.add(record.id)
            if record.id in found:
                found[record.id][-1].same.add(record.history_id)
            continue
        now = state(record, model)
        before = previous.get(record.id)
        restored = record.history_type == "+" and record.id in deleted  # back from its deletion: a version, even unchanged
        if now == before and not restored:
            found[record.id][-1].same.add(record.history_id)
            continue
        deleted.discard(record.id)
        versions = found.setdefault(record.id, [])
        version = Version(record, len(versions) + 1, same={record.history_id})
        if restored:
            version.changes.append(_("restored after its deletion"))
        elif earlier := next((old for old in versions[-2::-1] if old.state == now), None):  # back to an older version
            version.changes.append(
                _("reverted to the version of %(date)s") % {"date": formats.date_format(earlier.date, "DATETIME_FORMAT")}
            )
        if before is not None:
            describe(version, model, before, now)
        version.state = now
        versions.append(version)
        previous[record.id] = now
    name_links([version for versions in found.values() for version in versions])
    name_footnotes([version for versions in found.values() for version in versions])
    return found


def footnote_names(texts):
    """{slug: the source's name in the page's language} of the sources the footnotes of these texts cite: one query."""
    slugs = {match[1] for text in texts for match in re.findall(FOOTNOTE, text)}
    if not slugs:
        return {}
    language = get_language() or "en"
    return {source.slug: source.name_in(language) for source in source_model()._default_manager.filter(slug__in=slugs)}


def readable(text, names):
    """A Markdown text with its footnotes as their sources' names ("[South China Morning Post]"), never as markup."""

    def name(match):
        return _("[%(source)s]") % {"source": names.get(match[2], match[2])}

    return re.sub(FOOTNOTE, name, text).replace("[^", "[")


def name_footnotes(versions):
    texts = [text for version in versions for _name, old, new, _lang in version.diffs for text in (old, new)]
    names = footnote_names(texts)
    for version in versions:
        version.diffs = [
            (label, *side_by_side(readable(old, names), readable(new, names)), lang) for label, old, new, lang in version.diffs
        ]


def describe(version, model, before, now):
    for compared in compared_fields(model):
        old, new = before[compared.attname], now[compared.attname]
        if old != new:
            version.changes.append(_("%(field)s edited") % {"field": compared.verbose_name})
            if isinstance(old, str) and isinstance(new, str):
                version.diffs.append((compared.verbose_name, old, new, script_language(old + new)))
    for m2m, _accessor, _column in links_of(model):
        old, new = before[m2m.name], now[m2m.name]
        if new - old:
            version.linked.append((_("%(field)s added") % {"field": m2m.verbose_name}, m2m.related_model, new - old))
        if old - new:
            version.linked.append((_("%(field)s removed") % {"field": m2m.verbose_name}, m2m.related_model, old - new))


def name_links(versions):
    """Links added or removed are named by the related items' names now, in the page's language: one query per related model."""
    wanted, language = {}, get_language() or "en"
    for version in versions:
        for _words, related, pks in version.linked:
            wanted.setdefault(related, set()).update(pks)
    names = {
        related: {
            item.pk: item.name_in(language) if hasattr(item, "name_in") else str(item)
            for item in related._default_manager.filter(pk__in=pks)
        }
        for related, pks in wanted.items()
    }
    for version in versions:
        for words, related, pks in version.linked:
            version.changes.append(words + _(": ") + _(", ").join(sorted(names[related].get(pk, _("(deleted)")) for pk in pks)))


def side_by_side(old, new):
    """The two texts as HTML, word by word: what was removed in <del>, what was added in <ins>; all else escaped."""
    old_words, new_words = old.split(" "), new.split(" ")
    left, right = [], []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes():
        before, after = escape(" ".join(old_words[a1:a2])), escape(" ".join(new_words[b1:b2]))
        if op == "equal":
            left.append(before)
            right.append(after)
            continue
        if before:
            left.append(f"<del>{before}</del>")
        if after:
            right.append(f"<ins>{after}</ins>")
    return mark_safe(" ".join(left)), mark_safe(" ".join(right))  # noqa: S308 (every piece escaped above)


def full_state(record, model):
    """What an export of the item holds, as of this record: its content, links and status."""
    return {**state(record, model), "status": getattr(record, "status", None)}


def settle(item):
    """After a save of `item` (its links included): its `updated` says when it came to hold what it holds now. A save
    that changed nothing leaves no record and the time before it; one that brings back an earlier state (publish
    then unpublish, a revert, a restore) gives back that state's time. So exports change only where content did."""
    model = type(item)
    recorded = list(
        model.history.filter(id=item.pk)
        .order_by("-history_date", "-history_id")
        .prefetch_related(*(Prefetch(accessor) for _m2m, accessor, _column in links_of(model)))
    )
    earlier = [record for record in recorded[1:] if record.history_type != "-"]
    now = full_state(recorded[0], model)
    same = next((record for record in earlier if full_state(record, model) == now), None)
    if same is None:
        return
    if same is recorded[1]:  # nothing changed since the record before: no version at all
        recorded[0].delete()
    elif hasattr(same, "updated"):
        type(same).objects.filter(pk=recorded[0].pk).update(updated=same.updated)
    if hasattr(same, "updated"):
        model._default_manager.filter(pk=item.pk).update(updated=same.updated)
        item.updated = same.updated


def bring_back(item):
    """After `item` came back from its deletion: the items deleted with it (a sector's applications), as they were
    with their links, and the links of other items that pointed at it (the critiques that cite a source)."""
    for model in HISTORIES:
        for deletion in model.history.filter(history_type="-", history_change_reason=deleted_with(item)):
            if model._default_manager.filter(pk=deletion.id).exists():
                continue
            before = (
                model.history.filter(id=deletion.id, history_date__lte=deletion.history_date)
                .exclude(history_type="-")
                .order_by("-history_date", "-history_id")
                .first()
            ) or deletion
            dependent = before.instance
            dependent._change_reason = _("Restored with %(item)s") % {"item": item}
            dependent._history_one_record_per_save = True  # its links complete the record of its return
            dependent.save()
            for m2m, pks in links(before, model):
                getattr(dependent, m2m.name).set(pks)
            settle(dependent)
            bring_back(dependent)
    for model, m2m in linking_fields(type(item)):
        rows = HISTORIES[model].m2m_models[m2m].objects.filter(**{f"{m2m.m2m_reverse_field_name()}_id": item.pk})
        linked_in = set(rows.values_list("history_id", flat=True))
        ids = model.history.filter(history_id__in=linked_in).values_list("id", flat=True)
        for linking in model._default_manager.filter(pk__in=ids).exclude(**{m2m.name: item}):
            if linking.history.order_by("-history_date", "-history_id").values_list("history_id", flat=True).first() in linked_in:
                linking._change_reason = _("Link restored: %(item)s") % {"item": item}
                getattr(linking, m2m.name).add(item)
