from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from publishing.admin import ContentAdmin, EditingFieldsMixin, HistoryAdmin
from sectors.models import UNIT_REQUIRED, Alias, Application, Figure, Sector, Target


class FigureForm(forms.ModelForm):
    class Meta:
        model = Figure
        fields = [
            "sector",
            "key_action",
            "document",
            "target",
            "slug",
            "label",
            "label_zh",
            "qualifier",
            "value",
            "unit",
            "as_of",
            "as_of_precision",
            "note",
            "note_zh",
            "source",
            "position",
            "status",
        ]
        error_messages = {"unit": {"required": UNIT_REQUIRED}}


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 0


class ApplicationInline(EditingFieldsMixin, admin.StackedInline):
    model = Application
    extra = 0
    fields = [("name", "name_zh"), "slug", ("description", "description_zh"), "sources", "position", "status"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]
    show_change_link = True


class FigureInline(EditingFieldsMixin, admin.TabularInline):
    model = Figure
    form = FigureForm
    extra = 0
    fields = ["label", "slug", "qualifier", "value", "unit", "as_of", "as_of_precision", "source", "position", "status"]
    prepopulated_fields = {"slug": ["label"]}
    autocomplete_fields = ["source"]
    show_change_link = True


class OnSectorPage:
    """Applications, figures and aliases have no page of their own: they are shown on their sector's."""

    def get_view_on_site_url(self, obj=None):
        return None if obj is None else obj.sector.get_absolute_url()


@admin.register(Sector)
class SectorAdmin(ContentAdmin):
    list_display = ["name", "name_zh", "position", "status", "updated"]
    search_fields = ["name", "name_zh", "summary", "body", "aliases__name", "slug"]
    ordering = ["position", "name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources", "technologies", "key_actions"]
    inlines = [AliasInline, ApplicationInline, FigureInline]


@admin.register(Application)
class ApplicationAdmin(OnSectorPage, ContentAdmin):
    list_display = ["name", "sector", "position", "status", "updated"]
    list_filter = ["status", "sector"]
    list_select_related = ["sector"]
    search_fields = ["name", "description", "sector__name", "slug"]
    ordering = ["sector__position", "position", "name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sector", "sources"]


@admin.register(Figure)
class FigureAdmin(ContentAdmin):
    form = FigureForm
    list_display = ["label", "value_display", "as_of", "sector", "key_action", "source", "status", "updated"]
    list_filter = ["status", "sector", "key_action"]
    list_select_related = ["sector", "key_action", "source"]
    search_fields = ["label", "unit", "note", "sector__name", "source__title", "slug"]
    ordering = ["label", "as_of", "position"]
    prepopulated_fields = {"slug": ["label"]}
    autocomplete_fields = ["sector", "key_action", "document", "target", "source"]

    @admin.display(description=_("value"), ordering="value")
    def value_display(self, obj):
        return obj.display


@admin.register(Alias)
class AliasAdmin(OnSectorPage, HistoryAdmin):
    list_display = ["name", "sector"]
    list_filter = ["sector"]
    list_select_related = ["sector"]
    search_fields = ["name", "sector__name"]
    ordering = ["name"]
    autocomplete_fields = ["sector"]


@admin.register(Target)
class TargetAdmin(ContentAdmin):
    list_display = ["measure", "promise", "deadline", "document", "status", "updated"]
    list_filter = ["status", "document__province", "key_actions", "document"]
    list_select_related = ["document"]
    search_fields = ["measure", "measure_zh", "passage", "passage_en", "document__title", "slug"]
    ordering = ["deadline", "document", "position"]
    prepopulated_fields = {"slug": ["measure"]}
    autocomplete_fields = ["document", "key_actions", "sectors", "source"]
    fields = [
        "document", "slug", ("measure", "measure_zh"), "comparison", "value", ("unit", "unit_zh"), ("baseline", "baseline_zh"),
        ("deadline", "deadline_precision"), "key_actions", "sectors", "comparable_as", "passage", "passage_en", "source",
        "position", "status",
    ]  # fmt: skip
