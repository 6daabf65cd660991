"""The live session's forms: each facilitator's move and each phone's is one small form, checked here and
carried out by live.services (which checks the session's own rules again)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partners.models import Person

from .models import ITEM_MAX_LENGTH, Item, LiveSession
from .services import FOCUS_COUNT, MAX_DOTS, PHASE_ORDER

SEED_CHOICES = [
    ("", _("An empty board")),
    ("mapping", _("The challenges found so far (all-managers meetings, focus challenges)")),
    ("initiatives", _("The hackathon's initiatives")),
    ("list", _("A list I write below")),
]


class OpenForm(forms.Form):
    note_taker = forms.CharField(
        label=_("Note-taker"),
        max_length=200,
        help_text=_("Named before the discussion: their notes flow into the minutes draft."),
    )
    question = forms.CharField(
        label=_("Guiding question"),
        max_length=500,
        required=False,
        help_text=_("Shown on the board and on every phone. Empty: the agenda's first question."),
    )
    seeds = forms.ChoiceField(label=_("Start from"), choices=SEED_CHOICES, required=False)
    seed_list = forms.CharField(
        label=_("Items to start from, one per line"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("seeds") == "list" and not (data.get("seed_list") or "").strip():
            self.add_error(
                "seed_list", _("Write the items, one per line, or start from an empty board.")
            )
        return data


class SettingsForm(forms.Form):
    question = forms.CharField(label=_("Guiding question"), max_length=500, required=False)
    joining_open = forms.BooleanField(label=_("Joining is open"), required=False)
    show_authors = forms.BooleanField(
        label=_("Show who wrote each item on the board"), required=False
    )
    totals_live = forms.BooleanField(label=_("Show the totals while voting"), required=False)
    speaker_seconds = forms.IntegerField(
        label=_("Seconds per speaker"), min_value=15, max_value=1800
    )


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(
        label=pgettext_lazy("live session", "Phase"),
        choices=[(p.value, p.label) for p in PHASE_ORDER],
    )
    dots = forms.IntegerField(
        label=_("Dots per participant"), min_value=1, max_value=MAX_DOTS, required=False
    )


class ItemForm(forms.Form):
    text = forms.CharField(
        label=_("Your item"),
        max_length=ITEM_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": ITEM_MAX_LENGTH}),
        help_text=_("A challenge or an idea, in a sentence or two."),
    )


class ClusterForm(forms.Form):
    title = forms.CharField(label=_("New heading"), max_length=200)


class ItemChoiceForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)


class GroupForm(ItemChoiceForm):
    cluster = forms.IntegerField(label=_("Heading"), required=False)


class MergeForm(ItemChoiceForm):
    into = forms.IntegerField(label=_("Merge into"))


class HideForm(ItemChoiceForm):
    hidden = forms.BooleanField(required=False)


class TurnForm(forms.Form):
    turn = forms.IntegerField(widget=forms.HiddenInput)


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("The note-taker's notes"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )


class OutcomeForm(ItemChoiceForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("None"))] + [c for c in Item.Outcome.choices if c[0] != "focus"],
        required=False,
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.none(), required=False)
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, session: LiveSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(municipality=session.municipality)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Item.Outcome.ACTION and data.get("owner") is None:
            self.add_error("owner", _("An action item needs an owner."))
        return data


class FocusForm(forms.Form):
    """Five places, first to fifth: the program's focus challenges in the order the meeting chose."""

    def __init__(self, *args, choices, initial_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        initial_ids = list(initial_ids)
        for n in range(1, FOCUS_COUNT + 1):
            self.fields[f"place_{n}"] = forms.TypedChoiceField(
                label=_("Focus challenge %(n)s") % {"n": n},
                choices=[("", "—")] + list(choices),
                coerce=int,
                initial=initial_ids[n - 1] if len(initial_ids) >= n else None,
            )

    def clean(self):
        data = super().clean()
        ids = [data.get(f"place_{n}") for n in range(1, FOCUS_COUNT + 1)]
        if all(ids) and len(set(ids)) != FOCUS_COUNT:
            raise forms.ValidationError(_("Choose five different items, one for each place."))
        data["item_ids"] = ids
        return data


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Session code"),
        max_length=12,
        help_text=_("The code on the board."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class DotsForm(ItemChoiceForm):
    """The phone's vote list is one form whose every button sends `dots=<item>:<count>`; sixty phones
    redraw it after each move, and one token and one address per list cost far less than two per item."""

    count = forms.IntegerField(min_value=0, max_value=MAX_DOTS)

    def __init__(self, data=None, **kwargs):
        if data is not None and "dots" in data:
            item, _sep, count = data["dots"].partition(":")
            data = {"item": item, "count": count}
        super().__init__(data, **kwargs)
