from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kehila.scheduling import calendar_profile, day_off_text
from kehila.timeline import DEFAULT_CALENDAR, day_off, next_working_day
from kehila.widgets import use_picker
from partners.models import Person

from .models import (
    ActionItem,
    AgendaItem,
    Committee,
    CommitteeMember,
    Invitation,
    Meeting,
    Minutes,
    Sector,
)
from .services import ActionItemInput

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CommitteeForm(forms.ModelForm):
    class Meta:
        model = Committee
        fields = [
            "kind",
            "track",
            "name",
            "name_en",
            "name_ar",
            "description",
            "capacity",
            "members_see_attendance",
        ]

    def clean(self):
        data = super().clean()
        if data.get("kind") == Committee.Kind.WORK_TEAM and not data.get("track"):
            self.add_error("track", _("A work team works on one track."))
        return data


class CommitteeNamesForm(forms.ModelForm):
    """The committee's name in Hebrew, and in English and Arabic for those who read the portal in them."""

    class Meta:
        model = Committee
        fields = ["name", "name_en", "name_ar"]


class CommitteeTimesForm(forms.ModelForm):
    """How long attendees may correct circulated minutes, and how early an action item's owner is
    reminded: each committee keeps its own rhythm."""

    corrections_days = forms.IntegerField(
        label=_("Days for corrections to the minutes"), min_value=1, max_value=60
    )
    action_reminder_days = forms.IntegerField(
        label=_("Days before an action item is due to remind its owner"), min_value=0, max_value=60
    )

    class Meta:
        model = Committee
        fields = ["corrections_days", "action_reminder_days"]


def people_search_url(municipality) -> str:
    return reverse("partners:people_search", kwargs={"slug": municipality.slug})


class MemberForm(forms.Form):
    # A thousand people: a picker that asks the server (kehila.widgets), not a select of them all.
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Person"))
    role = forms.ChoiceField(
        choices=CommitteeMember.Role.choices, label=_("Role"), initial="member"
    )
    sector = forms.ChoiceField(
        choices=[("", "—"), *Sector.choices], required=False, label=_("Represents sector")
    )
    represents_neighbourhood = forms.CharField(
        max_length=100, required=False, label=_("Represents neighbourhood")
    )
    represents_community = forms.CharField(
        max_length=100, required=False, label=_("Represents community")
    )
    starts_on = forms.DateField(required=False, label=_("From"), widget=DATE_INPUT)
    ends_on = forms.DateField(required=False, label=_("Until"), widget=DATE_INPUT)
    has_vote = forms.BooleanField(required=False, initial=True, label=_("Has a vote"))

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        # Any person id is accepted here so that a foreign one gets a clear error, not "invalid choice".
        self.municipality = municipality
        self.fields["person"].queryset = Person.objects.filter(municipality=municipality).only(
            "id", "full_name"
        )
        self.fields["person"].error_messages["invalid_choice"] = _(
            "Choose a person of this municipality."
        )
        use_picker(self.fields["person"], people_search_url(municipality))


class InviteForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(), label=_("Invite a person who is not a member")
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(municipality=municipality).only(
            "id", "full_name"
        )
        self.fields["person"].error_messages["invalid_choice"] = _(
            "Choose a person of this municipality."
        )
        use_picker(self.fields["person"], people_search_url(municipality))
        self.fields["person"].widget.attrs["class"] = "form-select"


class TargetsForm(forms.Form):
    def __init__(self, *args, initial_percents: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Sector.choices:
            self.fields[value] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=100,
                required=False,
                initial=initial_percents.get(value),
            )

    def clean(self):
        data = super().clean()
        if sum(v for v in data.values() if v) > 100:
            raise ValidationError(_("The targets add up to more than 100%."))
        return data


class MeetingForm(forms.ModelForm):
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME_INPUT)

    class Meta:
        model = Meeting
        fields = [
            "title",
            "purpose",
            "starts_at",
            "ends_at",
            "place",
            "online_link",
            "capacity",
        ]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, committee=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        gathering = self.committee is not None and self.committee.kind == Committee.Kind.GATHERING
        if starts and not gathering:
            day = timezone.localdate(starts)
            profile = (
                calendar_profile(self.committee.municipality)
                if self.committee is not None
                else DEFAULT_CALENDAR
            )
            off = day_off(day, profile)
            if off is not None:
                self.add_error(
                    "starts_at",
                    _(
                        "The municipality's calendar keeps this day free of meetings (%(reason)s). "
                        "The next working day is %(day)s."
                    )
                    % {
                        "reason": day_off_text(day, off),
                        "day": date_format(next_working_day(day, profile), "SHORT_DATE_FORMAT"),
                    },
                )
        return data

    def _post_clean(self):
        # Validation of the model itself happens in the service, which knows about overlaps.
        pass


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "minutes_allotted", "guiding_questions", "attachment"]
        widgets = {"guiding_questions": forms.Textarea(attrs={"rows": 3})}


class RsvpForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Are you coming?"),
        choices=[
            (Invitation.Response.YES, _("Yes, I am coming")),
            (Invitation.Response.NO, _("No, I cannot come")),
            (Invitation.Response.MAYBE, _("Maybe")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("A note for the organisers (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MinutesForm(forms.Form):
    TEXTS = ("note_taker", "summary", "decisions", "challenges", "next_steps")

    note_taker = forms.CharField(label=_("Note-taker"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    decisions = forms.CharField(
        label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    challenges = forms.CharField(
        label=_("Challenges raised"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        label=_("What happens next"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def initial_for(cls, minutes: Minutes | None, user) -> dict:
        """The minutes written so far; a first draft names the signed-in user as its note-taker."""
        if minutes is None:
            return {"note_taker": user.get_full_name() or user.get_username()}
        return {field: getattr(minutes, field) for field in cls.TEXTS}


class ActionItemForm(forms.Form):
    title = forms.CharField(
        label=pgettext_lazy("action item", "Action"), max_length=300, required=False
    )
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, label=_("Owner"))
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, people=None, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["owner"].queryset = people
        if search_url:
            use_picker(self.fields["owner"], search_url)


class BaseActionItemFormSet(forms.BaseFormSet):
    def action_items(self) -> list[ActionItemInput]:
        """The rows given a title, as the minutes service takes them (an empty row is no item)."""
        return [
            ActionItemInput(
                title=form.cleaned_data["title"],
                owner=form.cleaned_data.get("owner"),
                due_on=form.cleaned_data.get("due_on"),
            )
            for form in self
            if form.cleaned_data.get("title")
        ]


ActionItemFormSet = forms.formset_factory(ActionItemForm, formset=BaseActionItemFormSet, extra=3)


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("Your correction"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Say what is missing or wrong in the minutes; the team and the committee see it."
        ),
    )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionItem.Status.choices, label=_("Status"))


class ApplicationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone (optional)"), max_length=20, required=False)
    neighbourhood = forms.CharField(
        label=_("Neighbourhood (optional)"), max_length=100, required=False
    )
    sector = forms.ChoiceField(choices=Sector.choices, label=_("I would represent"))
    is_resident = forms.BooleanField(
        label=_("I live in the municipality"), required=False, initial=True
    )
    motivation = forms.CharField(
        label=_("Why do you want to join?"), widget=forms.Textarea(attrs={"rows": 4})
    )
    # Honeypot: hidden from people (and from assistive technology); bots fill every field.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
