"""The admin every kind shares: history with reverts and recovery, versioned forms, draft changes, Publish and Unpublish."""

import json
from http import HTTPStatus

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.db.models import ForeignKey, ManyToManyField
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_m2m_reverse_field_name

from publishing.content import BASELINE_REASON, LOADED_FROM
from publishing.history import bring_back, footnote_names, readable, settle
from publishing.history import side_by_side as word_diff
from publishing.markdown import removed_markup
from publishing.models import DraftChange, Status, citations_of, source_model
from publishing.sites import translation_missing

PUBLISHING = ["status", "slug", "created", "updated"]


class PlaceholderAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete select, with the labelled empty first option that valid HTML asks of a
    single select (a required one must offer a placeholder; an empty option needs a label)."""

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        if not any(option["value"] == "" for _group_name, group, _index in groups for option in group):
            groups.insert(0, (None, [self.create_option(name, "", "", False, 0)], 0))
        for option in (option for _group_name, group, _index in groups for option in group):
            if option["value"] == "" and not option["label"]:
                option["attrs"]["label"] = "---------"
        return groups


class TextareaField(forms.CharField):
    """Browsers send a textarea's line breaks as CRLF; store LF, so an unchanged body saves unchanged
    (and exports to fixtures/ without a spurious diff)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


FOOTNOTE_HELP = _(
    "Cite a source at a sentence with [^its-slug]: the page shows a numbered footnote linking the source. "
    "Quote the words it rests on (at most 60, or 120 characters of Chinese) on a line of its own: "
    "[^its-slug]: the words; under it, indented, “ours: our rendering” and “read: 2026-12-07” if not the source's day read. "
    "[^its-slug:another-name] cites a second passage of the same source."
)


class EditingFieldsMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.TextField):
            kwargs.setdefault("form_class", TextareaField)
        if db_field.name in getattr(self.model, "markdown_fields", ()):
            kwargs.setdefault("help_text", format_lazy("{} {}", db_field.help_text, FOOTNOTE_HELP))
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PlaceholderAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class VersionField(forms.CharField):
    """Bookkeeping, never a change of the item (the history's "Changed Argument." leaves it out)."""

    def has_changed(self, initial, data):
        return False


class VersionedForm(forms.ModelForm):
    """Carries the item's `updated` time as it was when the form was opened, and refuses to save over a newer save.

    The check reads the row with select_for_update in the admin's own transaction, so no save can come
    between the check and this one (SQLite's immediate transactions take the write lock at their start).
    """

    version = VersionField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            # Today's time even on a revert form, whose instance is an old version.
            self.fields["version"].initial = self.current_version()

    def current_version(self, lock=False):
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        updated = (rows.select_for_update() if lock else rows).values_list("updated", flat=True).first()
        return updated.isoformat() if updated else ""

    def clean(self):
        cleaned_data = super().clean()
        # A deleted item brought back from its history has no row, and so no version, on both sides.
        if self.instance.pk is None or (opened := cleaned_data.get("version")) == self.current_version(lock=True):
            return cleaned_data
        if not opened:
            raise forms.ValidationError(_("This form does not say which version of the item it shows: open the item again."))
        raise forms.ValidationError(self.changed_meanwhile(opened))

    def changed_meanwhile(self, opened):
        """What was saved since the form was opened: by whom, when, and which fields, from the item's history."""
        model = type(self.instance)
        history = model.history.filter(**{model._meta.pk.attname: self.instance.pk}).order_by("-history_date", "-history_id")
        latest = history.first()
        before = history.filter(updated__lte=opened).first()
        if latest is None:
            return [_("This item was saved by someone else after you opened it. Your changes are not saved.")]
        when = formats.date_format(latest.history_date, "DATETIME_FORMAT")
        lines = [
            _("%(user)s saved this item at %(when)s, after you opened it. Your changes are not saved: open the item again "
              "to see its current version, and make them there.")
            % {"user": latest.history_user or _("someone else"), "when": when}
        ]  # fmt: skip
        if before is None:
            return lines
        excluded = ["updated", *(f"{name}_html" for name in getattr(model, "markdown_fields", ()))]
        for change in latest.diff_against(before, excluded_fields=excluded, foreign_keys_are_objs=True).changes:
            field = model._meta.get_field(change.field)
            if isinstance(field, ManyToManyField):
                lines.append(_("Changed meanwhile: %(field)s.") % {"field": field.verbose_name})
            else:
                now = Truncator(str(change.new)).chars(160)
                lines.append(_("Changed meanwhile: %(field)s, now “%(value)s”.") % {"field": field.verbose_name, "value": now})
        return lines


