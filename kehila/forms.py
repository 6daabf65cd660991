"""The kehila app's forms, and what every app's forms share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import scheduling
from . import timeline as engine
from .models import Milestone, Track
from .rows import date_formatter


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form that asked for the change: each field's errors beside the
    field of that name, the rest (a whole-change refusal, a field the form does not draw) above the form.

    The errors keep their codes and parameters, so `form.has_error(field, code)` still answers."""
    errors = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
    for field, field_errors in errors.items():
        form.add_error(field if field in form.fields else None, field_errors)


# --- the timeline ------------------------------------------------------------------------------------


class ScopeDecisionForm(forms.Form):
    decided_on = forms.DateField(
        label=_("Date of the scope decision"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the steering committee decided the scope: the plan starts here."),
    )
    tracks = forms.MultipleChoiceField(
        label=_("Chosen tracks"),
        choices=Track.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class SlipThresholdForm(forms.Form):
    slip_alert_days = forms.IntegerField(
        label=_("Days of slip that raise an alarm"),
        min_value=1,
        max_value=365,
        help_text=_("A milestone late by fewer days is shown as a minor slip, not an alarm."),
    )


class RescheduleForm(forms.Form):
    ACTIONS = [
        ("pin", _("Set a new planned date")),
        ("hold", _("Record the day it took place")),
    ]
    milestone = forms.ChoiceField(label=_("Milestone"))
    action = forms.ChoiceField(
        label=_("What to record"), choices=ACTIONS, widget=forms.RadioSelect, initial="pin"
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, milestones: list[Milestone], **kwargs):
        super().__init__(*args, **kwargs)
        short = date_formatter()
        self.fields["milestone"].choices = [
            (m.key, f"{m.title} ({short(m.planned)})")
            for m in milestones
            if m.key != "scope_decision" and m.status != Milestone.Status.CANCELLED
        ]

    def clean(self):
        data = super().clean()
        if (
            data.get("action") == "hold"
            and data.get("date")
            and data["date"] > timezone.localdate()
        ):
            self.add_error("date", gettext("A milestone cannot have taken place in the future."))
        return data


def _offset_row(name: str, default: engine.Offset, current: dict[str, engine.Offset]) -> dict:
    after = engine.RULES[name].after or ""
    return {
        "name": name,
        "title": scheduling.rule_title(name),
        "after": scheduling.rule_title(after) if after else "",
        "default": default,
        "changed": name in current,
    }


class OffsetsForm(forms.Form):
    """Months and days per rule; starts from the program's overrides, else the defaults."""

    def __init__(self, *args, current: dict[str, engine.Offset], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for name, default in engine.DEFAULT_OFFSETS.items():
            value = current.get(name, default)
            self.fields[f"{name}-months"] = forms.IntegerField(
                label=_("Months"), min_value=0, max_value=24, initial=value.months
            )
            self.fields[f"{name}-days"] = forms.IntegerField(
                label=_("Days"), min_value=0, max_value=365, initial=value.days
            )
            self.rows.append(_offset_row(name, default, current))

    def bound_rows(self):
        for row in self.rows:
            yield {
                **row,
                "months": self[f"{row['name']}-months"],
                "days": self[f"{row['name']}-days"],
                "errors": [
                    *self.errors.get(f"{row['name']}-months", []),
                    *self.errors.get(f"{row['name']}-days", []),
                ],
            }

    def offsets(self) -> dict[str, tuple[int, int]]:
        data = self.cleaned_data
        return {
            row["name"]: (data[f"{row['name']}-months"], data[f"{row['name']}-days"])
            for row in self.rows
        }


COMMUNITY_LABELS = {
    "jewish": _("Jewish"),
    "muslim": _("Muslim"),
    "christian": _("Christian"),
    "druze": _("Druze"),
}
# Sunday first, as an Israeli week is read; values are Python's weekday numbers (Monday is 0).
WEEKDAY_CHOICES = [
    (6, _("Sunday")),
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
]
AVOID_LABELS = {
    "avoid_holiday_eves": _("Holiday eves (Rosh Hashanah, Yom Kippur, Pesach, Shavuot, Sukkot)"),
    "avoid_chol_hamoed": _("Chol HaMoed Pesach and Sukkot"),
    "avoid_remembrance_day": _("Remembrance Day"),
    "avoid_holocaust_remembrance_day": _("Holocaust Remembrance Day"),
    "avoid_tisha_bav": _("Tisha B'Av"),
}


class CalendarForm(forms.Form):
    communities = forms.MultipleChoiceField(
        label=_("Communities whose holidays the timeline keeps free"),
        choices=list(COMMUNITY_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Public holidays are always kept free. Muslim: Eid al-Fitr and Eid al-Adha with their "
            "eves. Christian: Christmas and Easter, Western and Orthodox. Druze: Eid al-Adha and "
            "the festival of Nabi Shu'ayb."
        ),
    )
    work_week = forms.TypedMultipleChoiceField(
        label=_("Work week"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field_name, label in AVOID_LABELS.items():
            self.fields[field_name] = forms.BooleanField(label=label, required=False)

    def avoid(self) -> set[str]:
        return {
            kind
            for field_name, kind in scheduling.AVOID_FIELDS.items()
            if self.cleaned_data[field_name]
        }

    @classmethod
    def initial_for(cls, municipality) -> dict:
        return {
            "communities": municipality.calendar_communities,
            "work_week": municipality.work_week,
            **{name: getattr(municipality, name) for name in scheduling.AVOID_FIELDS},
        }
