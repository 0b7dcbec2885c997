"""How to cite a page of the site, or a source it names: APA, Chicago and MLA text, BibTeX, RIS and CSL-JSON.

Item pages answer `?cite=bibtex`, `?cite=ris` and `?cite=csl` with a file a reference manager imports.
"""

import datetime
import json
import re
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone

SITE = "iplus: the Internet Plus explorer"
FORMATS = {
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "csl": ("application/vnd.citationstyles.csl+json", "json"),
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


def file_response(citation, format):
    content_type, extension = FORMATS[format]
    response = HttpResponse(getattr(citation, format)(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{citation.key}.{extension}"'
    return response


class CitationMixin:
    """A detail page with "Cite this page": `citation` in its context, and `?cite=bibtex|ris|csl` as a file."""

    query_params = ("cite",)

    def get(self, request, *args, **kwargs):
        format = request.GET.get("cite")
        if format is None:
            return super().get(request, *args, **kwargs)
        if format not in FORMATS:
            return HttpResponse("Unknown citation format: ask for cite=bibtex, cite=ris or cite=csl.\n", status=400,
                                content_type="text/plain; charset=utf-8")  # fmt: skip
        self.object = self.get_object()
        return file_response(self.citation(), format)

    def get_context_data(self, **kwargs):
        return super().get_context_data(citation=self.citation(), **kwargs)

    def citation(self):
        item = self.object
        return Citation(
            key=f"iplus-{item.slug}",
            title=str(item),
            url=self.request.build_absolute_uri(item.get_absolute_url()),
            date=timezone.localdate(item.updated),
            kind=getattr(item, "citation_type", "webpage"),
        )
