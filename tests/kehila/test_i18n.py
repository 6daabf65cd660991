"""Hebrew first, Arabic beside it: every UI string of the portal must have a Hebrew and an Arabic translation. The strings are extracted
afresh from a copy of the source, so a string added without a translation fails here, not in production."""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from tests.kehila.glossary import GLOSSARY, GLOSSARY_EXEMPT

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")
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


# The languages whose catalogues must be complete (English is the source language).
TRANSLATED = ("he", "ar")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """A copy of the source with every catalogue extracted afresh (once for the module's tests)."""
    tmp = tmp_path_factory.mktemp("i18n")
    copy = tmp / "src"
    shutil.copytree(ROOT, copy, ignore=lambda d, names: [n for n in names if n in SKIP])
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "he",
            "-l",
            "ar",
            "--no-obsolete",
            "-v",
            "0",
        ],
        cwd=copy,
        check=True,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(copy),
            "KEHILA_VAR_DIR": str(tmp / "var"),
        },
    )
    return copy


def _nplurals(po_text: str) -> int:
    return int(re.search(r"nplurals=(\d+)", po_text).group(1))


def untranslated(po_text: str) -> list[str]:
    """The msgids of a catalogue that are fuzzy, empty, or lack one of the language's plural forms."""
    nplurals = _nplurals(po_text)
    problems = []
    for fields, fuzzy in _entries(po_text):
        translated = [v for k, v in fields.items() if k.startswith("msgstr")]
        forms = len(translated) if "msgid_plural" in fields else nplurals
        if fuzzy or not all(translated) or forms != nplurals:
            problems.append(fields["msgid"])
    return problems


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_ui_string_has_a_translation(extracted, language):
    problems = [
        f"{po.relative_to(extracted)}: {msgid!r}"
        for po in sorted(extracted.glob(f"**/locale/{language}/LC_MESSAGES/django.po"))
        for msgid in untranslated(po.read_text(encoding="utf-8"))
    ]
    assert not problems, f"untranslated or fuzzy {language} strings:\n" + "\n".join(problems)


def _msgids(po_text: str) -> set[str]:
    return {fields["msgid"] for fields, _fuzzy in _entries(po_text)}


def _sources(catalogue: str, root: Path = ROOT) -> str:
    """The code a catalogue is extracted from: an app's own directory, or kehila and the templates for
    the root one; migrations left out (their verbose names are copies)."""
    app = catalogue.split("/locale/")[0] if not catalogue.startswith("locale/") else None
    dirs = [root / app] if app else [root / "kehila", root / "templates"]
    return "\n".join(
        path.read_text(encoding="utf-8")
        for d in dirs
        for pattern in ("**/*.py", "**/*.html", "**/*.txt")
        for path in d.glob(pattern)
        if "migrations" not in path.parts
    )


def unextracted(committed: str, extracted: str, code: str) -> list[str]:
    """Translated strings the code still writes that a fresh extraction no longer finds: marked with a
    function makemessages does not know (a translation function imported under another name)."""
    dropped = _msgids(committed) - _msgids(extracted)
    # Phrases only: a single word ("planned", "municipality") is as often a field's name in the code.
    return sorted(m for m in dropped if " " in m and (f'"{m}"' in code or f"'{m}'" in code))


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_the_code_marks_is_extracted_again(extracted, language):
    """`make messages` extracts with --no-obsolete: a string makemessages cannot see would lose its
    translation at the next extraction and show in English."""
    lost = [
        f"{name}: {msgid!r}"
        for name, text in catalogues(language).items()
        if (extracted / name).exists()
        for msgid in unextracted(
            text, (extracted / name).read_text(encoding="utf-8"), _sources(name)
        )
    ]
    assert not lost, f"{language} strings a fresh extraction drops:\n" + "\n".join(lost)


def test_the_extraction_check_finds_a_string_marked_under_another_name():
    committed = 'msgid "It was saved."\nmsgstr "נשמר."\n\nmsgid "It is gone."\nmsgstr "נעלם."\n'
    code = 'from django.utils.translation import gettext_lazy as _l\nDONE = _l("It was saved.")\n'
    assert unextracted(committed, "", code) == ["It was saved."]  # the other is merely obsolete
    assert unextracted(committed, committed, code) == []


def test_an_untranslated_or_short_of_plural_forms_entry_is_found():
    header = 'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=6; plural=0;\\n"\n\n'
    complete = (
        header
        + 'msgid "Save"\nmsgstr "احفظ"\n\nmsgid "%(n)s day"\nmsgid_plural "%(n)s days"\n'
        + "".join(f'msgstr[{i}] "%(n)s يوم"\n' for i in range(6))
    )
    assert untranslated(complete) == []
    empty = header + 'msgid "Save"\nmsgstr ""\n'
    two_forms = (
        header + 'msgid "%(n)s day"\nmsgid_plural "%(n)s days"\nmsgstr[0] "a"\nmsgstr[1] "b"\n'
    )
    assert untranslated(empty) == ["Save"]
    assert untranslated(two_forms) == ["%(n)s day"]


