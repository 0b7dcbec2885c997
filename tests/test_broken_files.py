"""A broken content file or backup is refused with one message naming the problem, and changes nothing."""

import gzip
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from iplus.content import content_count
from iplus.models import Source

SOURCE = {"model": "iplus.source", "fields": {"slug": "kept", "title": "Kept", "kind": "press", "status": "published"}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"model": "iplus.source", "fields": {', "Expecting property name enclosed in double quotes"),
        ('[{"model": "iplus.nosuch", "fields": {}}]', "Invalid model identifier: iplus.nosuch"),
        (json.dumps([{**SOURCE, "fields": {**SOURCE["fields"], "slug": "new", "bogus": 1}}]), "Source has no field named 'bogus'"),
        (
            json.dumps([{"model": "iplus.milestone", "fields": {"slug": "m", "title": "t", "date": "2015-13-45", "precision": "day"}}]),
            "is an invalid date",
        ),
    ],
)
def test_a_broken_content_file_is_one_message_and_changes_nothing(db, tmp_path, text, message):
    Source.objects.create(**SOURCE["fields"])
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("load_content", str(path), "--yes", verbosity=0)
    assert str(raised.value).startswith("Content not loaded; the database is unchanged.")
    assert message in str(raised.value)
    assert content_count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (gzip.compress(json.dumps([SOURCE]).encode())[:-12], "is not a usable backup"),
        (gzip.compress(b'[{"model": "iplus.nosuch", "fields": {}}]'), "Invalid model identifier: iplus.nosuch"),
    ],
)
def test_a_broken_backup_is_one_message_and_changes_nothing(transactional_db, tmp_path, content, message):
    Source.objects.create(**SOURCE["fields"])
    path = tmp_path / "broken.json.gz"
    path.write_bytes(content)
    with pytest.raises(CommandError) as raised:
        call_command("restore_content", str(path), "--yes", verbosity=0)
    assert message in str(raised.value)
    assert list(Source.objects.values_list("slug", flat=True)) == ["kept"]
