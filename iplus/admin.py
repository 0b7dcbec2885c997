from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from iplus.models import GlossaryTerm, KeyAction, Milestone, PolicyDocument, Section, Source, Status, Strategy, Technology
from publishing.admin import PUBLISHING, ContentAdmin, cited_by
from publishing.models import citations_of


class SourceForm(forms.ModelForm):
    """A source that published items list or take as their figure's or target's source stays published until they
    change (Source.clean refuses it for the footnotes that cite it)."""

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and self.instance.is_published and cleaned_data.get("status") == Status.DRAFT:
            listed = [
                citation for citation in citations_of([self.instance])[self.instance] if not isinstance(citation.field, models.TextField)
            ]
            if listed:
                message = _("Published items cite this source: %(items)s. Change them before you unpublish it.")
                self.add_error("status", message % {"items": cited_by(listed)})
        return cleaned_data


@admin.register(Source)
class SourceAdmin(ContentAdmin):
    form = SourceForm
    list_display = ["title", "kind", "publisher", "published_on", "read_on", "status", "updated"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "title_zh", "publisher", "url", "note", "slug"]
    ordering = ["title"]
    autocomplete_fields = []
    date_hierarchy = "published_on"


@admin.register(Section)
class SectionAdmin(ContentAdmin):
    list_display = ["title", "parent", "position", "status", "updated"]
    list_filter = ["status", "parent"]
    list_select_related = ["parent"]
    search_fields = ["title", "title_zh", "body", "slug"]
    ordering = ["position", "slug"]
    autocomplete_fields = ["parent", "sources"]


@admin.register(Technology)
class TechnologyAdmin(ContentAdmin):
    list_display = ["name", "name_zh", "position", "status", "updated"]
    search_fields = ["name", "name_zh", "description", "slug"]
    ordering = ["position", "name"]
    prepopulated_fields = {"slug": ["name"]}
    view_on_site = False  # shown only inside the sector pages


@admin.register(Strategy)
class StrategyAdmin(ContentAdmin):
    list_display = ["name", "country", "proposed_in", "position", "status", "updated"]
    search_fields = ["name", "name_zh", "country", "proposed_by", "summary", "slug"]
    ordering = ["position", "name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(KeyAction)
class KeyActionAdmin(ContentAdmin):
    list_display = ["number", "name", "name_zh", "status", "updated"]
    list_display_links = ["number", "name"]
    search_fields = ["name", "name_zh", "description", "slug"]
    ordering = ["number"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Milestone)
class MilestoneAdmin(ContentAdmin):
    list_display = ["title", "date_display", "kind", "status", "updated"]
    list_filter = ["status", "kind", "precision"]
    search_fields = ["title", "description", "slug"]
    ordering = ["date", "slug"]
    date_hierarchy = "date"

    @admin.display(description=_("date"), ordering="date")
    def date_display(self, obj):
        return obj.date_display


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(ContentAdmin):
    list_display = ["term", "term_zh", "status", "updated"]
    search_fields = ["term", "term_zh", "definition", "slug"]
    ordering = ["term"]
    prepopulated_fields = {"slug": ["term"]}


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(ContentAdmin):
    list_display = ["title", "number_zh", "issuer", "level", "kind", "issued_on", "status", "updated"]
    list_filter = ["status", "level", "province", "kind"]
    search_fields = ["title", "other_titles", "title_zh", "number_zh", "number_en", "issuer", "slug"]
    ordering = ["issued_on", "slug"]
    date_hierarchy = "issued_on"
    autocomplete_fields = ["sources", "implements", "follows_up", "key_actions", "sectors"]
    fieldsets = [
        (None, {"fields": ["title", "title_zh", "other_titles", "number_zh", "number_en", "summary", "summary_zh", "body", "body_zh"]}),
        (
            _("Issue"),
            {
                "fields": [
                    "issuer",
                    "issuer_zh",
                    "joint_issuers",
                    "joint_issuers_zh",
                    "level",
                    "province",
                    "kind",
                    "issued_on",
                    "issued_precision",
                    "published_on",
                    "legal_status",
                ]
            },
        ),
        (_("Related"), {"fields": ["implements", "follows_up", "key_actions", "sectors"]}),
        (_("Sources"), {"fields": ["sources"]}),
        (_("Publishing"), {"fields": PUBLISHING}),
    ]
