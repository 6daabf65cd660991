from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kehila.models import Track
from kehila.widgets import use_picker

from .models import SCALE_MAX, SCALE_MIN, Criterion, Hackathon, Indicator, Initiative, Participant
from .spam import HONEYPOT_FIELD

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HackathonForm(forms.ModelForm):
    class Meta:
        model = Hackathon
        fields = [
            "title",
            "year",
            "date",
            "place",
            "vision",
            "registration_opens_at",
            "registration_closes_at",
            "submission_deadline",
            "pilot_budget",
            "required_scorers",
        ]
        widgets = {
            "date": DATE,
            "registration_opens_at": DATETIME,
            "registration_closes_at": DATETIME,
            "submission_deadline": DATETIME,
            "vision": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form posted without the field (an older page, a script) keeps the model's default of three.
        self.fields["required_scorers"].required = False

    def clean_required_scorers(self):
        value = self.cleaned_data.get("required_scorers")
        return value if value is not None else Hackathon._meta.get_field("required_scorers").default


class HoneypotMixin:
    """A field people never see (rendered by pilots/_honeypot.html, outside the form's fields): bots that
    fill every input give themselves away."""

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))


class RegistrationForm(HoneypotMixin, forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["full_name", "email", "phone", "neighbourhood", "team_name"]


class InitiativeForm(HoneypotMixin, forms.ModelForm):
    class Meta:
        model = Initiative
        fields = [
            "title",
            "team_name",
            "team_members",
            "contact_name",
            "contact_email",
            "contact_phone",
            "description",
            "focus_challenge",
            "track",
            "neighbourhood",
            "needs_connections",
            "needs_mentoring",
            "needs_money",
            "money_amount",
        ]
        widgets = {
            "team_members": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "team_members": _("Names of the people in the team, one per line."),
            "money_amount": _("In shekels, if the initiative needs money."),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.municipality_id is None:
            self.instance.municipality = municipality  # the model's checks compare against it
        from .selectors import challenges_for

        self.fields["focus_challenge"].queryset = challenges_for(municipality)
        self.fields["focus_challenge"].required = False

    def clean(self):
        data = super().clean()
        if data.get("needs_money") and not data.get("money_amount"):
            self.add_error("money_amount", _("Say how much money the initiative needs."))
        return data


class ScoreForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(n), str(n)) for n in range(SCALE_MIN, SCALE_MAX + 1)]
        for value, label in reversed(Criterion.choices):
            self.fields = {
                value: forms.TypedChoiceField(
                    label=label, choices=choices, coerce=int, widget=forms.RadioSelect
                ),
                **self.fields,
            }


class ConflictForm(forms.Form):
    prefix = "conflict"
    reason = forms.CharField(
        label=_("What is the conflict? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class GateOverrideForm(forms.Form):
    prefix = "gate"
    reason = forms.CharField(
        label=_("Why open it anyway? (recorded in the audit trail and shown on the initiative)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(forms.Form):
    selected = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Selected")), ("no", _("Not selected"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    keep_going = forms.TypedChoiceField(
        label=_("Nine-month review decision"),
        choices=[("continue", _("Continue into year two")), ("stop", _("Stop support"))],
        coerce=lambda v: v == "continue",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    objectives = forms.CharField(
        label=_("Objectives of the strategic plan it advances"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MentorForm(forms.Form):
    mentor = forms.CharField(label=_("Mentor"), max_length=200, required=False)


class ConnectionForm(forms.Form):
    prefix = "conn"
    with_whom = forms.CharField(label=_("Connected with"), max_length=200)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class GrantForm(forms.Form):
    prefix = "grant"
    amount = forms.DecimalField(label=_("Amount"), min_value=0.01, max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class DisbursementForm(forms.Form):
    prefix = "pay"
    amount = forms.DecimalField(label=_("Amount"), min_value=0.01, max_digits=12, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class ProgressForm(forms.Form):
    text = forms.CharField(
        label=_("What has happened since the last report?"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CommitteeSeatForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Member"), queryset=get_user_model().objects.none())

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(memberships__municipality=municipality)
            .order_by("first_name", "last_name", "username")
        )
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        use_picker(
            self.fields["user"],
            reverse("kehila:members_search", kwargs={"slug": municipality.slug}),
        )


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["track", "name", "unit"]


class MeasurementForm(forms.Form):
    initiative = forms.IntegerField(widget=forms.HiddenInput)
    indicator = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.DecimalField(label=_("Value"), max_digits=12, decimal_places=2)
    learning = forms.CharField(
        label=_("What we learnt"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


TRACK_CHOICES = Track.choices
