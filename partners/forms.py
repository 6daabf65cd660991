from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kehila.permissions import users_who_can
from kehila.widgets import use_picker

from . import spreadsheets
from .models import (
    Circle,
    Consent,
    Engagement,
    EngagementStage,
    HistoryNote,
    Interaction,
    Organisation,
    Person,
    Sector,
    SensitiveRelationship,
)
from .phones import normalise_phone


def _search_url(name: str, municipality, **query) -> str:
    url = reverse(name, kwargs={"slug": municipality.slug})
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def people_picker(field, municipality) -> None:
    use_picker(field, _search_url("partners:people_search", municipality))


def organisations_picker(field, municipality) -> None:
    use_picker(field, _search_url("partners:organisations_search", municipality))


class PersonForm(forms.ModelForm):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"), queryset=Organisation.objects.none(), required=False
    )
    heads = forms.ModelMultipleChoiceField(
        label=_("Heads these organisations"),
        help_text=_(
            "Heads of departments and municipal companies are invited to the managers' meeting."
        ),
        queryset=Organisation.objects.none(),
        required=False,
    )

    class Meta:
        model = Person
        fields = [
            "full_name",
            "title",
            "email",
            "phone",
            "neighbourhood",
            "is_resident",
            "language",
            "languages",
            "municipal_role",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(municipality=municipality)
        self.fields["organisations"].queryset = organisations
        self.fields["heads"].queryset = organisations
        organisations_picker(self.fields["organisations"], municipality)
        organisations_picker(self.fields["heads"], municipality)
        self.fields["email"].widget.attrs["dir"] = "ltr"
        self.fields["phone"].widget.attrs.update({"dir": "ltr", "inputmode": "tel"})
        if self.instance.pk:
            self.initial["organisations"] = [
                a.organisation_id for a in self.instance.affiliations.all()
            ]
            self.initial["heads"] = [
                a.organisation_id for a in self.instance.affiliations.all() if a.is_head
            ]

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class EngagementForm(forms.ModelForm):
    class Meta:
        model = Engagement
        fields = [
            "sector",
            "circle",
            "consent",
            "influence_kind",
            "influence",
            "interest",
            "stage",
            "owner",
        ]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        # The owner follows the stakeholder up: someone who may edit the mapping.
        self.fields["owner"].queryset = users_who_can("edit_partners", municipality)
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        use_picker(
            self.fields["owner"],
            _search_url("kehila:members_search", municipality, may="edit_partners"),
        )


class InteractionForm(forms.ModelForm):
    class Meta:
        model = Interaction
        fields = ["kind", "date", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Organisation.objects.filter(municipality=self.municipality, name=name).exists():
            raise ValidationError(_("An organisation with this name already exists."))
        return name


class HistoryNoteForm(forms.ModelForm):
    class Meta:
        model = HistoryNote
        fields = ["title", "period", "body", "burnt"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["burnt"].queryset = Person.objects.filter(municipality=municipality)
        people_picker(self.fields["burnt"], municipality)


class RelationshipForm(forms.ModelForm):
    class Meta:
        model = SensitiveRelationship
        fields = ["person_a", "organisation_a", "person_b", "organisation_b", "level", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        for key in ("person_a", "person_b"):
            self.fields[key].queryset = Person.objects.filter(municipality=municipality)
            people_picker(self.fields[key], municipality)
        for key in ("organisation_a", "organisation_b"):
            self.fields[key].queryset = Organisation.objects.filter(municipality=municipality)
            organisations_picker(self.fields[key], municipality)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or Excel .xlsx, up to 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class ImportRowForm(forms.Form):
    """One staged row, editable before confirming: plain text fields, checked by the import itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "full_name": _("Full name"),
            "email": _("E-mail"),
            "phone": _("Phone"),
            "neighbourhood": _("Neighbourhood"),
            "title": pgettext_lazy("job title", "Title"),
            "organisations": _("Organisations (separated by ;)"),
            "is_resident": _("Resident (yes/no)"),
            "languages": _("Languages"),
            "municipal_role": _("Standing in the municipality"),
            "sector": _("Sector"),
            "circle": _("Circle"),
            "consent": _("Consent"),
            "influence_kind": _("Kind of influence"),
            "influence": _("Strength of influence"),
            "interest": _("Interest"),
            "stage": _("Engagement stage"),
        }
        for key in spreadsheets.COLUMNS:
            self.fields[key] = forms.CharField(label=labels[key], required=False, max_length=300)
        # The scale in words beside the field, not digits in its label (they read badly right to left).
        for key in ("influence", "interest"):
            self.fields[key].help_text = _(
                "Level: 1 low, 2 medium or 3 high (the number or the word)."
            )
        for key in ("email", "phone"):
            self.fields[key].widget.attrs["dir"] = "ltr"


class PeopleFilterForm(forms.Form):
    """The stakeholder list's filters, read from the query string. The short lists are selects drawn by
    the template; the organisations, hundreds in a large town, are a picker (kehila.widgets) that
    draws only the chosen one."""

    q = forms.CharField(label=_("Search"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    circle = forms.ChoiceField(label=_("Circle"), required=False)
    consent = forms.ChoiceField(label=_("Consent"), required=False)
    stage = forms.ChoiceField(label=_("Engagement stage"), required=False)
    neighbourhood = forms.ChoiceField(label=_("Neighbourhood"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    informal = forms.BooleanField(label=_("Informal influence only"), required=False)

    def __init__(self, *args, municipality, neighbourhoods, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["sector"].choices = everyone + list(Sector.choices)
        self.fields["circle"].choices = everyone + list(Circle.choices)
        self.fields["consent"].choices = everyone + list(Consent.choices)
        self.fields["stage"].choices = everyone + list(EngagementStage.choices)
        self.fields["neighbourhood"].choices = everyone + [(n, n) for n in neighbourhoods]
        self.fields["organisation"].queryset = Organisation.objects.filter(
            municipality=municipality
        ).only("id", "name")
        organisations_picker(self.fields["organisation"], municipality)
        # The list template draws these widgets itself (not through crispy): Bootstrap's classes here.
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"
            else:
                field.widget.attrs["class"] = "form-control"


class MapFilterForm(forms.Form):
    """The relationship map's filters: read from the query string, so they work without JavaScript."""

    sector = forms.ChoiceField(label=_("Sector"), required=False)
    circle = forms.ChoiceField(label=_("Circle"), required=False)
    consent = forms.ChoiceField(label=_("Consent"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["sector"].choices = everyone + list(Sector.choices)
        self.fields["circle"].choices = everyone + list(Circle.choices)
        self.fields["consent"].choices = everyone + list(Consent.choices)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class PersonEraseForm(forms.Form):
    """An erasure is final: the user confirms it and writes why (the request it answers), for the audit."""

    reason = forms.CharField(
        label=_("Reason for the erasure"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the person's request of 3 March, by e-mail."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the person's contact details are erased for good."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Write why the person is erased."))
        return reason
