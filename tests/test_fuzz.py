"""Property-based fuzzing of every public GET endpoint and its query parameters: no 5xx, no unescaped echo."""

import string

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.routes import public_routes

# Present on every list page now or soon: the pager, site search, ordering.
COMMON_PARAMS = ["page", "q", "ordering"]
MARK = "<fuzz-echo>"

FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

values = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "null", "\x00", "%00", "../", "'", '"', "\\", "🀄" * 50, "互联网+"]),
    st.text(max_size=20).map(lambda text: f'"><{MARK[1:-1]}>{text}</script>'),
)


def filter_params(view_class):
    """The query parameters a view reads: its filterset's form fields (with a range widget's suffixes)."""
    filterset_class = getattr(view_class, "filterset_class", None)
    if filterset_class is None:
        return []
    names = []
    for name, field in filterset_class.base_filters.items():
        widget = field.field.widget
        suffixes = getattr(widget, "suffixes", None) or getattr(widget, "widgets_names", None)
        if suffixes:
            names.extend(f"{name}_{suffix}" if suffix and not suffix.startswith("_") else f"{name}{suffix}" for suffix in suffixes)
        else:
            names.append(name)
    return names


ROUTES = public_routes()
LIST_ROUTES = [(name, view) for name, converters, view in ROUTES if not converters]
DETAIL_ROUTES = [(name, converters) for name, converters, view in ROUTES if converters]


def converter_values(converter):
    kind = type(converter).__name__
    if kind == "IntConverter":
        return st.integers(min_value=0, max_value=2**63).map(str)
    if kind == "SlugConverter":
        return st.from_regex(r"\A[-a-zA-Z0-9_]{1,90}\Z")
    if kind == "UUIDConverter":
        return st.uuids().map(str)
    if kind == "KindConverter":  # the kinds with a history: any other value has no address
        return st.sampled_from(converter.regex.split("|"))
    return st.text(alphabet=st.characters(exclude_characters="/"), min_size=1, max_size=40)


def assert_safe(response, sent):
    assert response.status_code < 500, (response.status_code, sent)
    if response.get("Content-Type", "").startswith("text/html"):
        assert MARK not in response.content.decode(), f"unescaped echo of {sent!r}"


def test_the_fuzzer_sees_the_routes():
    names = {name for name, _ in LIST_ROUTES}
    assert {"iplus:home", "sectors:list", "critiques:list", "iplus:source-list"} <= names
    assert {"sectors:detail", "critiques:detail"} <= {name for name, _ in DETAIL_ROUTES}
    assert not any(name.startswith("admin:") for name, *_ in ROUTES)


@pytest.mark.parametrize(("name", "view_class"), LIST_ROUTES, ids=[name for name, _ in LIST_ROUTES])
def test_list_pages_survive_any_query(client, content, name, view_class):
    url = reverse(name)
    params = COMMON_PARAMS + filter_params(view_class)
    keys = st.one_of(st.sampled_from(params), st.text(alphabet=string.ascii_letters + "_[]", min_size=1, max_size=12))

    @FUZZ
    @given(query=st.dictionaries(keys, st.one_of(values, st.lists(values, max_size=3)), max_size=4))
    def fuzz(query):
        assert_safe(client.get(url, query), query)

    fuzz()


@pytest.mark.parametrize(("name", "converters"), DETAIL_ROUTES, ids=[name for name, _ in DETAIL_ROUTES])
def test_detail_pages_answer_404_for_any_unknown_address(client, content, name, converters):
    @FUZZ
    @given(
        kwargs=st.fixed_dictionaries({arg: converter_values(conv) for arg, conv in converters.items()}),
        query=st.dictionaries(st.sampled_from(COMMON_PARAMS), values, max_size=2),
    )
    def fuzz(kwargs, query):
        response = client.get(reverse(name, kwargs=kwargs), query)
        assert_safe(response, (kwargs, query))

    fuzz()


def test_the_echo_check_catches_an_unescaped_echo():
    from django.http import HttpResponse

    assert_safe(HttpResponse(f"<p>{MARK[1:-1]}</p>"), "escaped text is fine")
    with pytest.raises(AssertionError, match="unescaped echo"):
        assert_safe(HttpResponse(f"<p>{MARK}</p>"), MARK)
