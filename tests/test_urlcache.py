import pytest
from django.urls import reverse, set_script_prefix

from iplus import urlcache


@pytest.mark.parametrize("viewname", ["sectors:detail", "critiques:detail", "iplus:source-detail", "iplus:keyaction-detail"])
@pytest.mark.parametrize("slug", ["finance", "a-b_c-2015", "x"])
def test_slug_urls_are_what_reverse_gives(viewname, slug):
    assert urlcache.slug_url(viewname, slug) == reverse(viewname, kwargs={"slug": slug})


def test_a_value_that_is_not_a_plain_slug_goes_through_reverse():
    with pytest.raises(Exception, match="Reverse"):
        urlcache.slug_url("sectors:detail", "not/a slug")


def test_each_script_prefix_has_its_own_pattern():
    urlcache.slug_url("sectors:detail", "finance")
    set_script_prefix("/mounted/")
    try:
        assert urlcache.slug_url("sectors:detail", "finance") == "/mounted/sectors/finance/"
    finally:
        set_script_prefix("/")
    assert urlcache.slug_url("sectors:detail", "finance") == "/sectors/finance/"
