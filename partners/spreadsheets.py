"""Reading and writing the stakeholder spreadsheet (CSV and XLSX).

One column list serves export and import, and `person_row` is the single way a person becomes a row of
codes: an exported file imported again compares equal row by row, so the round trip shows zero changes.
A file speaks the user's language (headers are the fields' names, values the choices' labels, yes and
no); an import understands the headers and labels of every language of the portal, and the codes and
English column names of the files exported before.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kehila import spreadsheets as core

from .models import (
    Circle,
    Consent,
    Engagement,
    EngagementStage,
    InfluenceKind,
    Level,
    MunicipalRole,
    Person,
    Sector,
)
from .phones import normalise_phone

MAX_BYTES = core.MAX_UPLOAD_BYTES
MAX_ROWS = 10_000

# column -> the model field it shows: the field's verbose_name is the column's header.
FIELDS = {
    "full_name": (Person, "full_name"),
    "email": (Person, "email"),
    "phone": (Person, "phone"),
    "neighbourhood": (Person, "neighbourhood"),
    "title": (Person, "title"),
    "organisations": (Person, "organisations"),
    "is_resident": (Person, "is_resident"),
    "languages": (Person, "languages"),
    "municipal_role": (Person, "municipal_role"),
    "sector": (Engagement, "sector"),
    "circle": (Engagement, "circle"),
    "consent": (Engagement, "consent"),
    "influence_kind": (Engagement, "influence_kind"),
    "influence": (Engagement, "influence"),
    "interest": (Engagement, "interest"),
    "stage": (Engagement, "stage"),
}
COLUMNS = list(FIELDS)

# Hebrew headers a manager's own spreadsheet may use (besides the fields' names).
ALIASES = {
    "שם מלא": "full_name",
    "שם": "full_name",
    'דוא"ל': "email",
    "אימייל": "email",
    "טלפון": "phone",
    "שכונה": "neighbourhood",
    "תפקיד": "title",
    "ארגונים": "organisations",
    "ארגון": "organisations",
    "תושב.ת": "is_resident",
    "תושב": "is_resident",
    "שפות": "languages",
    "מגזר": "sector",
    "מעגל": "circle",
    "הסכמה": "consent",
    "סוג השפעה": "influence_kind",
    "השפעה": "influence",
    "עניין": "interest",
    "שלב": "stage",
}

CHOICES = {
    "municipal_role": MunicipalRole,
    "sector": Sector,
    "circle": Circle,
    "consent": Consent,
    "influence_kind": InfluenceKind,
    "stage": EngagementStage,
    "influence": Level,
    "interest": Level,
}
DEFAULTS = {
    "consent": Consent.PASSIVE,
    "influence_kind": InfluenceKind.FORMAL,
    "influence": str(Level.MEDIUM.value),
    "interest": str(Level.MEDIUM.value),
    "stage": EngagementStage.IDENTIFIED,
}
# Besides "Yes" and "No" in every language (the files exported before wrote yes and no).
TRUE = {"1", "true", "yes", "y", "כן", "v", "✓"}
FALSE = {"", "0", "false", "no", "n", "לא"}


def header(key: str) -> str:
    """The column's header in the active language: its field's name."""
    model, name = FIELDS[key]
    return capfirst(str(model._meta.get_field(name).verbose_name))


def headers() -> list[str]:
    return [header(key) for key in COLUMNS]


def _normal(text: str) -> str:
    """Headers and labels compare without case, underscores, spacing or the kind of Hebrew quote."""
    text = str(text).replace("_", " ").replace("״", '"').replace("׳", "'")
    return " ".join(text.split()).casefold()


def _in_every_language(make) -> list:
    """`make()` once in each of the portal's languages."""
    results = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            results.append(make())
    return results


# The catalogues do not change while the portal runs: the vocabularies are built once.
@functools.cache
def _header_keys() -> dict[str, str]:
    keys = {_normal(key): key for key in COLUMNS}
    for names in _in_every_language(headers):
        for key, name in zip(COLUMNS, names, strict=True):
            keys.setdefault(_normal(name), key)
    for alias, key in ALIASES.items():
        keys.setdefault(_normal(alias), key)
    return keys


@functools.cache
def _choice_codes(kind) -> dict[str, str]:
    codes = {_normal(value): str(value) for value in kind.values}
    for labels in _in_every_language(lambda: [str(label) for label in kind.labels]):
        for value, label in zip(kind.values, labels, strict=True):
            codes.setdefault(_normal(label), str(value))
    return codes


