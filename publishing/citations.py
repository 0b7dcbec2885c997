"""How to cite a page of the site, or a source it names: APA, Chicago, MLA and GB/T 7714-2015 text, BibTeX, RIS and
CSL-JSON.

Item pages answer `?cite=bibtex`, `?cite=ris` and `?cite=csl` with a file a reference manager imports, and
`?cite=gbt7714` with the GB/T 7714-2015 reference as text.
"""

import datetime
import json
import re
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

SITE = "iplus: the Internet Plus explorer"
SITE_NAME = _("iplus: the Internet Plus explorer")  # the site as the author of its pages, in the page's language
ANONYMOUS = "Anonymous"  # the author of a work that names none
ANONYMOUS_NAME = _("Anonymous")  # as GB/T 7714 names it in the page's language (佚名)
FORMATS = {
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "csl": ("application/vnd.citationstyles.csl+json", "json"),
    "gbt7714": ("text/plain; charset=utf-8", "txt"),
}


@dataclass
class Citation:
    key: str
    title: str
    url: str
    date: datetime.date | None  # when the work was published or last changed
    author: str = SITE  # a person or a body, cited as written
    container: str = SITE  # the site or publication it is part of
    kind: str = "webpage"  # CSL type: webpage, legislation, article-newspaper...
    of_source: bool = False  # the citation of a source the site names, not of a page of the site
    accessed: datetime.date = field(default_factory=timezone.localdate)
    title_zh: str = ""  # the Chinese title, which GB/T 7714 gives on the Chinese edition
    number: str = ""  # a document's number as issued (国发〔2015〕40号), which GB/T 7714 puts after the title
    document: "Citation | None" = None  # on a document's page, the document itself as GB/T 7714 cites it

    @property
    def json_ld(self):
        """schema.org: Dataset for the dataset, Legislation for a policy document, WebPage (or the source's own type) for the rest."""
        types = {"dataset": "Dataset", "legislation": "Legislation", "article-newspaper": "NewsArticle",
                 "article-journal": "ScholarlyArticle"}  # fmt: skip
        data = {"@context": "https://schema.org", "@type": types.get(self.kind, "WebPage"), "name": self.title, "url": self.url}
        data["author" if self.of_source else "publisher"] = {"@type": "Organization", "name": self.author}
        if self.date:
            data["datePublished" if self.of_source else "dateModified"] = self.date.isoformat()
        return data

    def apa(self):
        when = f"{self.date:%Y, %B} {self.date.day}" if self.date else "n.d."
        accessed = f"{self.accessed:%B} {self.accessed.day}, {self.accessed:%Y}"
        return f"{self.author}. ({when}). {self.title}. {self.container}. Retrieved {accessed}, from {self.url}"

    def chicago(self):
        when = f" {self.date:%B} {self.date.day}, {self.date:%Y}." if self.date else ""
        accessed = f"{self.accessed:%B} {self.accessed.day}, {self.accessed:%Y}"
        return f"{self.author}. “{self.title}.” {self.container}.{when} Accessed {accessed}. {self.url}."

    def mla(self):
        when = f", {self.date.day} {self.date:%b. %Y}" if self.date else ""
        return f"{self.author}. “{self.title}.” {self.container}{when}, {self.url}. Accessed {self.accessed.day} {self.accessed:%b. %Y}."

    def gbt7714_reference(self):
        """GB/T 7714-2015 for an online resource (4.6 电子资源): "author. title: number[type/OL]. (date)[accessed]. URL." """
        zh = (translation.get_language() or "").startswith("zh")
        author = {SITE: str(SITE_NAME), ANONYMOUS: str(ANONYMOUS_NAME)}.get(self.author, self.author)
        title = self.title_zh if zh and self.title_zh else self.title
        if self.number:
            title = f"{title}: {self.number}"
        when = f"({self.date:%Y-%m-%d})" if self.date else ""
        return f"{author.removesuffix('.')}. {title}[{self.gbt7714_type}/OL]. {when}[{self.accessed:%Y-%m-%d}]. {self.url}."

    @property
    def gbt7714_type(self):
        """The standard's type code: DS a dataset, A an official document (档案, which holds government documents),
        EB (电子公告) any other page: a news or journal article would need its paper's name and issue, which are not kept."""
        if self.kind == "dataset":
            return "DS"
        return "A" if self.of_source and self.kind == "legislation" else "EB"

    def gbt7714(self):
        """The file: the page's reference, then the document's where the page is a document's."""
        return "".join(f"{citation.gbt7714_reference()}\n" for citation in (self, self.document) if citation)

    def bibtex(self):
        fields = {
            "title": "{" + bibtex_escape(self.title) + "}",
            "author": "{" + bibtex_escape(self.author) + "}",
            "howpublished": bibtex_escape(self.container),
            "year": str(self.date.year) if self.date else "",
            "url": self.url,
            "urldate": self.accessed.isoformat(),
        }
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items() if value)
        return f"@misc{{{re.sub(r'[^A-Za-z0-9-]', '', self.key)},\n{body}\n}}\n"

    def ris(self):
        lines = [("TY", "ELEC"), ("TI", self.title), ("AU", self.author), ("T2", self.container), ("UR", self.url)]
        if self.date:
            lines += [("PY", str(self.date.year)), ("DA", f"{self.date:%Y/%m/%d}")]
        lines += [("Y2", f"{self.accessed:%Y/%m/%d}"), ("ER", "")]
        return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)

    def csl(self):
        item = {
            "id": self.key,
            "type": self.kind,
            "title": self.title,
            "author": [{"literal": self.author}],
            "container-title": self.container,
            "URL": self.url,
            "accessed": {"date-parts": [[self.accessed.year, self.accessed.month, self.accessed.day]]},
        }
        if self.date:
            item["issued"] = {"date-parts": [[self.date.year, self.date.month, self.date.day]]}
        return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


def bibtex_escape(text):
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def chinese_title(item):
    """The item's title with its name in Chinese, where it has a Chinese name ("6. 普惠金融" for "6. Inclusive finance")."""
    fields = getattr(item, "translated_fields", ())
    if not fields:
        return ""
    name, language = item.translated(fields[0], "zh-hans")
    return "" if language == "en" else str(item).replace(getattr(item, fields[0]), name, 1)


def file_response(citation, format):
    content_type, extension = FORMATS[format]
    response = HttpResponse(getattr(citation, format)(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{citation.key}.{extension}"'
    return response


class CitationMixin:
    """A detail page with "Cite this page": `citation` in its context, and `?cite=bibtex|ris|csl|gbt7714` as a file."""

    query_params = ("cite",)

    def get(self, request, *args, **kwargs):
        format = request.GET.get("cite")
        if format is None:
            return super().get(request, *args, **kwargs)
        if format not in FORMATS:
            known = ", ".join(f"cite={name}" for name in FORMATS)
            return HttpResponse(f"Unknown citation format: ask for one of {known}.\n", status=400, content_type="text/plain; charset=utf-8")
        self.object = self.get_object()
        return file_response(self.citation(), format)

    def get_context_data(self, **kwargs):
        return super().get_context_data(citation=self.citation(), **kwargs)

    def citation(self):
        item = self.object
        return Citation(
            key=f"iplus-{item.slug}",
            title=str(item),
            title_zh=chinese_title(item),
            url=self.request.build_absolute_uri(item.get_absolute_url()),
            date=timezone.localdate(item.updated),
            kind=getattr(item, "citation_type", "webpage"),
        )
