from django.contrib import admin

from iplus.admin import ContentAdmin
from sectors.models import Alias, Application, Figure, Sector


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 0


class ApplicationInline(admin.StackedInline):
    model = Application
    extra = 0
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]


class FigureInline(admin.TabularInline):
    model = Figure
    extra = 0
    fields = ["slug", "label", "qualifier", "value", "unit", "as_of", "source", "position", "status"]
    prepopulated_fields = {"slug": ["label"]}
    autocomplete_fields = ["source"]


@admin.register(Sector)
class SectorAdmin(ContentAdmin):
    list_display = ["name", "name_zh", "position", "status", "updated"]
    search_fields = ["name", "name_zh", "summary", "body", "aliases__name"]
    ordering = ["position", "name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources", "technologies", "key_actions"]
    inlines = [AliasInline, ApplicationInline, FigureInline]


@admin.register(Application)
class ApplicationAdmin(ContentAdmin):
    list_display = ["name", "sector", "position", "status"]
    list_filter = ["status", "sector"]
    list_select_related = ["sector"]
    search_fields = ["name", "description"]
    ordering = ["sector", "position"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sector", "sources"]


@admin.register(Figure)
class FigureAdmin(ContentAdmin):
    list_display = ["label", "display", "sector", "source", "status"]
    list_filter = ["status", "sector"]
    list_select_related = ["sector", "source"]
    search_fields = ["label", "unit"]
    ordering = ["sector", "position"]
    prepopulated_fields = {"slug": ["label"]}
    autocomplete_fields = ["sector", "source"]


@admin.register(Alias)
class AliasAdmin(admin.ModelAdmin):
    list_display = ["name", "sector"]
    list_filter = ["sector"]
    list_select_related = ["sector"]
    search_fields = ["name", "sector__name"]
    ordering = ["name"]
    autocomplete_fields = ["sector"]
