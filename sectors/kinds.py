from django.utils.translation import gettext_lazy as _

from publishing.kinds import Kind, Search, declare
from sectors import views
from sectors.models import Alias, Application, Figure, Sector, Target

declare(
    Kind(
        Sector,
        name="sectors",
        address="sectors",
        list_view=views.SectorListView,
        search=Search(
            _("Sectors"), 1, ("name", "name_zh", "summary", "body"), ("summary", "body_html"), zh_fields=("summary_zh", "body_zh")
        ),
        sitemap=True,
    ),
    Kind(Alias),
    Kind(Application),
    Kind(
        Target,
        name="targets",
        address="targets",
        list_view=views.TargetListView,
        search=Search(_("Targets"), 9, ("measure", "measure_zh", "passage", "passage_en"), ("passage_en", "passage")),
        sitemap=True,
    ),
    Kind(Figure, name="figures", address="outcomes", list_view=views.OutcomesView),
)
