import datetime
import itertools

from critiques.models import Critique
from iplus.models import KeyAction, Milestone, PolicyDocument, Section, Source
from sectors.models import Figure, Sector, Target

_counter = itertools.count(1)


def _n():
    return next(_counter)


def make_source(**fields):
    n = _n()
    return Source.objects.create(**{"slug": f"source-{n}", "title": f"Source {n}", "kind": "press", "status": "published", **fields})


def make_sector(**fields):
    n = _n()
    return Sector.objects.create(
        **{"slug": f"sector-{n}", "name": f"Sector {n}", "summary": "A summary.", "body": "A body.", "status": "published", **fields}
    )


def make_critique(**fields):
    n = _n()
    return Critique.objects.create(
        **{
            "slug": f"critique-{n}",
            "title": f"Critique {n}",
            "category": "censorship",
            "raised_by": "A critic",
            "summary": "A summary.",
            "argument": "An argument.",
            "status": "published",
            **fields,
        }
    )


def make_figure(**fields):
    n = _n()
    sector = fields.pop("sector", None) or make_sector()
    source = fields.pop("source", None) or make_source()
    return Figure.objects.create(
        **{
            "slug": f"figure-{n}",
            "label": f"Figure {n}",
            "value": 1,
            "unit": "users",
            "status": "published",
            "sector": sector,
            "source": source,
            **fields,
        }
    )


def make_key_action(**fields):
    n = _n()
    return KeyAction.objects.create(
        **{"slug": f"action-{n}", "number": n, "name": f"Action {n}", "name_zh": "行动", "status": "published", **fields}
    )


def make_milestone(**fields):
    n = _n()
    return Milestone.objects.create(
        **{
            "slug": f"milestone-{n}",
            "title": f"Milestone {n}",
            "date": datetime.date(2015, 3, 5),
            "kind": "report",
            "description": "x",
            "status": "published",
            **fields,
        }
    )


def make_section(**fields):
    n = _n()
    return Section.objects.create(**{"slug": f"section-{n}", "title": f"Section {n}", "body": "x", "status": "published", **fields})


def make_document(**fields):
    n = _n()
    return PolicyDocument.objects.create(
        **{
            "slug": f"document-{n}",
            "title": f"Document {n}",
            "issuer": "State Council",
            "level": "national",
            "kind": "opinions",
            "issued_on": datetime.date(2016, 9, 1),
            "summary": "A summary.",
            "status": "published",
            **fields,
        }
    )


def make_target(**fields):
    n = _n()
    document = fields.pop("document", None) or make_document()
    source = fields.pop("source", None) or make_source()
    return Target.objects.create(
        **{
            "slug": f"target-{n}",
            "document": document,
            "measure": f"Measure {n}",
            "value": 80,
            "unit": "%",
            "deadline": datetime.date(2018, 1, 1),
            "deadline_precision": "year",
            "passage": "到2018年，普及率达到80%。",
            "source": source,
            "status": "published",
            **fields,
        }
    )
