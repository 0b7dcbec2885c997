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
            # Newest first by key: read in the key's order, the matches of a common word need no sort (40 against
            # 166 ms at 100,000 critiques, by "-created").
            order=("-pk",),
            zh_fields=("summary_zh", "argument_zh"),
        ),
        sitemap=True,
    ),
)
