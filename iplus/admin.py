from django.contrib import admin

from iplus.models import GlossaryTerm, KeyAction, Milestone, Section, Source, Strategy, Technology


class ContentAdmin(admin.ModelAdmin):
    list_filter = ["status"]
    readonly_fields = ["created", "updated"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["sources"]


@admin.register(Source)
class SourceAdmin(ContentAdmin):
    list_display = ["title", "kind", "publisher", "published_on", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "title_zh", "publisher", "url", "note"]
    ordering = ["title"]
    autocomplete_fields = []
    date_hierarchy = "published_on"


@admin.register(Section)
class SectionAdmin(ContentAdmin):
    list_display = ["title", "parent", "position", "status", "updated"]
    list_select_related = ["parent"]
    search_fields = ["title", "title_zh", "body"]
    ordering = ["position", "slug"]
    autocomplete_fields = ["parent", "sources"]


@admin.register(Technology)
class TechnologyAdmin(ContentAdmin):
    list_display = ["name", "name_zh", "position", "status"]
    search_fields = ["name", "name_zh", "description"]
    ordering = ["position", "name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Strategy)
class StrategyAdmin(ContentAdmin):
    list_display = ["name", "country", "proposed_in", "position", "status"]
    search_fields = ["name", "name_zh", "country", "summary"]
    ordering = ["position", "name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(KeyAction)
class KeyActionAdmin(ContentAdmin):
    list_display = ["number", "name", "name_zh", "status"]
    list_display_links = ["number", "name"]
    search_fields = ["name", "name_zh", "description"]
    ordering = ["number"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Milestone)
class MilestoneAdmin(ContentAdmin):
    list_display = ["title", "date", "precision", "kind", "status"]
    list_filter = ["status", "kind", "precision"]
    search_fields = ["title", "description"]
    ordering = ["date"]
    date_hierarchy = "date"


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(ContentAdmin):
    list_display = ["term", "term_zh", "status"]
    search_fields = ["term", "term_zh", "definition"]
    ordering = ["term"]
    prepopulated_fields = {"slug": ["term"]}
