from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from publishing.feeds import ChangesFeed, name_of
from publishing.kinds import kind_of
from sectors.models import Sector


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
        found = [Sector.objects.filter(pk=sector.pk), sector.critiques.all(), sector.documents.all()]
        return {kind_of(queryset.model).address: queryset.published() for queryset in found}
