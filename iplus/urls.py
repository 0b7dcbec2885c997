from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from critiques.feeds import CategoryFeed
from iplus import views
from iplus.sitemaps import sitemaps
from publishing import feeds
from publishing import views as publishing_views
from sectors.feeds import SectorFeed
from sectors.views import OutcomesView, ProvincesView, TargetDetailView, TargetListView

register_converter(publishing_views.KindConverter, "kind")

strategy_patterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("strategy/", views.StrategyView.as_view(), name="strategy"),
    path("key-actions/", views.KeyActionListView.as_view(), name="keyaction-list"),
    path("key-actions/<slug:slug>/", views.KeyActionDetailView.as_view(), name="keyaction-detail"),
    path("documents/", views.DocumentListView.as_view(), name="document-list"),
    path("documents/<slug:slug>/", views.DocumentDetailView.as_view(), name="document-detail"),
    path("outcomes/", OutcomesView.as_view(), name="outcomes"),
    path("targets/", TargetListView.as_view(), name="target-list"),
    path("targets/provinces/", ProvincesView.as_view(), name="provinces"),
    path("targets/<slug:slug>/", TargetDetailView.as_view(), name="target-detail"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("glossary/", views.GlossaryView.as_view(), name="glossary"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("feeds/changes.atom", feeds.ChangesFeed(), name="feed"),
    path("feeds/<kind:kind>.atom", feeds.KindFeed(), name="kind-feed"),
    path("feeds/sectors/<slug:slug>.atom", SectorFeed(), name="sector-feed"),
    path("feeds/critiques/<slug:category>.atom", CategoryFeed(), name="category-feed"),
    path("<kind:kind>/<slug:slug>/history/", publishing_views.HistoryView.as_view(), name="history"),
    path("<kind:kind>/<slug:slug>/history/<int:history_id>/", publishing_views.VersionView.as_view(), name="version"),
]

# Every page for people in two editions: English at the current addresses, Chinese under /zh-hans/.
urlpatterns = i18n_patterns(
    path("", include((strategy_patterns, "iplus"))),
    path("sectors/", include("sectors.urls")),
    path("critiques/", include("critiques.urls")),
    path("data/", include(("iplus.datapackage", "data"))),
    prefix_default_language=False,
)
urlpatterns += [
    path("api/", include(("iplus.api", "api"))),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps()}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    # Browsers ask for /favicon.ico where a page names no icon (a feed, the API's JSON).
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}images/favicon.svg", permanent=True)),
    path("admin/", admin.site.urls),
]

handler403 = "publishing.views.permission_denied"
