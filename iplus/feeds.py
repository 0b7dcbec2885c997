"""What changed: Atom feeds (Django's syndication framework) of everything, each kind, each sector and each critique
category, and the "What's new" page that lists the same changes for people.

An entry is a published version of an item (iplus.history): its permanent address is the entry's link and id, the
time of the change its date, and what changed its text. Drafts and changes that left the content as it was make none.
"""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import ListView

from critiques.models import Critique
from iplus import history
from iplus.models import Status
from iplus.views import HISTORY_KINDS
from sectors.models import Sector

WINDOW = 200  # the newest published history records read of each kind: changes are found among these
ENTRIES = 50  # in a feed
LISTED = 100  # on the "What's new" page, 25 a page


@dataclass
class Change:
    kind: str
    item: object
    version: history.Version

    @property
    def url(self):
        return reverse("iplus:version", args=[self.kind, self.item.slug, self.version.history_id])

    @property
    def title(self):
        return name_of(self.version.record.instance)

    @property
    def label(self):
        return self.item._meta.verbose_name

    @property
    def summary(self):
        return "; ".join(self.version.changes) if self.version.changes else _("first published version")


def name_of(item):
    """An item's name in the language of the page (its title, name, term or label: the first field translated)."""
    return item.translated(item.translated_fields[0], get_language())[0]


def recent_changes(querysets, limit):
    """The newest changes to the published items of these querysets ({kind: queryset}), newest first.

    A kind's changes are looked for among its WINDOW newest published history records, so a few queries a kind
    answer however long the history is.
    """
    found = []
    for kind, queryset in querysets.items():
        model = queryset.model
        records = model.history.filter(status=Status.PUBLISHED, id__in=queryset.values("pk"))
        newest = set(records.order_by("-history_date", "-history_id").values_list("id", flat=True)[:WINDOW])
        items = list(model.objects.published().filter(pk__in=newest).only("pk", "slug"))
        versions = history.versions_of(model, items)
        found += [Change(kind, item, version) for item in items for version in versions.get(item.pk, [])]
    found.sort(key=lambda change: (change.version.date, change.version.history_id), reverse=True)
    return found[:limit]


def everything():
    return {kind: model.objects.published() for kind, model in HISTORY_KINDS.items()}


class ChangesFeed(Feed):
    """Every published change on the site."""

    feed_type = Atom1Feed
    title = gettext_lazy("iplus: what changed")
    subtitle = gettext_lazy("Every published change to the site's content.")

    def link(self):
        return reverse("iplus:changes")

    def querysets(self, obj):
        return everything()

    def items(self, obj):
        return recent_changes(self.querysets(obj), ENTRIES)

    def item_title(self, change):
        return f"{change.title}: {change.summary}"

    def item_description(self, change):
        return change.summary

    def item_link(self, change):
        return change.url

    def item_updateddate(self, change):
        return change.version.date

    def item_pubdate(self, change):
        return change.version.date


class KindFeed(ChangesFeed):
    """Every published change to one kind of item."""

    def get_object(self, request, kind):
        return kind

    def title(self, kind):
        return _("iplus: what changed in %(kind)s") % {"kind": HISTORY_KINDS[kind]._meta.verbose_name_plural}

    subtitle = title

    def querysets(self, kind):
        return {kind: HISTORY_KINDS[kind].objects.published()}


class SectorFeed(ChangesFeed):
    """Changes to a sector and to the critiques and policy documents that name it."""

    def get_object(self, request, slug):
        return get_object_or_404(Sector.objects.published(), slug=slug)

    def title(self, sector):
        return _("iplus: what changed in the sector %(sector)s") % {"sector": name_of(sector)}

    subtitle = title

    def link(self, sector):
        return sector.get_absolute_url()

    def querysets(self, sector):
        return {
            "sectors": Sector.objects.published().filter(pk=sector.pk),
            "critiques": Critique.objects.published().filter(sectors=sector),
            "documents": HISTORY_KINDS["documents"].objects.published().filter(sectors=sector),
        }


class CategoryFeed(ChangesFeed):
    """Changes to the critiques of one category."""

    def get_object(self, request, category):
        if category not in Critique.Category.values:
            raise Http404(_("There is no critique category of this name."))
        return category

    def title(self, category):
        return _("iplus: what changed in the critiques of %(category)s") % {"category": Critique.Category(category).label}

    subtitle = title

    def link(self, category):
        return reverse("critiques:list") + f"?category={category}"

    def querysets(self, category):
        return {"critiques": Critique.objects.published().filter(category=category)}


class ChangesView(ListView):
    """What's new: the newest published changes, for people."""

    template_name = "iplus/changes.html"
    context_object_name = "changes"
    paginate_by = 25

    def get_queryset(self):
        return recent_changes(everything(), LISTED)
