"""Every user-visible string has its Indonesian translation, compiled and current."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parents[2]
PO_PATH = BASE_DIR / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
# Every app of the project, the wiring and the templates: a new app is included by itself.
SOURCE_DIRS = sorted(
    {path.parent.name for path in BASE_DIR.glob("*/apps.py")} | {"katingan_sosmed", "templates"}
)


def missing(po: polib.POFile) -> list[str]:
    return [
        entry.msgid
        for entry in po
        if not entry.obsolete and (entry.fuzzy or not entry.translated())
    ]


def test_every_catalogued_string_is_translated():
    assert missing(polib.pofile(str(PO_PATH))) == []


def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    """Re-extract the strings from a copy of the sources; nothing new may appear."""
    for name in SOURCE_DIRS:
        shutil.copytree(
            BASE_DIR / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copytree(BASE_DIR / "locale", tmp_path / "locale")
    shutil.copy(BASE_DIR / "manage.py", tmp_path / "manage.py")
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_DEBUG": "True",
        "DJANGO_READ_DOT_ENV": "False",
        "VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--ignore=var"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    extracted = polib.pofile(str(tmp_path / "locale" / "id" / "LC_MESSAGES" / "django.po"))
    assert missing(extracted) == []


def test_compiled_catalogue_matches_the_source():
    # Keyed by context too: "Replied" is one string on the board and another elsewhere.
    po = {
        (entry.msgctxt, entry.msgid): entry.msgstr
        for entry in polib.pofile(str(PO_PATH))
        if entry.translated()
    }
    mo = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in polib.mofile(str(MO_PATH))}
    assert {k: v for k, v in po.items() if k[1]} == {k: v for k, v in mo.items() if k[1]}
