from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from critiques.models import Critique
from iplus.models import KeyAction, PolicyDocument, Source
from sectors.models import Sector


class EditionsSitemap(Sitemap):
    """Each page once per edition, each naming the other editions (hreflang alternates, and x-default: English)."""

    i18n = True
    alternates = True
    x_default = True


class PageSitemap(EditionsSitemap):
    """The list pages; milestones, sections, glossary terms and strategies live on them as anchors."""

    changefreq = "weekly"

    def items(self):
        return ["iplus:home", "iplus:strategy", "iplus:keyaction-list", "iplus:timeline", "iplus:compare", "iplus:glossary",
                "iplus:source-list", "iplus:document-list", "iplus:outcomes", "iplus:coverage", "iplus:changes", "data:index",
                "sectors:list", "critiques:list"]  # fmt: skip

    def location(self, item):
        return reverse(item)


class ContentSitemap(EditionsSitemap):
    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.published().only("slug", "updated").order_by("pk")

    def lastmod(self, obj):
        return obj.updated


sitemaps = {
    "pages": PageSitemap,
    "sectors": ContentSitemap(Sector),
    "critiques": ContentSitemap(Critique),
    "key-actions": ContentSitemap(KeyAction),
    "sources": ContentSitemap(Source),
    "documents": ContentSitemap(PolicyDocument),
}
