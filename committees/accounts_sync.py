"""A committee member who accepts an invitation keeps their history.

Until they have an account, a committee member is a partners.Person answering by personal links. When an
invitation to the municipality is accepted, kehila.signals.invitation_accepted fires inside the accepting
transaction; here the Person records of that municipality with the invited address are linked to the new
account, so the RSVPs, attendance and action items recorded for the Person are the account's from then
on (the pages find them through `person.user`). The accepted link is the proof that the account reads that
address. A Person already linked to another account is left alone, and an erased Person has no address.
"""

from __future__ import annotations

from kehila.audit import log_action
from partners.models import Person


def on_invitation_accepted(sender, *, invitation, user, **kwargs) -> int:
    """Link the municipality's unlinked Person records with the invited address to `user`; returns how
    many were linked."""
    people = list(
        Person.objects.select_for_update().filter(
            municipality_id=invitation.municipality_id,
            email__iexact=invitation.email,
            user__isnull=True,
            erased_at__isnull=True,
        )
    )
    for person in people:
        person.user = user
        person.save(update_fields=["user"])
        log_action(
            actor=user,
            action="person.linked_to_account",
            obj=person,
            municipality=invitation.municipality,
            data={"user": user.pk, "invitation": invitation.pk},
        )
    return len(people)
