"""What every app's forms share."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form that asked for the change: each field's errors beside the
    field of that name, the rest (a whole-change refusal, a field the form does not draw) above the form.

    The errors keep their codes and parameters, so `form.has_error(field, code)` still answers."""
    errors = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
    for field, field_errors in errors.items():
        form.add_error(field if field in form.fields else None, field_errors)
