from django.contrib import admin

from critiques.models import Critique
from publishing.admin import ContentAdmin


@admin.register(Critique)
class CritiqueAdmin(ContentAdmin):
    list_display = ["title", "category", "raised_by", "status", "updated"]
    list_filter = ["status", "category", "sectors"]
    search_fields = ["title", "title_zh", "raised_by", "summary", "argument", "quotation", "slug"]
    ordering = ["-created", "slug"]
    autocomplete_fields = ["sources", "sectors"]
