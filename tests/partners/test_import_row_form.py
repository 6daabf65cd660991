"""The import's row form names the influence and interest scale in words beside the field, in each
language, rather than digits in the label (issue 17 §4)."""

import pytest
from django.utils import translation

from partners.forms import ImportRowForm

EXPECTED = {
    "en": ("Strength of influence", "Interest", "Level: 1 low, 2 medium or 3 high"),
    "he": ("עוצמת ההשפעה", "עניין", "רמה: 1 נמוכה, 2 בינונית או 3 גבוהה"),
    "ar": ("قوة التأثير", "الاهتمام", "المستوى: 1 منخفض، 2 متوسط أو 3 مرتفع"),
}


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_the_scale_is_explained_in_words_and_the_labels_carry_no_digits(language):
    influence, interest, scale = EXPECTED[language]
    with translation.override(language):
        form = ImportRowForm(initial={"influence": "3", "interest": "1"})
        assert str(form["influence"].label) == influence
        assert str(form["interest"].label) == interest
        for key in ("influence", "interest"):
            assert not any(ch.isdigit() for ch in str(form[key].label))
            assert str(form[key].help_text).startswith(scale)
            assert scale in str(form[key].as_field_group())