class WholeDiffs(HistoricalRecordContextHelper):
    """The history's changes in whole, a text word by word ("Inter[34 chars]urrent" told an editor nothing)."""

    def stringify_delta_change_values(self, change, old, new):
        if isinstance(old, str) and isinstance(new, str):
            names = footnote_names([old, new])
            return word_diff(readable(old, names), readable(new, names))
        return super().stringify_delta_change_values(change, old, new)


def changed_by(record):
    """Who made a history record, in words: the account, or the load of the fixtures, or a command."""
    if record.history_user_id is not None:
        return record.history_user
    reason = record.history_change_reason or ""
    if reason.startswith(LOADED_FROM) or reason == str(BASELINE_REASON):
        return _("loaded from fixtures")
    return _("no account (a command)")


def link_name(link):
    """A row of a many-to-many link in words ("“Censorship will blunt the strategy” → “South China Morning Post”"),
    as the admin's deletion page lists it, rather than "Critique_sources object (1)"."""
    ends = [getattr(link, field.name) for field in link._meta.fields if field.is_relation]
    return " → ".join(f"“{end}”" for end in ends)


def name_links(model):
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        if through._meta.auto_created:
            through.__str__ = link_name


class HistoryAdmin(EditingFieldsMixin, SimpleHistoryAdmin):
    """History for every change: who, when and what; a revert form per version; deleted items recoverable."""

    change_list_template = "admin/history_change_list.html"
    object_history_list_template = "admin/history_list.html"

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        name_links(model)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple-history calls select_related() with no names for a model without foreign keys, which Django deprecates.
        related = ["history_user", *(field.name for field in history_manager.model.tracked_fields if isinstance(field, ForeignKey))]
        return history_manager.filter(**{pk_name: object_id}).select_related(*related)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history's submit_line.html prints {{ onclick_attrib }}, which nothing sets; tests fail on unset variables.
        extra_context = {"onclick_attrib": "", **(extra_context or {})}
        # A revert is checked against newer saves like any edit, in one transaction with its save.
        with transaction.atomic(using=router.db_for_write(self.model)):
            deleted = not self.model._default_manager.filter(pk=object_id).exists()
            request.reverting_to = self.model.history.filter(history_id=version_id).first()
            request.restoring = deleted
            response = super().history_form_view(request, object_id, version_id, extra_context=extra_context)
            item = self.model._default_manager.filter(pk=object_id).first()
            if request.method == "POST" and response.status_code == HTTPStatus.FOUND and item is not None:
                settle(item)
                if deleted:
                    bring_back(item)
            return response

    def save_model(self, request, obj, form, change):
        # The admin sets M2M fields just after saving: they complete this save's history record.
        obj._history_one_record_per_save = True
        obj._change_reason = self.change_reason(request, form, change)
        super().save_model(request, obj, form, change)

    def change_reason(self, request, form, change):
        """What the history says of a save: a revert as a revert, any other save what it changed, in the admin's words."""
        if version := getattr(request, "reverting_to", None):
            date = formats.date_format(version.history_date, "DATETIME_FORMAT")
            if getattr(request, "restoring", False):
                return _("Restored after its deletion, as it was on %(date)s") % {"date": date}
            return _("Reverted to the version of %(date)s") % {"date": date}
        message = json.dumps(self.construct_change_message(request, form, [], add=not change))
        return Truncator(LogEntry(change_message=message).get_change_message()).chars(100)

    def response_change(self, request, obj):
        """A revert and a restore say what they did, not "was changed successfully"."""
        if (version := getattr(request, "reverting_to", None)) is None:
            return super().response_change(request, obj)
        words = {"item": obj, "date": formats.date_format(version.history_date, "DATETIME_FORMAT")}
        if getattr(request, "restoring", False):
            message = _("“%(item)s” is restored, as it was on %(date)s, with its links.") % words
        else:
            message = _("“%(item)s” is reverted to its version of %(date)s.") % words
        self.message_user(request, message, messages.SUCCESS)
        return self.response_post_save_change(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        # "Changed by" links to the editor's account only for those who may open it (no link leads to a refusal).
        user_model = get_user_model()._meta
        may_open_users = request.user.has_perm(f"{user_model.app_label}.change_{user_model.model_name}")
        extra_context = {**(extra_context or {}), **({} if may_open_users else {"admin_user_view": ""})}
        return super().history_view(request, object_id, extra_context=extra_context)

    def set_history_delta_changes(self, request, page_obj, *args, **kwargs):
        super().set_history_delta_changes(request, page_obj, *args, **kwargs)
        for record in page_obj.object_list:
            record.changed_by = changed_by(record)

    def get_historical_record_context_helper(self, request, historical_record):
        return WholeDiffs(self.model, historical_record)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for obj in [form.instance, *(obj for formset in formsets for obj in [*formset.new_objects, *dict(formset.changed_objects)])]:
            settle(obj)  # a save that changed nothing leaves the item's time and export as they were
            self.warn_of_removed_markup(request, obj)

    def warn_of_removed_markup(self, request, obj):
        """Markup the site does not allow is saved as written but never shown: the editor is told what."""
        for name in getattr(obj, "markdown_fields", ()):
            if removed := removed_markup(getattr(obj, name)):
                message = _("%(field)s of “%(item)s”: the site leaves out %(removed)s; the rest shows as written.")
                field = capfirst(obj._meta.get_field(name).verbose_name)
                self.message_user(request, message % {"field": field, "item": obj, "removed": ", ".join(removed)}, messages.WARNING)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            inline_form.instance._history_one_record_per_save = True
        super().save_formset(request, form, formset, change)

    def get_fields(self, request, obj=None):
        # The version travels as a hidden input of its own (templates/admin/change_form.html), in no fieldset.
        return [name for name in super().get_fields(request, obj) if name != "version"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if any(field.name == "updated" for field in self.model._meta.fields):
            kwargs["form"] = type(f"Versioned{self.form.__name__}", (VersionedForm, self.form), {})
        form = super().get_form(request, obj, change=change, **kwargs)
        record = getattr(obj, "_history", None)
        if record is None:
            return form

        class HistoricalForm(form):
            """The revert form starts from the version's M2M values too, not from today's."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for field in record._history_m2m_fields:
                    if field.name in self.fields:
                        rows = getattr(record, field.name).values_list(get_m2m_reverse_field_name(field), flat=True)
                        self.initial[field.name] = list(rows)

        return HistoricalForm

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        deleted = path("deleted/", self.admin_site.admin_view(self.deleted_view), name="{}_{}_deleted".format(*info))
        return [deleted, *super().get_urls()]

    def deleted_view(self, request):
        """Deleted items, each with a link to its last version, whose revert form brings it back."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        history = self.model.history.model
        pk_name = self.opts.pk.attname
        existing = self.model._default_manager.values("pk")
        records = history.objects.filter(history_type="-").exclude(**{f"{pk_name}__in": existing}).select_related("history_user")
        latest = {}
        for record in records.order_by("-history_date", "-history_id"):
            latest.setdefault(getattr(record, pk_name), record)
        for record in latest.values():
            record.changed_by = changed_by(record)
        items = [(record, self.recoverable_version(record)) for record in latest.values()]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(name)s") % {"name": self.opts.verbose_name_plural},
            "opts": self.opts,
            "items": items,
        }
        return TemplateResponse(request, "admin/deleted_list.html", context)

    def recoverable_version(self, deletion):
        """The version before the deletion, which still has its M2M values; the deletion record if there is none."""
        pk_name = self.opts.pk.attname
        before = (
            self.model.history.filter(**{pk_name: getattr(deletion, pk_name)}, history_date__lte=deletion.history_date)
            .exclude(history_type="-")
            .order_by("-history_date", "-history_id")
            .first()
        )
        version = before or deletion
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_simple_history", args=[getattr(version, pk_name), version.pk])


class SourcedFilter(admin.SimpleListFilter):
    """Items that cite no source, which every fact on the site should."""

    title = _("sources")
    parameter_name = "sourced"

    def lookups(self, request, model_admin):
        return [("none", _("None cited"))]

    def queryset(self, request, queryset):
        return queryset.filter(sources=None) if self.value() == "none" else queryset


class DraftChangeFilter(admin.SimpleListFilter):
    """Published items with a change waiting to be published."""

    title = _("draft change")
    parameter_name = "draft_change"

    def lookups(self, request, model_admin):
        return [("waiting", _("Not yet published"))]

    def queryset(self, request, queryset):
        if self.value() != "waiting":
            return queryset
        waiting = DraftChange.objects.filter(content_type=ContentType.objects.get_for_model(queryset.model))
        return queryset.filter(pk__in=waiting.values("object_id"))


class TranslationFilter(admin.SimpleListFilter):
    """Items by whether the editors have translated every text that has one into Chinese."""

    title = _("Chinese translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing")), ("complete", _("Complete"))]

    def queryset(self, request, queryset):
        missing = translation_missing(queryset.model)
        if self.value() == "missing":
            return queryset.filter(missing)
        if self.value() == "complete":
            return queryset.exclude(missing)
        return queryset


