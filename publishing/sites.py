"""The admin site editors use (Django's, named as the default site in publishing.apps): its titles, its pickers, and an
overview on its index of what needs an editor, and a preview of the Markdown texts of a form before it is saved."""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from publishing.kinds import content_models
from publishing.markdown import removed_markup
from publishing.models import DraftChange, Status


class PickerView(AutocompleteJsonView):
    """The admin's pickers: an item with a `picker_label` (a source's title, kind and publisher) shows it, so that two
    of similar titles are told apart."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if hasattr(obj, "picker_label"):
            result["text"] = obj.picker_label
        return result


class EditorsSite(admin.AdminSite):
    site_header = _("iplus: editing the content")
    site_title = _("iplus editing")
    index_title = _("Content")

    def autocomplete_view(self, request):
        return PickerView.as_view(admin_site=self)(request)

    def get_urls(self):
        preview = path("preview/<str:app_label>/<str:model_name>/", self.admin_view(self.preview_view), name="preview")
        return [preview, *super().get_urls()]

    @method_decorator(require_POST)
    def preview_view(self, request, app_label, model_name):
        """The Markdown texts of a change form as visitors would get them, before they are saved (the form's
        "Preview" button posts here, into a new tab), with what the site would leave out."""
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            raise Http404 from None
        model_admin = self._registry.get(model)
        if model_admin is None or not (model_admin.has_change_permission(request) or model_admin.has_add_permission(request)):
            raise PermissionDenied
        names = [name for name in getattr(model, "markdown_fields", ()) if request.POST.get(name)]
        item = model(slug=request.POST.get("slug") or "preview", **{name: request.POST[name] for name in names})
        item.render_markdown()  # what saving does
        texts = [
            (capfirst(model._meta.get_field(name).verbose_name), "zh-Hans" if name.endswith("_zh") else "en",
             getattr(item, f"{name}_html"), removed_markup(getattr(item, name)))
            for name in names
        ]  # fmt: skip
        return TemplateResponse(request, "admin/preview.html", {"texts": texts, "kind": model._meta.verbose_name})

    def index(self, request, extra_context=None):
        return super().index(request, {"overview": self.overview(request), **(extra_context or {})})

    def overview(self, request):
        """Per kind an editor may see: how many items are drafts, have a draft change waiting, cite no source, or lack
        a Chinese translation, each with a link to that list. A query a kind, and one for the draft changes."""
        rows = []
        waiting = dict(DraftChange.objects.values_list("content_type").annotate(Count("pk")).order_by())
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
            found["changes"] = waiting.get(ContentType.objects.get_for_model(model).pk, 0)
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
