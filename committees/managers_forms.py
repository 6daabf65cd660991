"""Forms of the all-managers meeting's page (issue 15 §7)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import Person

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


def _invitees(meeting):
    # The note-taker and the owners of follow-up items come from the room: the meeting's invitees.
    return Person.objects.filter(meeting_invitations__meeting=meeting).order_by("full_name", "pk")


class NoteTakerForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Note-taker"))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _invitees(meeting)


class ChallengeForm(forms.Form):
    text = forms.CharField(
        label=_("Challenge"), max_length=Challenge._meta.get_field("text").max_length
    )
    raised_by = forms.CharField(label=_("Raised by"), max_length=200, required=False)


class FollowUpForm(forms.Form):
    title = forms.CharField(label=_("Follow-up item"), max_length=300)
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Owner"))
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _invitees(meeting)


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary for the participants"), widget=forms.Textarea(attrs={"rows": 5})
    )