def cited_by(citations):
    """The items that cite a source, in words: "critique “Censorship will blunt the strategy” (a footnote in its
    argument), ..."."""
    return _(", ").join(f"{citation.item._meta.verbose_name} “{citation.item}” ({citation.where})" for citation in citations)


def side_by_side(fields, model):
    """Each translated field with its Chinese twin on one row, English on the left."""
    twins = {f"{name}_zh" for name in model.translated_fields}
    return [(name, f"{name}_zh") if f"{name}_zh" in fields and name in model.translated_fields else name
            for name in fields if name not in twins]  # fmt: skip


class ContentAdmin(HistoryAdmin):
    list_filter = ["status"]
    readonly_fields = ["created", "updated"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["sources"]
    actions = ["publish", "unpublish"]
    list_per_page = 50
    save_on_top = True

    # Draft changes: a published item's change saved without going live (the form's "Save as a draft change"),
    # shown to staff on the public page, published by the form's Save, dropped by "Discard the draft change".
    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {"draft": obj and DraftChange.of(obj), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        draft = DraftChange.of(obj) if obj is not None and obj.pk and not hasattr(obj, "_history") else None
        if draft is None:
            return form

        class DraftForm(form):
            """The change form opens on the draft change, not on the published item."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for name, values in draft.data.items():
                    if name in self.fields and not self.is_bound:
                        many = isinstance(self.fields[name], forms.ModelMultipleChoiceField)
                        self.initial[name] = values if many else (values[0] if values else "")

        return DraftForm

    def save_model(self, request, obj, form, change):
        if change and "_save_draft" in request.POST:
            data = {name: form.data.getlist(name) for name in form.fields if name != "version"}
            content_type = ContentType.objects.get_for_model(obj)
            DraftChange.objects.update_or_create(
                content_type=content_type, object_id=obj.pk, defaults={"data": data, "saved_by": request.user}
            )
            request.saved_draft = True
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if getattr(request, "saved_draft", False):
            return
        super().save_related(request, form, formsets, change)
        if change and (draft := DraftChange.of(form.instance)):
            draft.delete()  # saved, the change is live

    def log_change(self, request, obj, message):
        if getattr(request, "saved_draft", False):
            message = _("Saved a draft change, not published.")
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if getattr(request, "saved_draft", False):
            message = _("The draft change is saved; visitors still see the published version. Saving the form publishes it.")
            self.message_user(request, message, messages.SUCCESS)
            return redirect(request.path)
        return super().response_change(request, obj)

    def discard_draft_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if obj is None or not self.has_change_permission(request, obj):
            raise PermissionDenied
        if draft := DraftChange.of(obj):
            draft.delete()
            self.log_change(request, obj, _("Discarded a draft change."))
            self.message_user(request, _("The draft change is discarded: the form shows the published version."), messages.SUCCESS)
        return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]))

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        discard = path(
            "<path:object_id>/discard-draft/", self.admin_site.admin_view(self.discard_draft_view), name="{}_{}_discard_draft".format(*info)
        )
        return [discard, *super().get_urls()]

    def get_search_results(self, request, queryset, search_term):
        """Items whose title (or name) matches come first: "South" offers the South China Morning Post before an item
        whose note mentions it."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term and self.search_fields:
            named = models.Case(models.When(**{f"{self.search_fields[0]}__icontains": search_term}, then=0), default=1)
            queryset = queryset.alias(named=named).order_by("named", *(self.get_ordering(request) or self.model._meta.ordering))
        return queryset, may_have_duplicates

    def get_list_filter(self, request):
        filters = [*super().get_list_filter(request), DraftChangeFilter]
        if any(field.name == "sources" for field in self.model._meta.many_to_many):
            filters.append(SourcedFilter)
        return [*filters, TranslationFilter] if self.model.translated_fields else filters

    def get_fieldsets(self, request, obj=None):
        if self.fieldsets:
            return [(name, {**options, "fields": side_by_side(options["fields"], self.model)}) for name, options in self.fieldsets]
        fields = self.get_fields(request, obj)
        main = side_by_side([name for name in fields if name not in PUBLISHING and name != "sources"], self.model)
        fieldsets = [(None, {"fields": main})]
        if "sources" in fields:
            fieldsets.append((_("Sources"), {"fields": ["sources"]}))
        publishing = [name for name in PUBLISHING if name in fields]
        fieldsets.append((_("Publishing"), {"fields": publishing}))
        return fieldsets

    def get_deleted_objects(self, objs, request):
        """A source that published content cites is protected as an item a foreign key needs is: the admin's "Cannot
        delete" page names each item and field that cites it, with a link to the item (Django lists the figures and
        targets whose foreign key needs it already)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if self.model is source_model():
            found = citations_of(objs).items()
            citations = [(obj, citation) for obj, cited in found for citation in cited if not citation.field.many_to_one]
            protected = [*protected, *(self.citation_link(obj, citation) for obj, citation in citations)]
        return deleted, counts, perms_needed, protected

    def citation_link(self, source, citation):
        item = citation.item
        url = reverse(f"{self.admin_site.name}:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])
        kind = capfirst(item._meta.verbose_name)
        return format_html('{}: <a href="{}">{}</a> ({} cites “{}”)', kind, url, item, citation.where, source)

    @admin.action(description=_("Publish the selected items"), permissions=["change"])
    def publish(self, request, queryset):
        self.set_status(request, queryset, Status.PUBLISHED)

    @admin.action(description=_("Unpublish the selected items (back to draft)"), permissions=["change"])
    def unpublish(self, request, queryset):
        self.set_status(request, queryset, Status.DRAFT)

    def set_status(self, request, queryset, status):
        changed = 0
        objs = list(queryset.exclude(status=status))
        cited = citations_of(objs) if status == Status.DRAFT and self.model is source_model() else {}
        for obj in objs:
            if citations := cited.get(obj):
                message = _("“%(source)s” stays published: %(items)s cite it. Change them first.")
                self.message_user(request, message % {"source": obj, "items": cited_by(citations)}, messages.ERROR)
                continue
            obj.status = status
            obj._change_reason = str(_("Published") if status == Status.PUBLISHED else _("Unpublished"))
            obj.save(update_fields=["status", "updated"])
            settle(obj)  # unpublished again, an item is as it was: its time too
            self.log_change(request, obj, [{"changed": {"fields": ["status"]}}])
            changed += 1
        if status == Status.PUBLISHED:
            message = ngettext("%(count)d item published.", "%(count)d items published.", changed)
        else:
            message = ngettext("%(count)d item unpublished.", "%(count)d items unpublished.", changed)
        self.message_user(request, message % {"count": changed}, messages.SUCCESS)
