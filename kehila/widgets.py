"""A picker for choosing one (or a few) of thousands: a select that carries only what is chosen.

With JavaScript, the page draws the <select> with the chosen options alone and a `data-search-url`;
static/js/picker.js turns it into a Tom Select combobox that asks the search endpoint (20 at a time) as
the user types.

Without JavaScript the same HTML is a working form, by the simplest pattern that needs no second page:
beside the select (which keeps the current choice, or lets the user clear it) the widget draws a plain
text box, `<name>__find`, labelled "Or type a name". picker.js removes that box when it sets up the
combobox, so only one of the two is ever sent. On submit the field (use_picker gives it
`PickerFieldMixin`) looks a typed name up in its own queryset, by the rule the search endpoints use
(kehila.search.text_filter, every word):
- one match (or exactly one whose name is the text typed) is chosen, as if it had been picked;
- several re-render the form with an error listing them, and the select then offers exactly those
  matches (at most 20), so the user chooses one and sends the form again;
- none is an error that says so.
A value posted under the field's own name is an id, or else a name looked up the same way, so a
script or a test may post either. The form still validates on the server against its field's queryset
(the municipality's rows), so a value from another municipality, typed or forged, is refused however
it arrives: a name is only ever searched inside that queryset."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from .search import PICKER_LIMIT, text_filter

FIND_SUFFIX = "__find"
# Names typed for a multiple picker: separated by commas (Latin, Arabic) or semicolons.
_SEPARATORS = re.compile(r"[,;\u060c]")
_LISTED = 10  # matches named in the error message; the select offers up to PICKER_LIMIT


class Typed(str):
    """A name typed into the fallback box: always looked up, even if it is made of digits."""


class _PickerMixin:
    search_url: str = ""
    template_name = "kehila/widgets/picker.html"

    def __init__(self, attrs=None, *, search_url: str = "", placeholder=None, search_fields=()):
        super().__init__(attrs)
        self.search_url = search_url
        self.placeholder = placeholder
        self.search_fields = tuple(search_fields)
        self.candidates: list[tuple[str, str]] = []  # set by the field when a name matched several

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.search_url, copy.placeholder = self.search_url, self.placeholder
        copy.search_fields, copy.candidates = self.search_fields, []
        return copy

    def _chosen_choices(self, values):
        """Only the options for `values`: one query by primary key, never the whole queryset."""
        values = [v for v in values if v not in ("", None)]
        choices = self.choices
        if not isinstance(choices, ModelChoiceIterator):
            return [(v, label) for v, label in choices if str(v) in values or v == ""]
        field = choices.field
        chosen = []
        if field.empty_label is not None and not self.allow_multiple_selected:
            chosen.append(("", field.empty_label))
        if values:
            key = field.to_field_name or "pk"
            wanted = [v for v in values if str(v).isdigit()] if key == "pk" else values
            if wanted:
                chosen += [
                    choices.choice(o) for o in choices.queryset.filter(**{f"{key}__in": wanted})
                ]
        return chosen

    def optgroups(self, name, value, attrs=None):
        chosen = self._chosen_choices(value)
        drawn = {str(v) for v, _label in chosen}
        chosen += [(v, label) for v, label in self.candidates if v not in drawn]
        full, self.choices = self.choices, chosen
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = full

    def value_from_datadict(self, data, files, name):
        chosen = super().value_from_datadict(data, files, name)
        typed = (data.get(name + FIND_SUFFIX) or "").strip()
        if not typed:
            return chosen
        if self.allow_multiple_selected:
            names = [Typed(t.strip()) for t in _SEPARATORS.split(typed) if t.strip()]
            return [*(chosen or []), *names]
        return Typed(typed)

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and (
            name + FIND_SUFFIX not in data
        )

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-search-url"] = self.search_url
        attrs["data-placeholder"] = str(self.placeholder or _("Type a name to search"))
        attrs["data-no-results"] = str(_("No one found"))
        attrs["data-loading"] = str(_("Searching…"))
        return attrs

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"]["find"] = {
            "name": name + FIND_SUFFIX,
            "id": widget_id + FIND_SUFFIX,
            "group_id": widget_id + "-find",
            "label": (
                _("Or type names to add, separated by commas")
                if self.allow_multiple_selected
                else _("Or type a name to choose")
            ),
        }
        return context

    class Media:
        css = {"all": ["vendor/tom-select/css/tom-select.bootstrap5.min.css"]}
        js = ["vendor/tom-select/js/tom-select.base.min.js", "js/picker.js"]


class SearchSelect(_PickerMixin, forms.Select):
    """One of many: the chosen option only, the rest found through `search_url`."""


class SearchSelectMultiple(_PickerMixin, forms.SelectMultiple):
    """A few of many: the chosen options only, more found through `search_url`."""


# --- the field's side: a typed name becomes the row it names ---------------------------------------


def _default_search_fields(model) -> tuple[str, ...]:
    """The columns a name is looked up in: a user's names, else a person's full name or a name."""
    if model is get_user_model():
        return ("first_name", "last_name", "username")
    names = {f.name for f in model._meta.get_fields()}
    return next(((f,) for f in ("full_name", "name") if f in names), ())


# Shown beside a match's name in the select after a name matched several, so namesakes differ.
_DETAILS = ("title", "neighbourhood", "username")


def _describe(field, obj) -> str:
    label = str(field.label_from_instance(obj))
    details = [
        str(getattr(obj, name))
        for name in _DETAILS
        if hasattr(obj, name) and getattr(obj, name) and str(getattr(obj, name)) != label
    ]
    return " · ".join([label, *details])


def _normal(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _is_key(field, raw) -> bool:
    if isinstance(raw, Typed):
        return False
    if not hasattr(field, "queryset"):
        return str(raw) in {str(v) for v, _label in field.choices}
    if field.to_field_name:
        return True
    try:
        field.queryset.model._meta.pk.to_python(raw)
    except ValidationError:
        return False
    return True


def _matches(field, text: str) -> list[tuple[str, str]]:
    """(value, label) of the rows of the field's own queryset that `text` names, best first."""
    if not hasattr(field, "queryset"):
        words = _normal(text).split()
        found = [
            (str(v), str(label))
            for v, label in field.choices
            if v not in ("", None) and all(w in _normal(label) for w in words)
        ]
        exact = [m for m in found if _normal(m[1]) == _normal(text)]
        return exact if len(exact) == 1 else found[: PICKER_LIMIT + 1]
    fields = field.widget.search_fields or _default_search_fields(field.queryset.model)
    rows = list(text_filter(field.queryset.defer(None), fields, text)[: PICKER_LIMIT + 1])
    exact = [r for r in rows if _normal(field.label_from_instance(r)) == _normal(text)]
    if len(exact) == 1:
        rows = exact
    key = field.to_field_name or "pk"
    return [(str(getattr(r, key)), _describe(field, r)) for r in rows]


