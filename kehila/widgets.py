"""A picker for choosing one (or a few) of thousands: a select that carries only what is chosen.

The page draws the <select> with the chosen options alone and a `data-search-url`; static/js/picker.js
turns it into a Tom Select combobox that asks the search endpoint (20 at a time) as the user types. The form
still validates on the server against its field's queryset (the municipality's rows), so a value from
another municipality, typed or forged, is refused however it arrives."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _


class _PickerMixin:
    search_url: str = ""

    def __init__(self, attrs=None, *, search_url: str = "", placeholder=None):
        super().__init__(attrs)
        self.search_url = search_url
        self.placeholder = placeholder

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.search_url, copy.placeholder = self.search_url, self.placeholder
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
        full, self.choices = self.choices, self._chosen_choices(value)
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = full

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-search-url"] = self.search_url
        attrs["data-placeholder"] = str(self.placeholder or _("Type a name to search"))
        attrs["data-no-results"] = str(_("No one found"))
        attrs["data-loading"] = str(_("Searching…"))
        return attrs

    class Media:
        css = {"all": ["vendor/tom-select/css/tom-select.bootstrap5.min.css"]}
        js = ["vendor/tom-select/js/tom-select.base.min.js", "js/picker.js"]


class SearchSelect(_PickerMixin, forms.Select):
    """One of many: the chosen option only, the rest found through `search_url`."""


class SearchSelectMultiple(_PickerMixin, forms.SelectMultiple):
    """A few of many: the chosen options only, more found through `search_url`."""


def use_picker(field, search_url: str, *, placeholder=None) -> None:
    """Give a form's (model) choice field the picker, searching `search_url`. Forms call it in __init__
    once they know the municipality, which the endpoint's URL names."""
    multiple = isinstance(field.widget, forms.SelectMultiple)
    widget_class = SearchSelectMultiple if multiple else SearchSelect
    widget = widget_class(field.widget.attrs, search_url=search_url, placeholder=placeholder)
    widget.choices = field.choices
    widget.is_required = field.widget.is_required
    field.widget = widget
