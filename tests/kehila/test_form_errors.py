"""The error summary (templates/_form_errors.html): a form drawn again after a failed submit opens with one
summary, marked for static/js/forms.js to focus, whose every field error links to its field."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _summary(html: str) -> str:
    assert html.count("data-error-summary") == 1
    return html.split("data-error-summary", 1)[1].split("</div>", 1)[0]


def test_a_crispy_form_with_errors_opens_with_a_summary_linking_each_field(
    client, municipality, in_english
):
    response = client.post(
        reverse("committees_public:apply", kwargs={"slug": municipality.slug}), {"full_name": ""}
    )
    assert response.status_code == 400  # the form drawn again, with its errors
    summary = _summary(response.content.decode())
    assert 'href="#id_full_name"' in summary and 'href="#id_email"' in summary
    assert "Please correct the following:" in summary


def test_a_form_error_of_the_whole_form_is_in_the_summary_without_a_link(client, in_english):
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    summary = _summary(response.content.decode())
    assert "correct username and password" in summary
    assert "<a " not in summary


def test_a_form_without_errors_has_no_summary(client, municipality):
    html = client.get(
        reverse("committees_public:apply", kwargs={"slug": municipality.slug})
    ).content.decode()
    assert "data-error-summary" not in html
    assert "js/forms.js" in html  # every page loads the script that focuses it
