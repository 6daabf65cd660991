"""The stakeholder mapping's rules of data that never contradicts itself, registered
with kehila.consistency in PartnersConfig.ready().

Only what two fields truly contradict: a log of what happened dated on a day still to come, an erased
person who still carries what the erasure removes, a row joining sides of two municipalities. Fields
that are merely incomplete (a person in the role holders' circle whose standing is not filled in) are
not contradictions. Each check is one query (two for the joins of two models) for the municipality.
"""

from __future__ import annotations

from datetime import date

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kehila.consistency import Contradiction, local_date, register_check

from .models import (
    Affiliation,
    Engagement,
    Interaction,
    Person,
    SensitiveRelationship,
    StagedImport,
)


def _person_url(person_id: int, municipality) -> str:
    return reverse(
        "partners:person_detail", kwargs={"slug": municipality.slug, "person_id": person_id}
    )


def interactions_in_future(municipality, today: date):
    """An interaction records a meeting, a call, an e-mail or an attendance that happened."""
    rows = (
        Interaction.objects.filter(municipality=municipality, date__gt=today)
        .select_related("person")
        .order_by("date", "pk")
    )
    for interaction in rows:
        yield Contradiction(
            "partners.interaction_in_future",
            gettext("%(person)s's interaction “%(kind)s” is dated %(date)s, which has not come yet")
            % {
                "person": interaction.person.full_name,
                "kind": interaction.get_kind_display(),
                "date": local_date(interaction.date),
            },
            _person_url(interaction.person_id, municipality),
        )


def erased_people(municipality, today: date):
    """An erased person keeps no contact details, notes or account (partners.privacy.erase removes
    them, and nothing fills them in again), and was erased on a day that has come."""
    rows = (
        Person.objects.filter(municipality=municipality, erased_at__isnull=False)
        .filter(
            ~Q(email="")
            | ~Q(phone="")
            | ~Q(title="")
            | ~Q(languages="")
            | ~Q(notes="")
            | Q(user__isnull=False)
            | Q(erased_at__date__gt=today)
        )
        .order_by("pk")
    )
    for person in rows:
        if timezone.localdate(person.erased_at) > today:
            text = gettext("%(person)s is recorded as erased on %(date)s, which has not come yet")
        else:
            text = gettext(
                "%(person)s was erased on %(date)s, yet still has contact details, notes or a "
                "user account"
            )
        yield Contradiction(
            "partners.erased_keeps_data",
            text
            % {
                "person": person.full_name,
                "date": local_date(timezone.localdate(person.erased_at)),
            },
            _person_url(person.pk, municipality),
        )


def other_municipality(municipality, today: date):
    """An engagement or an affiliation joins rows of its own municipality."""
    engagements = (
        Engagement.objects.filter(municipality=municipality)
        .filter(
            ~Q(person__municipality_id=F("municipality_id"))
            | ~Q(program__municipality_id=F("municipality_id"))
        )
        .select_related("person")
        .order_by("pk")
    )
    for engagement in engagements:
        yield Contradiction(
            "partners.other_municipality",
            gettext("%(person)s's engagement joins a person or a program of another municipality")
            % {"person": engagement.person.full_name},
            _person_url(engagement.person_id, municipality),
        )
    affiliations = (
        Affiliation.objects.filter(municipality=municipality)
        .filter(
            ~Q(person__municipality_id=F("municipality_id"))
            | ~Q(organisation__municipality_id=F("municipality_id"))
        )
        .select_related("person", "organisation")
        .order_by("pk")
    )
    for affiliation in affiliations:
        yield Contradiction(
            "partners.other_municipality",
            gettext(
                "%(person)s's place in %(organisation)s joins a person or an organisation of "
                "another municipality"
            )
            % {
                "person": affiliation.person.full_name,
                "organisation": affiliation.organisation.name,
            },
            _person_url(affiliation.person_id, municipality),
        )


def relationship_sides(municipality, today: date):
    """A sensitive relationship has two different sides, each a person or an organisation (not both,
    not neither), both of this municipality."""
    url = reverse("partners:context", kwargs={"slug": municipality.slug})
    rows = (
        SensitiveRelationship.objects.filter(municipality=municipality)
        .select_related("person_a", "organisation_a", "person_b", "organisation_b")
        .order_by("pk")
    )
    for tie in rows:
        sides = ((tie.person_a, tie.organisation_a), (tie.person_b, tie.organisation_b))
        broken = any((p is None) == (o is None) for p, o in sides)
        same = not broken and (tie.person_a_id, tie.organisation_a_id) == (
            tie.person_b_id,
            tie.organisation_b_id,
        )
        foreign = any(
            side is not None and side.municipality_id != municipality.pk
            for pair in sides
            for side in pair
        )
        if not (broken or same or foreign):
            continue
        names = " ↔ ".join(
            str(side) if side is not None else "?" for side in (tie.side_a, tie.side_b)
        )
        if broken:
            text = gettext(
                "The sensitive relationship %(sides)s needs on each side a person or an "
                "organisation, not both and not neither"
            )
        elif same:
            text = gettext("The sensitive relationship %(sides)s joins a side to itself")
        else:
            text = gettext(
                "The sensitive relationship %(sides)s joins a side of another municipality"
            )
        yield Contradiction("partners.relationship_sides", text % {"sides": names}, url)


def staged_imports(municipality, today: date):
    """A spreadsheet import is confirmed and its rows removed after it was uploaded; once removed, it
    holds no rows."""
    rows = (
        StagedImport.objects.filter(municipality=municipality)
        .filter(
            Q(confirmed_at__lt=F("created_at"))
            | Q(purged_at__lt=F("created_at"))
            | (Q(purged_at__isnull=False) & ~Q(rows=[]))
        )
        .order_by("created_at", "pk")
    )
    for staged in rows:
        if staged.purged_at is not None and staged.rows:
            text = gettext("The import “%(file)s” is recorded as emptied, yet still holds its rows")
        else:
            text = gettext(
                "The import “%(file)s” is confirmed or emptied before it was uploaded on %(date)s"
            )
        yield Contradiction(
            "partners.staged_imports",
            text
            % {"file": staged.filename, "date": local_date(timezone.localdate(staged.created_at))},
            reverse(
                "partners:import_preview",
                kwargs={"slug": municipality.slug, "import_id": staged.pk},
            ),
        )


register_check(
    "partners.interaction_in_future",
    _("An interaction is dated on a day that has come"),
    interactions_in_future,
)
register_check(
    "partners.erased_keeps_data",
    _("An erased person keeps no personal data"),
    erased_people,
)
register_check(
    "partners.other_municipality",
    _("A person's engagement and places join rows of one municipality"),
    other_municipality,
)
register_check(
    "partners.relationship_sides",
    _("A sensitive relationship joins two different sides of the municipality"),
    relationship_sides,
)
register_check(
    "partners.staged_imports",
    _("An import is confirmed and emptied after it was uploaded"),
    staged_imports,
)