@functools.cache
def _booleans() -> dict[str, str]:
    answers = {_normal(word): "yes" for word in TRUE} | {_normal(word): "no" for word in FALSE}
    for yes, no in _in_every_language(lambda: (core.yes_no(True), core.yes_no(False))):
        answers.setdefault(_normal(yes), "yes")
        answers.setdefault(_normal(no), "no")
    return answers


class ImportFileError(Exception):
    """The file cannot be read as a stakeholder spreadsheet; the message says why, for the uploader."""


# --- cells -----------------------------------------------------------------------------------------


def safe_cell(value) -> str:
    """A cell as the stakeholder files write it (kehila.spreadsheets neutralises formulas)."""
    return str(core.neutralise(value))


def unescape_cell(value) -> str:
    return core.unneutralise(value)


def person_row(person, engagement) -> dict[str, str]:
    """The one way a person becomes a spreadsheet row (export) and the form imported rows compare to."""
    organisations = sorted(a.organisation.name for a in person.affiliations.all())
    row = {
        "full_name": person.full_name,
        "email": person.email,
        "phone": person.phone,
        "neighbourhood": person.neighbourhood,
        "title": person.title,
        "organisations": "; ".join(organisations),
        "is_resident": "yes" if person.is_resident else "no",
        "languages": person.languages,
        "municipal_role": person.municipal_role,
        "sector": "",
        "circle": "",
        "consent": DEFAULTS["consent"],
        "influence_kind": DEFAULTS["influence_kind"],
        "influence": DEFAULTS["influence"],
        "interest": DEFAULTS["interest"],
        "stage": DEFAULTS["stage"],
    }
    if engagement is not None:
        row.update(
            sector=engagement.sector,
            circle=engagement.circle,
            consent=engagement.consent,
            influence_kind=engagement.influence_kind,
            influence=str(engagement.influence),
            interest=str(engagement.interest),
            stage=engagement.stage,
        )
    return {k: str(v) for k, v in row.items()}


# --- reading files ---------------------------------------------------------------------------------


def read_upload(uploaded) -> list[dict[str, str]]:
    """Read an uploaded CSV or XLSX into raw rows keyed by column; raise ImportFileError with a clear
    message for a wrong type, an oversize or inflating file, too many rows, unknown, repeated or missing
    columns (named in the uploader's language)."""
    try:
        table = core.read_table(uploaded, max_rows=MAX_ROWS, max_bytes=MAX_BYTES)
    except core.SpreadsheetError as error:
        raise ImportFileError(str(error)) from error
    table = [row for row in table if any(unescape_cell(c) for c in row)]
    if not table:
        raise ImportFileError(_("The file is empty."))
    keys = [column_key(unescape_cell(h)) for h in table[0]]
    unknown = [unescape_cell(raw) for raw, key in zip(table[0], keys, strict=True) if key is None]
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(columns)s. The columns this import knows are: %(known)s.")
            % {"columns": ", ".join(unknown), "known": ", ".join(headers())}
        )
    repeated = [key for index, key in enumerate(keys) if key in keys[:index]]
    if repeated:
        raise ImportFileError(
            _("The column “%(column)s” appears twice in the file.")
            % {"column": header(repeated[0])}
        )
    if "full_name" not in keys:
        raise ImportFileError(
            _("The file needs a column “%(column)s”.") % {"column": header("full_name")}
        )
    rows = []
    for cells in table[1:]:
        raw = {key: "" for key in keys}
        for key, cell in zip(keys, cells, strict=False):
            raw[key] = unescape_cell(cell)
        rows.append(raw)
    return rows


def column_key(name: str) -> str | None:
    """The column a header names, in any of the portal's languages, or as an old export's code."""
    return _header_keys().get(_normal(name))


# --- checking rows ---------------------------------------------------------------------------------


@dataclass
class RowResult:
    number: int  # 1-based data row number, as the uploader counts them below the header
    raw: dict
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    match_id: int | None = None
    status: str = "new"  # new, update, unchanged, error

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """(column header in the active language, message) for each problem."""
        return [(header(key), message) for key, message in self.errors.items()]


STATUS_LABELS = {
    "new": gettext_lazy("New"),
    "update": gettext_lazy("Update"),
    "unchanged": gettext_lazy("No change"),
    "error": gettext_lazy("Error"),
}


def _choice(kind, text: str) -> str | None:
    """The code of a choice written as its code or its label in any of the portal's languages."""
    return _choice_codes(kind).get(_normal(text))