def catalogues(language: str, root: Path = ROOT) -> dict[str, str]:
    """Every committed catalogue of `language`: the root one (kehila and templates) and each app's."""
    return {
        str(po.relative_to(root)): po.read_text(encoding="utf-8")
        for pattern in (
            f"locale/{language}/LC_MESSAGES/django.po",
            f"*/locale/{language}/LC_MESSAGES/django.po",
        )
        for po in sorted(root.glob(pattern))
    }


def conflicts(texts: dict[str, str]) -> list[str]:
    """(msgctxt, msgid) pairs translated differently in two catalogues. Django merges every app's
    catalogue into one, so only one of the translations would ever be shown, on every page."""
    seen: dict[tuple, dict[str, tuple]] = {}
    for name, text in texts.items():
        for fields, _fuzzy in _entries(text):
            key = (fields.get("msgctxt"), fields["msgid"])
            seen.setdefault(key, {})[name] = tuple(
                v for k, v in sorted(fields.items()) if k.startswith("msgstr")
            )
    return [f"{key}: {where}" for key, where in seen.items() if len(set(where.values())) > 1]


@pytest.mark.parametrize("language", TRANSLATED)
def test_one_word_one_meaning_no_msgid_is_translated_differently_in_two_catalogues(language):
    found = conflicts(catalogues(language))
    assert not found, "give each meaning its own pgettext context:\n" + "\n".join(found)


def test_the_conflict_check_finds_a_word_translated_two_ways_and_respects_contexts():
    partners = 'msgid "Title"\nmsgstr "תפקיד"\n'
    committees = 'msgid "Title"\nmsgstr "כותרת"\n'
    assert len(conflicts({"partners": partners, "committees": committees})) == 1
    with_context = 'msgctxt "job title"\nmsgid "Title"\nmsgstr "תפקיד"\n'
    assert conflicts({"partners": with_context, "committees": committees}) == []
    assert conflicts({"a": committees, "b": committees}) == []


def glossary_violations(texts: dict[str, str], language: str) -> list[str]:
    column = {"he": 2, "ar": 4}[language]
    problems = []
    for name, text in texts.items():
        for fields, _fuzzy in _entries(text):
            english = " ".join(v for k, v in fields.items() if k in ("msgid", "msgid_plural"))
            if fields["msgid"] in GLOSSARY_EXEMPT:
                continue
            # "%(meeting)s" is a name put in, not the word "meeting".
            english = PLACEHOLDER.sub("", english)
            for row in GLOSSARY:
                concept, pattern, stems, rejected = row[0], row[1], row[column], row[column + 1]
                if not re.search(pattern, english, re.I):
                    continue
                for k, value in fields.items():
                    if not k.startswith("msgstr") or not value:
                        continue
                    if not any(stem in value for stem in stems):
                        problems.append(
                            f"{name}: {english!r} -> {value!r}: {concept} is {stems[0]}"
                        )
                    for word in rejected:
                        if re.search(word, value):
                            problems.append(
                                f"{name}: {english!r} -> {value!r}: not {word} for {concept}"
                            )
    return problems


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogues_keep_the_glossary(language):
    found = glossary_violations(catalogues(language), language)
    assert not found, "\n".join(found)


def test_the_glossary_check_finds_a_rejected_synonym_and_a_missing_term():
    assert glossary_violations({"x": 'msgid "Tracks"\nmsgstr "אפיקים"\n'}, "he") == []
    assert glossary_violations({"x": 'msgid "Tracks"\nmsgstr "مسارات"\n'}, "ar") == []
    wrong = glossary_violations({"x": 'msgid "Tracks"\nmsgstr "מסלולים"\n'}, "he")
    assert len(wrong) == 2  # the term is missing and the rejected synonym is there
    assert glossary_violations({"x": 'msgid "The meeting"\nmsgstr "الجلسة"\n'}, "ar")
    # A verb that merely contains a rejected noun is not a synonym.
    brings = (
        'msgid "The design committee brings the meetings"\nmsgstr "הוועדה המעצבת מפגישה במפגשים"\n'
    )
    assert glossary_violations({"x": brings}, "he") == []


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


def test_the_portal_speaks_arabic_right_to_left_on_request(db):
    client = Client()
    client.cookies["django_language"] = "ar"
    arabic = client.get("/accounts/login/").content.decode()
    assert 'lang="ar" dir="rtl"' in arabic
    assert "تسجيل الدخول" in arabic
    # The language switcher offers all three, each named in its own language.
    assert (
        'value="ar" lang="ar" selected>العربيّة' in arabic
        or 'value="ar" lang="ar" selected>' in arabic
    )
    assert 'value="he" lang="he"' in arabic and 'value="en" lang="en"' in arabic


def test_the_compiled_arabic_catalogue_is_loaded_and_one_word_keeps_one_meaning():
    with translation.override("ar"):
        assert translation.gettext("Stakeholders") == "أصحاب المصلحة"
        assert translation.gettext("Track") == "المسار"
    with translation.override("he"):
        # A meeting's title is a heading; a person's title is their job.
        assert translation.gettext("Title") == "כותרת"
        assert translation.pgettext("job title", "Title") == "תפקיד"
        assert translation.gettext("Track") == "אפיק"