def _resolve(field, value):
    """`value` with every name replaced by the value of the one row it names, or ValidationError."""
    multiple = isinstance(value, list | tuple)
    raws = list(value) if multiple else [value]
    resolved, errors, candidates = [], [], []
    for raw in raws:
        if raw in (None, "") or _is_key(field, raw):
            resolved.append(raw)
            continue
        text = " ".join(str(raw).split())
        found = _matches(field, text)
        if len(found) == 1:
            resolved.append(found[0][0])
        elif not found:
            errors.append(
                ValidationError(
                    _("Nothing matches “%(text)s”."), code="no_match", params={"text": text}
                )
            )
        else:
            candidates += found[:PICKER_LIMIT]
            names = ", ".join(label for _v, label in found[:_LISTED])
            if len(found) > _LISTED:
                names += ", …"
            errors.append(
                ValidationError(
                    _(
                        "Several match “%(text)s”: %(names)s. Choose one in the list, "
                        "or type more of the name."
                    ),
                    code="ambiguous",
                    params={"text": text, "names": names},
                )
            )
    field.widget.candidates = candidates
    if errors:
        raise ValidationError(errors)
    if multiple:
        return [r for r in resolved if r not in (None, "")]
    return resolved[0]


class PickerFieldMixin:
    """A choice field whose value may be a name (the picker's fallback without JavaScript)."""

    def clean(self, value):
        return super().clean(_resolve(self, value))


_PICKER_FIELDS: dict[type, type] = {}


def _picker_field_class(cls: type) -> type:
    if issubclass(cls, PickerFieldMixin):
        return cls
    if cls not in _PICKER_FIELDS:
        _PICKER_FIELDS[cls] = type(f"Picker{cls.__name__}", (PickerFieldMixin, cls), {})
    return _PICKER_FIELDS[cls]


def use_picker(field, search_url: str, *, placeholder=None, search_fields=()) -> None:
    """Give a form's (model) choice field the picker, searching `search_url`. Forms call it in __init__
    once they know the municipality, which the endpoint's URL names. `search_fields` are the columns a
    name typed without JavaScript is looked up in (by default the model's name columns)."""
    multiple = isinstance(field.widget, forms.SelectMultiple)
    widget_class = SearchSelectMultiple if multiple else SearchSelect
    widget = widget_class(
        field.widget.attrs,
        search_url=search_url,
        placeholder=placeholder,
        search_fields=search_fields,
    )
    widget.choices = field.choices
    widget.is_required = field.widget.is_required
    field.widget = widget
    # The field's own class, able to read a name: this form field instance only (forms copy theirs).
    field.__class__ = _picker_field_class(type(field))
