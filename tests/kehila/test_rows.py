"""kehila/rows.py: the same URLs, dates and options the template language would have written."""

from datetime import date

from django import forms
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from kehila.rows import PlainSelect, date_formatter, options_html, url_maker


def test_url_maker_gives_what_reverse_gives():
    by_slug = url_maker("kehila:timeline", "slug")
    assert by_slug("ein-hagalil") == reverse("kehila:timeline", kwargs={"slug": "ein-hagalil"})
    by_id = url_maker("committees:meeting", "meeting_id", slug="a-town")
    assert by_id(42) == reverse("committees:meeting", kwargs={"slug": "a-town", "meeting_id": 42})


def test_date_formatter_matches_djangos_formats_in_both_languages():
    day = date(2027, 6, 9)
    for code in ("he", "en"):
        with translation.override(code):
            for name in ("SHORT_DATE_FORMAT", "DATE_FORMAT"):
                assert date_formatter(name)(day) == date_format(day, name)
            assert date_formatter()(None) == ""


def test_options_are_escaped_and_the_first_match_selected():
    html = options_html([("", "הכול"), (1, "<b>א</b>"), ("1", "כפול")], selected=["1"])
    assert "&lt;b&gt;א&lt;/b&gt;" in html
    assert html.count(" selected") == 1
    assert '<option value="1" selected>' in html


def test_plain_select_writes_what_djangos_select_writes():
    choices = [("", "הכול"), ("a", 'ארגון "טוב"'), ("b", "שני")]
    ours = PlainSelect(choices=choices, attrs={"class": "form-select"}).render("org", "b")
    django = forms.Select(choices=choices, attrs={"class": "form-select"}).render("org", "b")
    assert "".join(ours.split()) == "".join(django.split()).replace('selected=""', "selected")
