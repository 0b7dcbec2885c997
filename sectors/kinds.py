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
        columns={
            "name": _("The sector's English name, e.g. “Internet + Finance”."),
            "name_zh": _("The sector's Chinese name, e.g. “互联网+金融”."),
            "summary": _("The sector in one or two sentences."),
            "body": _("The sector's text in full, as its page gives it."),
            "technologies": _("The technologies the sector applies."),
            "key_actions": _("The key actions of the Guiding Opinions it meets."),
        },
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
        columns={
            "document": _("The policy document that sets the target."),
            "measure": _("What is measured, e.g. “Household fixed broadband penetration”."),
            "comparison": _("How the value is to be met: at least or at most the value, up or down by it, or multiplied by it."),
            "value": _("The number the target sets, in full, e.g. 80 or 400000000000."),
            "unit": _("What the number counts, e.g. “%” or “yuan”; “times” for a multiple."),
            "baseline": _("What the target is measured against, where the document says, e.g. “the end of 2015”."),
            "deadline": _("When the target is to be met; a year or a month is given as its first day (deadline_precision says which)."),
            "deadline_precision": _("Whether the document gives the year, the month or the day of the deadline."),
            "key_actions": _("The key actions the target serves."),
            "sectors": _("The sectors the target concerns."),
            "comparable_as": _("The key the provinces page sets targets side by side by, e.g. “household-broadband”; empty for none."),
            "passage": _("The document's words that state the target, in the document's language."),
            "passage_en": _("Our English rendering of a passage in Chinese; empty where the passage is English."),
            "source": _("Where the passage is read."),
        },
    ),
    Kind(
        Figure,
        name="figures",
        address="outcomes",
        list_view=views.OutcomesView,
        columns={
            "label": _("What is counted, e.g. “Internet users in China”."),
            "qualifier": _("How the source states the number: exactly, about, or more than."),
            "value": _("The number in full, e.g. 649000000."),
            "unit": _("What the number counts, e.g. “users” or “yuan”."),
            "as_of": _(
                "The date the figure describes, not the day it was published; a year or a month is given as its first day "
                "(as_of_precision says which)."
            ),
            "as_of_precision": _("Whether the source gives the year, the month or the day the figure describes."),
            "note": _("What else the source says of the figure, e.g. how it was counted."),
            "sector": _("The sector the figure describes, if one."),
            "key_action": _("The key action the figure measures, if one."),
            "document": _("The policy document whose aims the figure measures, if one."),
            "target": _("The target the figure reports on, if one."),
            "comparable_as": _(
                "The key by which the provinces page sets this national figure beside the provinces' targets; empty for none."
            ),
            "passage": _("The source's words that give the number, in the source's language."),
            "passage_en": _("Our English rendering of a passage in Chinese; empty where the passage is English."),
            "source": _("Where the figure comes from."),
        },
    ),
)
