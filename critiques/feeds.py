from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from critiques.models import Critique
from publishing.feeds import ChangesFeed


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
