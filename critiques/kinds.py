from django.utils.translation import gettext_lazy as _

from critiques import views
from critiques.models import Critique
from publishing.kinds import Kind, Search, declare

declare(
    Kind(
        Critique,
        name="critiques",
        address="critiques",
        list_view=views.CritiqueListView,
        search=Search(
            _("Critiques"),
            2,
            ("title", "title_zh", "summary", "argument", "raised_by", "quotation"),
            ("summary", "argument_html", "quotation", "raised_by"),
            # Newest first, as the list: read in the order of the index critiques_status_created, the matches of a common
            # word need no sort. At 100,000 critiques: "privacy" 10 ms (41 by "-pk"), 互联网 10 (37), 隐私 1 (832).
            order=("-created", "slug"),
            zh_fields=("summary_zh", "argument_zh"),
        ),
        sitemap=True,
        columns={
            "title": _("The critique in a few words."),
            "category": _("The kind of limitation or challenge it names."),
            "raised_by": _("Who makes the argument, and where, as the sources name them."),
            "summary": _("The critique in one or two sentences."),
            "argument": _("The argument in full."),
            "quotation": _("The critic's own words, verbatim; empty where none are quoted."),
            "created": _("When the critique was added to the site."),
            "sectors": _("The sectors it concerns; empty where it concerns the strategy as a whole."),
            "key_actions": _("The key actions of the Guiding Opinions it concerns, if any."),
        },
    ),
)
