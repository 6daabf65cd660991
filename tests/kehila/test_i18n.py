"""Hebrew first: every UI string of the portal must have a Hebrew translation. The strings are extracted
afresh from a copy of the source, so a string added without a translation fails here, not in production."""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.test import Client
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", "var", ".git", "staticfiles", "tests", "bench", ".ruff_cache"}


def _entries(po_text: str):
    for block in po_text.split("\n\n"):
        if "msgid" not in block:
            continue
        fuzzy = re.search(r"^#,.*\bfuzzy\b", block, re.M) is not None
        fields = {}
        current = None
        for line in block.splitlines():
            m = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (\".*\")$", line)
            if m:
                current = m.group(1)
                fields[current] = ast.literal_eval(m.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if fields.get("msgid"):
            yield fields, fuzzy


def test_every_ui_string_has_a_hebrew_translation(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=lambda d, names: [n for n in names if n in SKIP])
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "he", "--no-obsolete", "-v", "0"],
        cwd=copy,
        check=True,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(copy),
            "KEHILA_VAR_DIR": str(tmp_path / "var"),
        },
    )
    problems = []
    for po in sorted(copy.glob("**/locale/he/LC_MESSAGES/django.po")):
        for fields, fuzzy in _entries(po.read_text(encoding="utf-8")):
            translated = [v for k, v in fields.items() if k.startswith("msgstr")]
            if fuzzy or not all(translated):
                problems.append(f"{po.relative_to(copy)}: {fields['msgid']!r}")
    assert not problems, "untranslated or fuzzy Hebrew strings:\n" + "\n".join(problems)


def test_the_portal_speaks_hebrew_by_default_and_english_on_request(db):
    client = Client()
    hebrew = client.get("/accounts/login/").content.decode()
    assert 'lang="he" dir="rtl"' in hebrew
    assert "כניסה" in hebrew
    client.cookies["django_language"] = "en"
    english = client.get("/accounts/login/").content.decode()
    assert 'lang="en" dir="ltr"' in english
    assert "Log in" in english


def test_the_compiled_hebrew_catalogue_is_loaded():
    with translation.override("he"):
        assert translation.gettext("Stakeholders") == "בעלי עניין"


def test_hebrew_stays_first_even_when_the_browser_asks_for_english(db):
    page = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/accounts/login/").content.decode()
    assert 'lang="he" dir="rtl"' in page
