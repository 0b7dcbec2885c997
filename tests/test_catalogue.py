"""The Chinese catalogue is complete: no untranslated or fuzzy entry, and no string in the code it lacks."""

import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
SOURCES = ["iplus", "publishing", "sectors", "critiques", "templates", "manage.py"]


def statistics(po):
    """msgfmt's count, e.g. "512 translated messages." (it adds the fuzzy and untranslated ones when there are any)."""
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stderr.strip()


def test_every_entry_is_translated_and_none_is_fuzzy():
    report = statistics(CATALOGUE)
    assert "translated message" in report
    assert "fuzzy" not in report and "untranslated" not in report, report


def test_the_catalogue_has_every_string_of_the_code(tmp_path):
    # makemessages into a copy of the project: a string the catalogue lacks comes in untranslated.
    base = Path(settings.BASE_DIR)
    for name in SOURCES:
        source = base / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, tmp_path / name)
    shutil.copytree(base / "locale", tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SECRET_KEY": "catalogue-check", "DJANGO_DEBUG": "1", "PYTHONPATH": str(tmp_path)}
    command = [sys.executable, "manage.py", "makemessages", "--locale=zh_Hans", "--no-obsolete", "--verbosity=0"]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    report = statistics(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert "fuzzy" not in report and "untranslated" not in report, f"run `make catalogue` and translate: {report}"
