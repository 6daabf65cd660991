"""The secret calendar feeds: a member's own and a committee's."""

from __future__ import annotations

import secrets

from django.db import transaction

from kehila.audit import log_action
from kehila.permissions import require
from partners.models import Person

from ..models import (
    Committee,
    MemberCalendar,
)

# --- calendars --------------------------------------------------------------------------------


@transaction.atomic
def member_calendar_for(*, person: Person) -> MemberCalendar:
    calendar = MemberCalendar.objects.filter(person=person).first()
    if calendar is None:
        calendar = MemberCalendar.objects.create(
            municipality=person.municipality, person=person, token=secrets.token_urlsafe(24)
        )
    return calendar


@transaction.atomic
def member_calendar_revoke(*, person: Person) -> MemberCalendar:
    """Give the person a new secret feed address; the old one stops working at once."""
    calendar = member_calendar_for(person=person)
    calendar.token = secrets.token_urlsafe(24)
    calendar.save(update_fields=["token"])
    return calendar


def committee_feed_token(*, committee: Committee) -> str:
    """The committee feed's secret, made on first use for committees created without one."""
    if not committee.feed_token:
        Committee.objects.filter(pk=committee.pk, feed_token__isnull=True).update(
            feed_token=secrets.token_urlsafe(24)
        )
        committee.refresh_from_db(fields=["feed_token"])
    return committee.feed_token


@transaction.atomic
def committee_feed_revoke(*, committee: Committee, actor) -> Committee:
    require(actor, "manage_committees", committee)
    committee.feed_token = secrets.token_urlsafe(24)
    committee.save(update_fields=["feed_token"])
    log_action(actor=actor, action="committees.feed_revoke", obj=committee)
    return committee
