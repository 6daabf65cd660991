"""The timeline table writes its dates, plural labels and links in Python (for speed): what each row
says must still follow the milestone's own data."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import translation
from django.utils.formats import date_format

from kehila import scheduling
from kehila.models import Milestone
from tests.kehila.timeline_factories import milestone, plan_program

pytestmark = pytest.mark.django_db


def _row(page, key):
    return page.split(f'id="milestone-{key}"')[1].split("</tr>")[0]


@time_machine.travel(date(2027, 6, 1))
def test_held_early_and_pinned_late_rows_say_so(client_for, manager, municipality):
    program = plan_program(municipality)
    first = milestone(program, "design_1")
    scheduling.milestone_hold(
        milestone=first, actual=first.planned - timedelta(days=1), actor=manager
    )
    second = milestone(program, "design_2")
    scheduling.milestone_pin(milestone=second, date=date(2027, 7, 1), actor=manager)
    first.refresh_from_db()
    second.refresh_from_db()
    page = client_for(manager).get(f"/m/{municipality.slug}/timeline/").content.decode()
    with translation.override("he"):
        short = lambda d: date_format(d, "SHORT_DATE_FORMAT")  # noqa: E731
        held = _row(page, "design_1")
        assert f"<td>{short(first.actual)}</td>" in held
        assert str(Milestone.Status.HELD.label) in held
        early = translation.ngettext("%(days)s day early", "%(days)s days early", 1) % {"days": 1}
        assert f'<span class="badge text-bg-success">{early}</span>' in held
        # the Gantt beside the table draws what happened: a bar that ends the day it was held
        gantt = page.split('data-key="design_1"')[1].split("</g>")[0]
        assert 'data-kind="actual" data-start="' in gantt
        assert f'data-end="{first.actual:%Y-%m-%d}"' in gantt.split('data-kind="actual"')[1]
        pinned = _row(page, "design_2")
        assert short(second.planned) in pinned
        assert (
            translation.gettext("originally %(date)s") % {"date": short(second.baseline)} in pinned
        )
        days = second.slip_days
        assert days > 0
        late = translation.ngettext("%(days)s day late", "%(days)s days late", days) % {
            "days": days
        }
        assert late in pinned
        assert translation.gettext("date fixed by hand") in pinned
        assert "<td>—</td>" in pinned  # not held: no actual date
