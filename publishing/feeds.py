"""What changed: Atom feeds (Django's syndication framework) of everything and of each kind with a history, which the
apps' own feeds (a sector's, a critique category's) and the "What's new" page build on.

An entry is a published version of an item (publishing.history): its permanent address is the entry's link and id, the
time of the change its date, and what changed its text. Drafts and changes that left the content as it was make none.
"""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from publishing import history
from publishing.kinds import with_history
from publishing.models import Status

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
    return {kind: model.objects.published() for kind, model in with_history().items()}


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
        return _("iplus: what changed in %(kind)s") % {"kind": with_history()[kind]._meta.verbose_name_plural}

    subtitle = title

    def querysets(self, kind):
        return {kind: with_history()[kind].objects.published()}
