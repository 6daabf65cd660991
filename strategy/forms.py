from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kehila.models import Membership
from kehila.widgets import use_picker

from .models import (
    AgreementMilestone,
    AgreementVersion,
    BudgetLine,
    Candidate,
    Competency,
    Interview,
    KickoffStep,
    SectionStatus,
)


def staff_users(municipality):
    """Users who may own a section: members of this municipality (HQ has no municipality row)."""
    ids = Membership.objects.filter(municipality=municipality).values("user_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("first_name", "last_name")


class VersionForm(forms.ModelForm):
    class Meta:
        model = AgreementVersion
        fields = [
            "title",
            "term_start_year",
            "term_end_year",
            "operating_model",
            "parties",
            "partners",
            "exit_clause",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 5})
            for f in ("operating_model", "parties", "partners", "exit_clause")
        }


class SectionForm(forms.Form):
    text = forms.CharField(
        label=_("Text (Markdown)"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=SectionStatus.choices,
        help_text=_(
            "Before it goes to the mayor's office, every topic is agreed, or not applicable with "
            "the reason written in the text."
        ),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users(municipality)
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        use_picker(
            self.fields["owner"],
            reverse("kehila:members_search", kwargs={"slug": municipality.slug}),
        )


class GateOverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it goes on anyway"),
        help_text=_("Recorded in the audit trail and shown on the document."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["year", "source", "description", "amount"]

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["year"].help_text = _("Within the term: %(start)s–%(end)s.") % {
            "start": version.term_start_year,
            "end": version.term_end_year,
        }

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year not in self.version.term_years:
            raise forms.ValidationError(
                _("The year must be within the agreement's term (%(start)s–%(end)s).")
                % {"start": self.version.term_start_year, "end": self.version.term_end_year}
            )
        return year

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount < 0:
            raise forms.ValidationError(_("The amount cannot be negative."))
        return amount


TIMELINE_KEYS = (
    "scope_decision",
    "design_1",
    "design_2",
    "launch_conference",
    "design_3",
    "design_4",
    "design_5",
    "plan_approval",
    "hackathon",
    "pilot_measurement",
    "pilot_review",
)


def timeline_choices():
    from kehila.models import milestone_title

    return [("", _("Not linked to the timeline"))] + [
        (key, milestone_title(key)) for key in TIMELINE_KEYS
    ]


class MilestoneForm(forms.ModelForm):
    timeline_key = forms.ChoiceField(
        label=_("Timeline milestone"),
        required=False,
        choices=timeline_choices,
        help_text=_("The program timeline's milestone this one corresponds to, if any."),
    )

    class Meta:
        model = AgreementMilestone
        fields = ["title", "due_date", "timeline_key"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs to change"), widget=forms.Textarea(attrs={"rows": 3})
    )


class KickoffStepForm(forms.ModelForm):
    class Meta:
        model = KickoffStep
        fields = ["date", "attendees", "notes", "done"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ["name", "email", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class InterviewForm(forms.ModelForm):
    class Meta:
        model = Interview
        fields = ["starts_at", "location", "notes"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class ScoreSheetForm(forms.Form):
    """Ten competencies, each a 1–5 score and a note."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for competency in Competency:
            self.fields[f"score_{competency.value}"] = forms.TypedChoiceField(
                label=competency.label,
                choices=[("", "—")] + [(i, str(i)) for i in range(1, 6)],
                coerce=int,
            )
            self.fields[f"note_{competency.value}"] = forms.CharField(
                label=_("Note on “%(competency)s”") % {"competency": competency.label},
                required=False,
                widget=forms.TextInput(),
            )

    def scores(self) -> dict[int, tuple[int, str]]:
        return {
            c.value: (self.cleaned_data[f"score_{c.value}"], self.cleaned_data[f"note_{c.value}"])
            for c in Competency
        }


class ProposeForm(forms.Form):
    rationale = forms.CharField(
        label=_("Rationale"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
