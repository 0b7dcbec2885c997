import pytest
from django.core.cache.backends.filebased import FileBasedCache

from iplus.cache import FileCache


@pytest.fixture
def file_cache(tmp_path):
    cache = FileCache(tmp_path, {"OPTIONS": {"MAX_ENTRIES": 5, "CULL_FREQUENCY": 2}})
    cache.cull_every = 10
    return cache


def files(cache):
    return len(cache._list_cache_files())


def test_values_read_back_whatever_wrote_them(tmp_path, file_cache):
    django_cache = FileBasedCache(tmp_path, {})
    file_cache.set("ours", {"page": b"x" * 10_000})
    django_cache.set("djangos", ("v", "y" * 10_000))
    assert django_cache.get("ours") == {"page": b"x" * 10_000}
    assert file_cache.get("djangos") == ("v", "y" * 10_000)


def test_the_directory_is_counted_once_in_so_many_writes(file_cache):
    for n in range(10):
        file_cache.set(f"key{n}", n)
    assert files(file_cache) == 10  # over MAX_ENTRIES: not counted since the first write
    file_cache.set("key10", 10)  # the 11th write counts, culls half, then writes
    assert files(file_cache) == 6
    assert file_cache.get("key10") == 10
