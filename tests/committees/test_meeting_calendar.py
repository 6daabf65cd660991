"""A meeting scheduled by hand on a day the municipality's calendar keeps free: refused, saying why
(in Hebrew, the users' language here)."""

import pytest
import time_machine

from committees.models import Meeting
from tests.committees.factories import CommitteeFactory
from tests.helpers import assert_nothing_changed

pytestmark = pytest.mark.django_db


def post(client, municipality, committee, day):
    return client.post(
        f"/m/{municipality.slug}/committees/{committee.pk}/meetings/new/",
        {
            "title": "מפגש",
            "starts_at": f"{day}T17:00",
            "ends_at": f"{day}T19:00",
            "place": "מתנ״ס",
        },
    )


@time_machine.travel("2027-01-05 10:00 +0200", tick=False)
@pytest.mark.parametrize(
    "communities,day,reason",
    [
        (["jewish"], "2027-10-10", "ערב יום הכיפורים"),
        (["jewish"], "2027-04-25", "חול המועד פסח"),
        (["muslim"], "2027-03-09", "עיד אל־פיטר"),
        (["druze"], "2027-04-26", "חג הנביא שועייב"),
    ],
)
def test_a_day_the_calendar_keeps_free_is_refused_and_says_why(
    communities, day, reason, client_for, manager, municipality
):
    municipality.calendar_communities = communities
    municipality.save()
    committee = CommitteeFactory(municipality=municipality)
    client = client_for(manager)
    with assert_nothing_changed():
        response = post(client, municipality, committee, day)

    assert response.status_code == 200
    assert f"({reason})" in response.content.decode()


@time_machine.travel("2027-01-05 10:00 +0200", tick=False)
def test_another_communitys_holiday_is_a_working_day(client_for, manager, municipality):
    municipality.calendar_communities = ["muslim"]
    municipality.save()
    committee = CommitteeFactory(municipality=municipality)

    response = post(client_for(manager), municipality, committee, "2027-10-10")  # eve of Yom Kippur

    assert response.status_code == 302
    assert Meeting.objects.count() == 1
