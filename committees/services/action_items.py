"""Action items after the minutes: their status and their owners' reminders on the daily tick."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from kehila import profile
from kehila.mail import Outgoing, send_many
from kehila.permissions import require

from .. import links
from ..models import (
    ActionItem,
)
from .invitations import _address

# --- action items' reminders, on the daily tick ---------------------------------------------------


def action_item_reminders_send(*, municipality, today: date) -> int:
    """Remind each owner of an open action item N days before it is due (the committee's setting) and
    once when it is overdue. Keyed by item, kind and due date: once each, whatever the number of ticks;
    a new due date is news and is reminded again."""
    items = (
        ActionItem.objects.filter(municipality=municipality, due_on__isnull=False)
        .exclude(status=ActionItem.Status.DONE)
        .exclude(owner__isnull=True)
        .select_related("owner", "meeting__committee")
        .order_by("due_on", "pk")
    )
    items = list(items)
    # An owner with an account who turned action-item reminders off gets none (one query for all).
    refused = profile.refusing([i.owner.email for i in items], profile.ACTION_ITEM_REMINDER)
    messages = []
    for item in items:
        if item.owner.email.strip().lower() in refused:
            continue
        before = timedelta(days=item.meeting.committee.action_reminder_days)
        if today > item.due_on:
            kind = "overdue"
        elif today >= item.due_on - before:
            kind = "due"
        else:
            continue
        person = item.owner
        if not _address(person.email):
            continue
        messages.append(
            Outgoing(
                key=f"committees:action_{kind}:{item.pk}:{item.due_on.isoformat()}",
                to=person.email,
                subject_template=f"committees/email/action_{kind}_subject.txt",
                body_template=f"committees/email/action_{kind}_body.txt",
                context={
                    "person": person,
                    "item": item,
                    "meeting": item.meeting,
                    "days_late": (today - item.due_on).days,
                    "member_url": links.member_url(person),
                },
                language=person.language or "he",
                municipality=municipality,
                about=f"committees.meeting:{item.meeting_id}",
            )
        )
    return send_many(messages)


def action_items_tick(*, program, today: date) -> int:
    """The step committees adds to each program's daily round (registered in CommitteesConfig.ready)."""
    return action_item_reminders_send(municipality=program.municipality, today=today)


@transaction.atomic
def action_item_set_status(*, item: ActionItem, status: str, actor) -> ActionItem:
    require(actor, "update_action_item", item)
    item.status = status
    item.full_clean()
    item.save(update_fields=["status"])
    return item
