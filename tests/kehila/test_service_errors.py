"""kehila.forms.add_service_errors: the one way a view shows a service's ValidationError on its form."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from kehila.forms import add_service_errors


class MeetingForm(forms.Form):
    title = forms.CharField()
    starts_at = forms.CharField()


def _bound() -> MeetingForm:
    form = MeetingForm({"title": "Steering", "starts_at": "tomorrow"})
    assert form.is_valid()
    return form


def test_a_fields_error_lands_beside_that_field():
    form = _bound()
    add_service_errors(
        form, ValidationError({"starts_at": ValidationError("Taken.", code="overlap")})
    )
    assert form.errors == {"starts_at": ["Taken."]}
    assert form.has_error("starts_at", "overlap")
    assert "starts_at" not in form.cleaned_data


def test_a_field_the_form_does_not_draw_becomes_an_error_of_the_whole_form():
    form = _bound()
    add_service_errors(form, ValidationError({"committee": "Closed.", "title": "Too long."}))
    assert form.errors == {NON_FIELD_ERRORS: ["Closed."], "title": ["Too long."]}


def test_an_error_without_fields_is_an_error_of_the_whole_form():
    form = _bound()
    add_service_errors(form, ValidationError(["Cancelled.", "Locked."]))
    assert form.non_field_errors() == ["Cancelled.", "Locked."]
    assert form.errors.keys() == {NON_FIELD_ERRORS}


def test_the_parameters_of_a_message_are_filled_in():
    form = _bound()
    add_service_errors(
        form, ValidationError("Larger than %(size)s MB.", params={"size": 20}, code="size")
    )
    assert form.non_field_errors() == ["Larger than 20 MB."]
    assert form.has_error(NON_FIELD_ERRORS, "size")
