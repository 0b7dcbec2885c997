import pytest

from critiques.models import Critique
from iplus.models import Source
from iplus.prepared import Prepared
from tests.factories import make_critique, make_source

pytestmark = pytest.mark.django_db


def test_a_prepared_query_gives_the_orms_rows_for_every_value():
    sources_of = Prepared(lambda pk: Source.objects.published().filter(critique=pk), -1)
    first, second = make_critique(), make_critique()
    first.sources.add(make_source(title="B"), make_source(title="A"), make_source(title="Draft", status="draft"))
    second.sources.add(make_source(title="C"))
    for critique in (first, second, make_critique()):
        expected = list(Source.objects.published().filter(critique=critique.pk))
        rows = list(sources_of(critique.pk))
        assert [row.pk for row in rows] == [row.pk for row in expected]
        assert [row.title for row in rows] == [row.title for row in expected]  # same order, same fields


def test_deferred_fields_stay_deferred_and_load_when_read():
    by_slug = Prepared(lambda slug: Critique.objects.filter(slug=slug).only("slug", "title"), "\0slug")
    critique = make_critique(slug="kept", title="Kept", summary="Read later.")
    found = by_slug.first("kept")
    assert (found.pk, found.title) == (critique.pk, "Kept")
    assert "summary" in found.get_deferred_fields()
    assert found.summary == "Read later."
    assert by_slug.first("missing") is None


def test_a_marker_the_query_does_not_keep_is_refused():
    ignored = Prepared(lambda slug: Critique.objects.all(), "\0slug")
    with pytest.raises(ValueError, match="marker"):
        ignored.first("anything")
