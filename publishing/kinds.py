"""The kinds of content, each declared once, in its app's kinds.py (imported by the app's ready()), and read by every
outlet: the fixtures and backups, the page cache's invalidation, history and feeds, search, the API, downloads, the
data package and the sitemap.

Kinds are declared in dependency order, apps in INSTALLED_APPS order: a kind's natural foreign keys point only to
kinds before it (a many-to-many field may point ahead, which loaddata resolves at the end).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Search:
    """How a kind is searched (publishing.search) through the text index its app's migrations create."""

    label: str  # the heading of its hits on the search page
    position: int  # where those hits stand among the other kinds'
    fields: tuple  # what is searched (the text index holds these), the title first
    snippet_fields: tuple  # where a snippet is taken from (stored HTML is read as text)
    order: tuple = ()  # of the hits; the model's own order when empty
    zh_fields: tuple = ()  # the editors' Chinese translations: searched for a query with Chinese characters


@dataclass(frozen=True)
class Kind:
    model: type
    name: str = ""  # in the API's and the data package's addresses and files, and in search results: "critiques"
    address: str = ""  # the page its items are on, which their public history and feed follow: /<address>/<slug>/history/
    list_view: type | None = None  # the list page whose rows the API and the data package give (with its filters)
    search: Search | None = None
    sitemap: bool = False  # each published item's page is in the sitemap
    # {column: what it holds}, for the readers of its downloads, the data package and the API (publishing.downloads):
    # what a value is, not how to fill it in, which the model's help_text tells the editors.
    columns: dict = field(default_factory=dict, compare=False)  # a dict is not hashable: kept out of the hash

    @property
    def label(self):
        return self.model._meta.verbose_name_plural


KINDS = []


def declare(*kinds):
    KINDS.extend(kinds)


def content_models():
    return [kind.model for kind in KINDS]


def content_apps():
    """The app labels that hold content, in loading order: one fixture file each."""
    return list(dict.fromkeys(model._meta.app_label for model in content_models()))


def kind_of(model):
    return next(kind for kind in KINDS if kind.model is model)


def with_history():
    """{address: model} of the kinds with a public history."""
    return {kind.address: kind.model for kind in KINDS if kind.address}


def searched():
    return sorted((kind for kind in KINDS if kind.search), key=lambda kind: kind.search.position)


def mirrored():
    """{name: list view} of the kinds the API and the data package give."""
    return {kind.name: kind.list_view for kind in KINDS if kind.list_view}
