from django.contrib import admin
from django.urls import include, path

from iplus import views

strategy_patterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("strategy/", views.StrategyView.as_view(), name="strategy"),
    path("key-actions/", views.KeyActionListView.as_view(), name="keyaction-list"),
    path("key-actions/<slug:slug>/", views.KeyActionDetailView.as_view(), name="keyaction-detail"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("glossary/", views.GlossaryView.as_view(), name="glossary"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
]

urlpatterns = [
    path("", include((strategy_patterns, "iplus"))),
    path("sectors/", include("sectors.urls")),
    path("critiques/", include("critiques.urls")),
    path("admin/", admin.site.urls),
]
