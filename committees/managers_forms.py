"""Forms of the all-managers meeting's page."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kehila.widgets import use_picker
from partners.models import Person

from . import selectors
from .forms import DATE_INPUT, DATETIME_INPUT
from .models import Challenge


class ManagersMeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME_INPUT)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return data


def _invitees_picker(field, managers_meeting) -> None:
    """The note-taker and the owners of follow-up items come from the room: a picker over the meeting's
    invitees (kehila.widgets), not a select of every one of them."""
    field.queryset = selectors.meeting_people(managers_meeting.meeting)
    use_picker(
        field,
        reverse(
            "committees:managers_meeting_invitees_search",
            kwargs={
                "slug": managers_meeting.municipality.slug,
                "managers_meeting_id": managers_meeting.pk,
            },
        ),
        search_fields=["full_name", "title", "neighbourhood"],
    )
    field.error_messages["invalid_choice"] = _("Choose one of the meeting's invitees.")


class NoteTakerForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Note-taker"))

    def __init__(self, *args, managers_meeting, **kwargs):
        super().__init__(*args, **kwargs)
        _invitees_picker(self.fields["person"], managers_meeting)


class ChallengeForm(forms.Form):
    text = forms.CharField(
        label=_("Challenge"), max_length=Challenge._meta.get_field("text").max_length
    )
    raised_by = forms.CharField(label=_("Raised by"), max_length=200, required=False)


class FollowUpForm(forms.Form):
    title = forms.CharField(label=_("Follow-up item"), max_length=300)
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Owner"))
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, managers_meeting, **kwargs):
        super().__init__(*args, **kwargs)
        _invitees_picker(self.fields["owner"], managers_meeting)


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary for the participants"), widget=forms.Textarea(attrs={"rows": 5})
    )
