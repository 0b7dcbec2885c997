from django.utils.translation import gettext_lazy as _

from iplus import views
from iplus.models import GlossaryTerm, KeyAction, Milestone, PolicyDocument, Section, Source, Strategy, Technology
from publishing.kinds import Kind, Search, declare

declare(
    Kind(
        Source,
        name="sources",
        address="sources",
        list_view=views.SourceListView,
        search=Search(_("Sources"), 8, ("title", "title_zh", "publisher", "note"), ("publisher", "note"), zh_fields=("note_zh",)),
        sitemap=True,
        columns={
            "title": _("The title of the work, as it is cited."),
            "title_zh": _(
                "Its Chinese title, exactly as the source gives it (in simplified or traditional characters); empty where it has none."
            ),
            "publisher": _("Who wrote or issued it."),
            "published_on": _("When the page or work was published, as it says itself; empty where it gives no date."),
            "url": _("Where the source can be read."),
            "language": _("The language of its text where it is neither Chinese nor English, e.g. “it” for Italian; empty otherwise."),
            "read_on": _(
                "The day its page was read for the site; the notes that cite it link the Internet Archive's copy nearest that day."
            ),
            "kind": _("What sort of source it is."),
            "note": _("How the source is cited, or what is known of it."),
        },
    ),
    Kind(
        Section,
        name="sections",
        address="strategy",
        search=Search(_("The strategy"), 6, ("title", "title_zh", "body"), ("body_html",), zh_fields=("body_zh",)),
    ),
    Kind(Technology),
    Kind(Strategy, name="strategies", address="compare"),
    Kind(
        KeyAction,
        name="key-actions",
        address="key-actions",
        list_view=views.KeyActionListView,
        search=Search(_("Key actions"), 4, ("name", "name_zh", "description"), ("description_html",), zh_fields=("description_zh",)),
        sitemap=True,
        columns={
            "number": _("Its number in the Guiding Opinions, 1 to 11."),
            "name": _("Its English name."),
            "name_zh": _("Its name in the Chinese text of the Guiding Opinions."),
            "description": _("The key action's text in full, as its page gives it."),
            "sectors": _("The sectors that meet it."),
        },
    ),
    Kind(
        PolicyDocument,
        name="documents",
        address="documents",
        list_view=views.DocumentListView,
        search=Search(
            _("Policy documents"),
            3,
            ("title", "other_titles", "title_zh", "number_zh", "number_en", "issuer", "issuer_zh", "summary", "body"),
            ("summary_html", "body_html", "number_en"),
            zh_fields=("summary_zh", "body_zh"),
        ),
        sitemap=True,
        columns={
            "title": _("The English title the site uses."),
            "other_titles": _("Other English renderings of the title, as sources give them, one a line."),
            "title_zh": _("The Chinese title, exactly as issued."),
            "number_zh": _("The document number in Chinese, exactly as issued (e.g. 国发〔2015〕40号); empty where it has none."),
            "number_en": _("The document number as an English source gives it, e.g. “Guofa [2015] No. 40”."),
            "issuer": _("The body that issued it, or the one that leads, in English."),
            "issuer_zh": _("The issuer's Chinese name, where a source gives it."),
            "joint_issuers": _("The other bodies that issued it with the issuer, named as in the sources."),
            "level": _("Who issued it: the State Council, a ministry or a province."),
            "kind": _("What sort of document it is."),
            "issued_on": _(
                "The date it bears; a year or a month is given as its first day (issued_precision says which); empty where no "
                "source gives it."
            ),
            "issued_precision": _("Whether the sources give the year, the month or the day it was issued."),
            "published_on": _("When it was made public, where a source says; empty otherwise."),
            "legal_status": _("Its validity, where a source states it; empty otherwise."),
            "summary": _("The document in one or two sentences."),
            "body": _("What the site says of the document, in full, as its page gives it."),
            "implements": _("The documents it says it implements."),
            "follows_up": _("Earlier documents it takes further without saying it implements them."),
            "key_actions": _("The key actions it takes up."),
            "sectors": _("The sectors it touches."),
        },
    ),
    Kind(
        Milestone,
        name="milestones",
        address="timeline",
        list_view=views.TimelineView,
        search=Search(_("Timeline"), 5, ("title", "description"), ("description_html",), zh_fields=("title_zh", "description_zh")),
        columns={
            "date": _("When it happened; a year or a month is given as its first day (precision says which)."),
            "precision": _("Whether the sources give the year, the month or the day it happened."),
            "title": _("The event in a few words."),
            "kind": _("What sort of event it is."),
            "description": _("What happened, told in full."),
        },
    ),
    Kind(
        GlossaryTerm,
        name="glossary",
        address="glossary",
        list_view=views.GlossaryView,
        search=Search(_("Glossary"), 7, ("term", "term_zh", "definition"), ("definition_html",), zh_fields=("definition_zh",)),
        columns={
            "term": _("The term in English."),
            "term_zh": _("The Chinese term, where there is one."),
            "definition": _("What the term means."),
        },
    ),
)