def clean_row(raw: dict) -> tuple[dict, dict]:
    """Validate one raw row: return cleaned values and {column: message} errors."""
    values, errors = {}, {}
    get = lambda key: (raw.get(key) or "").strip()  # noqa: E731
    values["full_name"] = get("full_name")
    if not values["full_name"]:
        errors["full_name"] = _("A name is required.")
    elif len(values["full_name"]) > 200:
        errors["full_name"] = _("The name is too long.")
    email = get("email").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
    values["email"] = email
    try:
        values["phone"] = normalise_phone(get("phone"))
    except ValidationError as error:
        errors["phone"] = error.messages[0]
        values["phone"] = get("phone")
    for key, limit in (("neighbourhood", 100), ("title", 200), ("languages", 100)):
        values[key] = get(key)[:limit]
    names = [n.strip() for n in get("organisations").replace(",", ";").split(";") if n.strip()]
    values["organisations"] = "; ".join(sorted(dict.fromkeys(names)))
    resident = _booleans().get(_normal(get("is_resident")))
    if resident is None:
        errors["is_resident"] = _("Write yes or no.")
    values["is_resident"] = resident or ""
    for key, kind in CHOICES.items():
        if kind is Level:
            continue
        text = get(key)
        if not text:
            values[key] = DEFAULTS.get(key, "")
            continue
        value = _choice(kind, text)
        if value is None:
            errors[key] = _("Unknown value “%(value)s”.") % {"value": text}
        values[key] = value or ""
    for key in ("influence", "interest"):
        text = get(key) or DEFAULTS[key]
        value = _choice(Level, text)
        if value is None:
            errors[key] = _("Write 1, 2 or 3 (low, medium, high).")
        values[key] = value or ""
    return values, errors


def analyse(raw_rows: list[dict], existing: list[tuple[int, dict]]) -> list[RowResult]:
    """Check every row and compare with the municipality's people (`existing`: (pk, person_row)).

    A row matches an existing person by e-mail or by normalised phone; two rows of the file that name
    the same e-mail or phone are an error on the later row, and so is a row matching two people."""
    by_email = {row["email"]: pk for pk, row in existing if row["email"]}
    by_phone = {row["phone"]: pk for pk, row in existing if row["phone"]}
    current = dict(existing)
    seen_email: dict[str, int] = {}
    seen_phone: dict[str, int] = {}
    results = []
    for index, raw in enumerate(raw_rows, start=1):
        values, errors = clean_row(raw)
        result = RowResult(number=index, raw=raw, values=values, errors=errors)
        email, phone = values.get("email"), values.get("phone")
        if email and "email" not in errors:
            if email in seen_email:
                errors["email"] = _("The same e-mail as row %(row)s.") % {"row": seen_email[email]}
            else:
                seen_email[email] = index
        if phone and "phone" not in errors:
            if phone in seen_phone:
                errors["phone"] = _("The same phone as row %(row)s.") % {"row": seen_phone[phone]}
            else:
                seen_phone[phone] = index
        matches = {by_email.get(email) if email else None, by_phone.get(phone) if phone else None}
        matches.discard(None)
        if len(matches) > 1:
            errors["email"] = _("The e-mail and the phone belong to two different people.")
        elif matches:
            result.match_id = matches.pop()
        if errors:
            result.status = "error"
        elif result.match_id is None:
            result.status = "new"
        elif current[result.match_id] == values:
            result.status = "unchanged"
        else:
            result.status = "update"
        results.append(result)
    return results


# --- writing files ---------------------------------------------------------------------------------


def display_row(row: dict) -> list[str]:
    """A row of codes (`person_row`) as the file shows it in the active language: choices by their
    labels, yes and no; a blank choice stays blank."""
    cells = []
    for key in COLUMNS:
        value = row[key]
        if key in CHOICES and value != "":
            labels = {str(code): label for code, label in CHOICES[key].choices}
            value = str(labels.get(value, value))
        elif key == "is_resident":
            value = core.yes_no(value == "yes")
        cells.append(value)
    return cells


def _table(rows: list[dict]) -> list[list[str]]:
    return [headers(), *(display_row(row) for row in rows)]


def write_csv(rows: list[dict]) -> bytes:
    return core.write_csv(_table(rows))


def write_xlsx(rows: list[dict]) -> bytes:
    title = capfirst(str(Person._meta.verbose_name_plural))
    return core.write_xlsx([core.Sheet(title=title, rows=_table(rows))])
