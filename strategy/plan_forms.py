from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kehila.models import Track
from kehila.permissions import tracks_for

from .models import (
    Action,
    ActionBudget,
    FocusChallenge,
    FundingSource,
    Goal,
    IndicatorReading,
    Objective,
    Plan,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScopeDecisionForm(forms.Form):
    decided_on = forms.DateField(label=_("Date of the steering committee's decision"), widget=DATE)
    tracks = forms.MultipleChoiceField(
        label=_("Chosen tracks"),
        choices=Track.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The guidance recommends two or three tracks."),
    )
    geographic_focus = forms.CharField(
        label=_("Geographic focus (neighbourhoods, quarters, areas)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    boundaries = forms.CharField(
        label=_("Boundaries and timetable"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ChallengeForm(forms.ModelForm):
    class Meta:
        model = FocusChallenge
        fields = ["number", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "vision", "flexible_budget", "stated_total"]
        widgets = {"vision": forms.Textarea(attrs={"rows": 5})}


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = [
            "title",
            "indicator",
            "unit",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "owner",
            "track",
        ]
        widgets = {"baseline_date": DATE, "target_date": DATE}


class ReadingForm(forms.ModelForm):
    class Meta:
        model = IndicatorReading
        fields = ["measured_on", "value"]
        widgets = {"measured_on": DATE}


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["title", "owner", "partners", "start", "end", "kind", "objective"]
        widgets = {"start": DATE, "end": DATE, "partners": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A plan not saved yet has no goals, so no objectives to link.
        objectives = (
            Objective.objects.filter(goal__plan=plan) if plan.pk else Objective.objects.none()
        )
        tracks = tracks_for(user, "edit_track", plan.municipality)
        if tracks is not None:
            # Only objectives the service would accept; the current one stays so that saving an
            # action someone else linked does not fail on a choice the user cannot see.
            objectives = objectives.filter(
                Q(track__in=tracks) | Q(pk=self.instance.objective_id or 0)
            )
        self.fields["objective"].queryset = objectives


class ActionBudgetForm(forms.ModelForm):
    source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)

    class Meta:
        model = ActionBudget
        fields = ["year", "source", "amount"]


class MappingUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: challenge (number), indicator, value, unit, source, date, neighbourhood."
        ),
    )


class LogicModelForm(forms.Form):
    inputs = forms.CharField(
        label=_("Inputs"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    activities = forms.CharField(
        label=_("Activities"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    outputs = forms.CharField(
        label=_("Outputs"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    short_term = forms.CharField(
        label=_("Short-term outcomes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    medium_term = forms.CharField(
        label=_("Medium-term outcomes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    long_term = forms.CharField(
        label=_("Long-term outcomes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
