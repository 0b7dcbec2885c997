"""The admin site editors use (Django's, named as the default site in iplus.apps): its titles, its pickers, and an
overview on its index of what needs an editor."""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from iplus.content import content_models
from iplus.models import Source, Status


class PickerView(AutocompleteJsonView):
    """The admin's pickers: a source with its kind and publisher, so that two of similar titles are told apart."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Source):
            result["text"] = " · ".join(filter(None, [obj.title, obj.get_kind_display(), obj.publisher]))
        return result


class EditorsSite(admin.AdminSite):
    site_header = _("iplus: editing the content")
    site_title = _("iplus editing")
    index_title = _("Content")

    def autocomplete_view(self, request):
        return PickerView.as_view(admin_site=self)(request)

    def index(self, request, extra_context=None):
        return super().index(request, {"overview": self.overview(request), **(extra_context or {})})

    def overview(self, request):
        """Per kind an editor may see: how many items are drafts, cite no source, or lack a Chinese translation,
        each with a link to that list. One query a kind."""
        rows = []
        for model in content_models():
            model_admin = self._registry.get(model)
            if model_admin is None or not model_admin.has_view_or_change_permission(request):
                continue
            counts = {"drafts": Count("pk", filter=Q(status=Status.DRAFT), distinct=True)} if hasattr(model, "status") else {}
            if any(field.name == "sources" for field in model._meta.many_to_many):
                counts["unsourced"] = Count("pk", filter=Q(sources=None), distinct=True)
            if missing := translation_missing(model):
                counts["untranslated"] = Count("pk", filter=missing, distinct=True)
            found = model._default_manager.aggregate(**counts) if counts else {}
            if any(found.values()):
                url = reverse(f"{self.name}:{model._meta.app_label}_{model._meta.model_name}_changelist")
                rows.append((model._meta.verbose_name_plural, url, found))
        return rows


def translation_missing(model):
    """Items with a text the editors have not yet translated (an English work has no Chinese title to add)."""
    missing = Q()
    for name in getattr(model, "translated_fields", ()):
        if name not in model.zh_originals:
            missing |= Q(**{f"{name}_zh": ""}) & ~Q(**{name: ""})
    return missing
