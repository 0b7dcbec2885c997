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
    ),
    Kind(
        Milestone,
        name="milestones",
        address="timeline",
        list_view=views.TimelineView,
        search=Search(_("Timeline"), 5, ("title", "description"), ("description_html",), zh_fields=("title_zh", "description_zh")),
    ),
    Kind(
        GlossaryTerm,
        name="glossary",
        address="glossary",
        list_view=views.GlossaryView,
        search=Search(_("Glossary"), 7, ("term", "term_zh", "definition"), ("definition_html",), zh_fields=("definition_zh",)),
    ),
)
