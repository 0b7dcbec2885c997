import hashlib
import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from iplus.models import Source
from publishing.management.commands.backup_content import MANIFEST
from sectors.models import Sector
from tests.helpers import exports

DUMPED = ["iplus", "sectors", "critiques", "auth.user"]


def manage(*args, database, stdin=subprocess.DEVNULL):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": f"sqlite:///{database}"},
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def objects(text):
    """Every object with every field, in a comparable order."""
    return sorted(json.dumps(obj, sort_keys=True, ensure_ascii=False) for obj in json.loads(text))


def dump_here():
    out = StringIO()
    call_command("dumpdata", *DUMPED, natural_foreign=True, natural_primary=True, stdout=out)
    return objects(out.getvalue())


def take_backup(tmp_path, *flags):
    call_command("backup_content", "--output-dir", str(tmp_path), *flags, verbosity=0)
    (manifest,) = tmp_path.glob("*" + MANIFEST)
    return manifest.with_name(manifest.name.removesuffix(MANIFEST))


def test_a_sqlite_backup_restored_into_an_empty_database_holds_every_object(tmp_path):
    """About 12 s: seven manage.py processes, as an operator runs them, each starting Django afresh."""
    site = tmp_path / "site.sqlite3"
    for command in [["migrate"], ["load_content"], ["createsuperuser", "--no-input", "--username", "editor", "--email", "e@example.org"]]:
        assert manage(*command, database=site).returncode == 0
    before = manage("dumpdata", *DUMPED, "--natural-foreign", "--natural-primary", database=site).stdout
    assert len(objects(before)) > 80

    backed_up = manage("backup_content", "--output-dir", str(tmp_path / "backups"), database=site)
    assert backed_up.returncode == 0, backed_up.stderr
    (path,) = (tmp_path / "backups").glob("iplus-*.sqlite3")

    restored = manage("restore_content", str(path), database=tmp_path / "new.sqlite3")
    assert restored.returncode == 0, restored.stderr
    after = manage("dumpdata", *DUMPED, "--natural-foreign", "--natural-primary", database=tmp_path / "new.sqlite3").stdout
    assert objects(after) == objects(before)


def test_a_json_backup_restored_into_an_empty_database_holds_every_object(transactional_db, django_user_model, tmp_path):
    """From the site's database (PostgreSQL in CI's second pass) into a new SQLite database. About 11 s: the restore
    and the dump are manage.py processes, and the restore migrates a new database."""
    call_command("load_content", verbosity=0)
    django_user_model.objects.create_superuser("editor", "editor@example.org", "a-password")
    Sector.objects.filter(slug=Sector.objects.first().slug).update(status="draft")
    before = dump_here()
    assert len(before) > 80

    path = take_backup(tmp_path / "backups", "--json")
    assert path.name.startswith("iplus-") and path.name.endswith(".json.gz")

    restored = manage("restore_content", str(path), database=tmp_path / "new.sqlite3")
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout
    dumped = manage("dumpdata", *DUMPED, "--natural-foreign", "--natural-primary", database=tmp_path / "new.sqlite3")
    assert dumped.returncode == 0, dumped.stderr
    assert objects(dumped.stdout) == before


def test_restore_asks_before_replacing_a_database_that_holds_content(transactional_db, tmp_path):
    """About 11 s: three restores, each a manage.py process as an operator runs it, without and with a terminal."""
    call_command("load_content", verbosity=0)
    path = take_backup(tmp_path / "backups", "--json")
    target = tmp_path / "site.sqlite3"
    assert manage("restore_content", str(path), database=target).returncode == 0

    refused = manage("restore_content", str(path), database=target)
    assert refused.returncode == 1
    assert "Replace everything in it with the backup? [y/N]" in refused.stdout
    assert "Nothing restored" in refused.stderr
    assert len(list((tmp_path / "backups").iterdir())) == 2  # the backup and its manifest

    replaced = manage("restore_content", str(path), "--yes", database=target)
    assert replaced.returncode == 0, replaced.stderr
    (safety,) = (tmp_path / "backups").glob("before-restore-*.sqlite3")
    assert safety.stat().st_size > 0


def test_restore_brings_back_edited_and_deleted_content(transactional_db, tmp_path, monkeypatch):
    call_command("load_content", verbosity=0)
    path = take_backup(tmp_path, "--json")
    source = Source.objects.first()
    Source.objects.filter(pk=source.pk).update(title="Edited by mistake")
    Sector.objects.all().delete()

    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    with pytest.raises(CommandError, match="Nothing restored"):
        call_command("restore_content", str(path), verbosity=0)
    assert not Sector.objects.exists()

    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    call_command("restore_content", str(path), verbosity=0)
    assert Source.objects.get(slug=source.slug).title == source.title
    assert Sector.objects.count() == 6


@pytest.mark.parametrize("flags", [[], ["--json"]], ids=["site-format", "json"])
def test_backup_change_restore_gives_back_the_same_exports(transactional_db, tmp_path, flags):
    call_command("load_content", verbosity=0)
    before = exports()
    path = take_backup(tmp_path, *flags)
    Source.objects.filter(slug=Source.objects.first().slug).update(title="Edited by mistake")
    Sector.objects.first().delete()
    call_command("restore_content", str(path), "--yes", verbosity=0)
    assert exports() == before


def test_a_manifest_names_the_file_its_checksum_and_its_objects(db, tmp_path):
    call_command("load_content", verbosity=0)
    path = take_backup(tmp_path, "--json")
    manifest = json.loads(path.with_name(path.name + MANIFEST).read_text())
    assert manifest["files"] == {path.name: hashlib.sha256(path.read_bytes()).hexdigest()}
    assert manifest["counts"]["sectors.sector"] == Sector.objects.count() == 6
    assert manifest["counts"]["iplus.source"] == Source.objects.count()


def flip_a_byte(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def edit_the_manifest(path):
    manifest_path = path.with_name(path.name + MANIFEST)
    manifest = json.loads(manifest_path.read_text())
    manifest["counts"]["sectors.sector"] = 7
    manifest["files"][path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    ("flags", "damage", "says"),
    [
        ([], flip_a_byte, "its SHA-256 is "),
        (["--json"], flip_a_byte, "its SHA-256 is "),
        (["--json"], edit_the_manifest, "holds objects other than its manifest counts: sectors.sector 6 (manifest: 7)"),
        (["--json"], lambda path: path.with_name(path.name + MANIFEST).unlink(), "no manifest beside it"),
    ],
    ids=["site-format-byte", "json-byte", "counts", "no-manifest"],
)
def test_a_damaged_backup_is_refused_before_the_database_is_touched(transactional_db, tmp_path, flags, damage, says):
    call_command("load_content", verbosity=0)
    path = take_backup(tmp_path / "backups", *flags)
    Source.objects.filter(slug=Source.objects.first().slug).update(title="Edited after the backup")
    before = exports()
    damage(path)
    with pytest.raises(CommandError) as refused:
        call_command("restore_content", str(path), "--yes", verbosity=0)
    assert says in str(refused.value)
    assert str(refused.value).endswith("nothing restored, the database is unchanged.")
    assert exports() == before
    assert not list((tmp_path / "backups").glob("before-restore-*"))


def test_a_backup_without_a_manifest_restores_when_asked(transactional_db, tmp_path):
    call_command("load_content", verbosity=0)
    path = take_backup(tmp_path, "--json")
    path.with_name(path.name + MANIFEST).unlink()
    Sector.objects.first().delete()
    call_command("restore_content", str(path), "--yes", "--no-manifest", verbosity=0)
    assert Sector.objects.count() == 6
