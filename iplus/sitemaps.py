from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from publishing.kinds import KINDS


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


def sitemaps():
    """The pages, then each kind whose items have pages of their own."""
    return {"pages": PageSitemap, **{kind.name: ContentSitemap(kind.model) for kind in KINDS if kind.sitemap}}
