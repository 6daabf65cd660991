"""Generated partners rows for `manage.py generate_demo` (see kehila/generate.py for the rules).

Per municipality at scale 1: the five program users as people (so that `committees:me` finds the
committee member), about 1,000 more people, 300 organisations of every kind, about 1,100 affiliations,
an engagement in the program for nine people in ten, 5,000 interactions (five per person, so every
person page has a history), some town-history notes and a few sensitive relationships.

Whatever decides which branch a page takes (municipal standing, engagement stage and consent, whether a
person has an e-mail, how many organisations they sit in) follows the row's position through the
patterns below; the random generator only picks names, texts, dates and which organisation.
"""

from datetime import timedelta

from kehila.generate import LAST_NAMES, WORDS, paragraph, person_name, sentence
from kehila.models import Role

from .models import (
    Affiliation,
    Circle,
    Consent,
    Engagement,
    EngagementStage,
    HistoryNote,
    InfluenceKind,
    Interaction,
    Level,
    MunicipalRole,
    Organisation,
    Person,
    Sector,
    SensitiveRelationship,
)

BATCH_SIZE = 2000

PEOPLE, ORGANISATIONS, INTERACTIONS, HISTORY_NOTES, RELATIONSHIPS = 1000, 300, 5000, 12, 15

NEIGHBOURHOODS = (
    "מרכז העיר",
    "הרקפות",
    "הגפן",
    "נווה שאנן",
    "גבעת הזיתים",
    "השכונה הוותיקה",
    "שיכון הפועלים",
    "הדר",
    "נאות אביבים",
    "העיר העתיקה",
    "רמת הגליל",
    "קריית הצעירים",
)
TITLES = (
    "רכזת קהילה",
    "מנהל מחלקה",
    "עובדת סוציאלית",
    "יו״ר ועד שכונה",
    "מתנדב",
    "מנהלת בית ספר",
    "בעל עסק",
    "חוקרת",
    "רכז נוער",
    "פעילה חברתית",
)
AFFILIATION_ROLES = ("חבר.ה", "רכז.ת", "מנהל.ת", "מתנדב.ת", "יו״ר", "עובד.ת", "חבר.ת הנהלה")

# Who holds a standing in the municipality: the first people of the list, a few of each (a town has
# one mayor). Only the first quarter of the list takes part, so that small municipalities keep residents.
STANDINGS = (
    [MunicipalRole.MAYOR]
    + [MunicipalRole.DEPUTY_MAYOR] * 2
    + [MunicipalRole.DIRECTOR_GENERAL]
    + [MunicipalRole.COUNCIL_MEMBER] * 9
    + [MunicipalRole.DEPARTMENT_HEAD] * 10
    + [MunicipalRole.COMPANY_HEAD] * 3
    + [MunicipalRole.STAFF] * 20
)
ORGANISATION_NAMES = {
    Organisation.Kind.DEPARTMENT: "אגף",
    Organisation.Kind.MUNICIPAL_COMPANY: "החברה העירונית",
    Organisation.Kind.BUSINESS: "מפעל",
    Organisation.Kind.ACADEMIA: "מכללת",
    Organisation.Kind.PHILANTHROPY: "קרן",
    Organisation.Kind.CIVIL_SOCIETY: "עמותת",
    Organisation.Kind.GOVERNMENT: "משרד",
    Organisation.Kind.COMMUNITY_CENTRE: "מתנ״ס",
    Organisation.Kind.SCHOOL: "בית ספר",
    Organisation.Kind.RESIDENT_GROUP: "ועד שכונת",
}
HEAD_STANDINGS = (MunicipalRole.DEPARTMENT_HEAD, MunicipalRole.COMPANY_HEAD)
# (preferred language, languages spoken): the preferred one is what e-mails are written in, so it is
# one of settings.LANGUAGES; the spoken ones are free text.
LANGUAGES = (("he", "he"), ("he", "he,en"), ("he", "ar,he"), ("he", "he,ru"), ("en", "en,he"))

# Position patterns. Lengths are coprime so that, say, the stage does not always go with one consent.
AFFILIATIONS_PER_PERSON = (1, 1, 0, 2, 1, 0, 1, 3, 1, 1, 0)  # 11: about one each, some in several
SECTORS = (  # 20: residents are the largest group, then the social and public sectors
    [Sector.RESIDENTS] * 7
    + [Sector.SOCIAL] * 4
    + [Sector.PUBLIC] * 3
    + [Sector.BUSINESS] * 2
    + [Sector.ACADEMIA, Sector.PHILANTHROPY, Sector.GOVERNMENT, ""]
)
CIRCLE_OF_SECTOR = {
    Sector.RESIDENTS: Circle.RESIDENTS,
    Sector.SOCIAL: Circle.RESIDENTS,
    Sector.PUBLIC: Circle.ROLE_HOLDERS,
    Sector.GOVERNMENT: Circle.ROLE_HOLDERS,
    Sector.BUSINESS: Circle.INFLUENCE,
    Sector.ACADEMIA: Circle.INFLUENCE,
    Sector.PHILANTHROPY: Circle.INFLUENCE,
    "": "",
}
CONSENTS = [Consent.OPPOSED] + [Consent.PASSIVE] * 3 + [Consent.ACTIVE] * 3  # 7
STAGES = (  # 13: a funnel, most people early, some recruited and active
    [EngagementStage.IDENTIFIED] * 4
    + [EngagementStage.CONTACTED] * 3
    + [EngagementStage.MET] * 3
    + [EngagementStage.RECRUITED]
    + [EngagementStage.ACTIVE] * 2
)
INFLUENCE = [Level.LOW, Level.MEDIUM, Level.MEDIUM, Level.HIGH, Level.LOW]  # 5
INTEREST = [Level.MEDIUM, Level.HIGH, Level.LOW]  # 3
INTERACTION_KINDS = [
    Interaction.Kind.MET,
    Interaction.Kind.CALLED,
    Interaction.Kind.EMAILED,
    Interaction.Kind.CALLED,
    Interaction.Kind.ATTENDED,
    Interaction.Kind.MET,
    Interaction.Kind.EMAILED,
]
# The program users who appear in the mapping as people, first in the list (committee_member last).
USER_ROLES = (Role.MANAGER, Role.TEAM, Role.MAYOR_OFFICE, Role.TRACK_LEAD, Role.COMMITTEE_MEMBER)


def _phone(rng) -> str:
    return f"05{rng.choice('0234578')}-{rng.randrange(10**7):07d}"


def _people(batch, municipality) -> list[Person]:
    rng = batch.rng(municipality, "partners.people")
    slug = municipality.slug
    people = []
    for role in USER_ROLES:
        user = batch.users[municipality.pk][role]
        member = role == Role.COMMITTEE_MEMBER
        people.append(
            Person(
                municipality=municipality,
                full_name=f"{user.first_name} {user.last_name}",
                email=user.email,
                phone=_phone(rng),
                neighbourhood=rng.choice(NEIGHBOURHOODS),
                title="" if member else "צוות התוכנית",
                is_resident=member,
                municipal_role="" if member else MunicipalRole.STAFF,
                user=user,
            )
        )
    count = batch.count(PEOPLE)
    standings = STANDINGS[: count // 4]
    for i in range(count):
        first, last = person_name(rng)
        language, languages = LANGUAGES[i % len(LANGUAGES)]
        standing = standings[i] if i < len(standings) else ""
        people.append(
            Person(
                municipality=municipality,
                full_name=f"{first} {last}",
                # Contact details are personal data: most have them, not all.
                email=f"{slug}.p{i + 1}@example.org" if i % 4 != 3 else "",
                phone=_phone(rng) if i % 6 != 5 else "",
                neighbourhood=rng.choice(NEIGHBOURHOODS) if i % 9 != 8 else "",
                title=rng.choice(TITLES) if standing or i % 3 == 0 else "",
                is_resident=not standing and i % 5 != 4,
                language=language,
                languages=languages,
                municipal_role=standing,
                notes=sentence(rng, rng.randint(5, 14)) if i % 7 == 0 else "",
            )
        )
    return people


def _organisations(batch, municipality) -> list[Organisation]:
    rng = batch.rng(municipality, "partners.organisations")
    kinds = Organisation.Kind.values
    organisations, names = [], set()
    for i in range(batch.count(ORGANISATIONS)):
        kind = kinds[i % len(kinds)]
        base = f"{ORGANISATION_NAMES[kind]} {rng.choice(WORDS)} {rng.choice(WORDS)}"
        if kind == Organisation.Kind.BUSINESS:
            base = f"{base} {rng.choice(LAST_NAMES)}"
        name, n = base, 2
        while name in names:  # the name is unique per municipality
            name, n = f"{base} {n}", n + 1
        names.add(name)
        notes = sentence(rng, 10) if i % 4 == 0 else ""
        organisations.append(
            Organisation(municipality=municipality, name=name, kind=kind, notes=notes)
        )
    return organisations


# The big tables are built with `<fk>_id=` rather than instances: the related-object descriptor costs
# more than the rest of the model's __init__, and these rows are never read back here.
def _affiliations(batch, municipality, people, organisations) -> list[Affiliation]:
    rng = batch.rng(municipality, "partners.affiliations")
    rows = []
    for i, person in enumerate(people):
        k = min(AFFILIATIONS_PER_PERSON[i % len(AFFILIATIONS_PER_PERSON)], len(organisations))
        for j, organisation in enumerate(rng.sample(organisations, k)):
            rows.append(
                Affiliation(
                    municipality_id=municipality.pk,
                    person_id=person.pk,
                    organisation_id=organisation.pk,
                    role=rng.choice(AFFILIATION_ROLES),
                    # Heads of departments and companies make the managers' meeting list.
                    is_head=j == 0 and (i % 8 == 0 or person.municipal_role in HEAD_STANDINGS),
                )
            )
    return rows


def _engagements(batch, municipality, people) -> list[Engagement]:
    rng = batch.rng(municipality, "partners.engagements")
    program = batch.programs[municipality.pk]
    users = batch.users[municipality.pk]
    owners = [users[Role.MANAGER].pk, users[Role.TEAM].pk, users[Role.TRACK_LEAD].pk, None]
    rows = []
    for i, person in enumerate(people):
        if i % 10 == 9:  # nine in ten are engaged; the rest are only mapped
            continue
        sector = SECTORS[i % len(SECTORS)]
        if person.municipal_role:
            sector = Sector.PUBLIC
        rows.append(
            Engagement(
                municipality_id=municipality.pk,
                program_id=program.pk,
                person_id=person.pk,
                sector=sector,
                circle=CIRCLE_OF_SECTOR[sector],
                consent=CONSENTS[i % len(CONSENTS)],
                influence_kind=InfluenceKind.INFORMAL
                if i % 17 in (3, 11)
                else InfluenceKind.FORMAL,
                influence=INFLUENCE[i % len(INFLUENCE)],
                interest=INTEREST[i % len(INTEREST)],
                stage=STAGES[i % len(STAGES)],
                owner_id=owners[i % len(owners)] if i % 2 == 0 else rng.choice(owners),
            )
        )
    return rows


def _interactions(batch, municipality, people) -> list[Interaction]:
    rng = batch.rng(municipality, "partners.interactions")
    users = batch.users[municipality.pk]
    recorders = [users[Role.MANAGER].pk, users[Role.TEAM].pk, users[Role.TRACK_LEAD].pk]
    span = (batch.today - batch.start).days
    rows = []
    for i in range(batch.count(INTERACTIONS)):
        rows.append(
            Interaction(
                municipality_id=municipality.pk,
                # Round the list, so every person has about the same number of interactions at any scale.
                person_id=people[i % len(people)].pk,
                # Shifted each round of the list, so a person's interactions are of several kinds.
                kind=INTERACTION_KINDS[(i + i // len(people)) % len(INTERACTION_KINDS)],
                date=batch.start + timedelta(days=rng.randrange(span + 1)),
                note=sentence(rng, rng.randint(4, 16)) if i % 3 != 2 else "",
                created_by_id=recorders[i % len(recorders)],
            )
        )
    return rows


def _history(batch, municipality, people) -> tuple[list[HistoryNote], list[list[Person]]]:
    rng = batch.rng(municipality, "partners.history")
    notes, burnt = [], []
    for i in range(batch.count(HISTORY_NOTES)):
        year = batch.start.year - 1 - i % 15
        notes.append(
            HistoryNote(
                municipality=municipality,
                title=sentence(rng, rng.randint(3, 6)),
                period=f"{year}–{year + 1 + i % 3}",
                body=paragraph(rng, rng.randint(2, 4)),
            )
        )
        burnt.append(rng.sample(people, min(1 + i % 4, len(people))))
    return notes, burnt


def _ties(batch, municipality, people, organisations) -> list[SensitiveRelationship]:
    rng = batch.rng(municipality, "partners.ties")
    rows = []
    for i in range(batch.count(RELATIONSHIPS)):
        # Sides by position: person–person, person–organisation, organisation–organisation.
        shape = i % 3
        if shape == 0:  # there are always the five program people, so two distinct ones
            a, b = rng.sample(people, 2)
            sides = {"person_a": a, "person_b": b}
        elif shape == 2 and len(organisations) > 1:
            a, b = rng.sample(organisations, 2)
            sides = {"organisation_a": a, "organisation_b": b}
        else:
            sides = {"person_a": rng.choice(people), "organisation_b": rng.choice(organisations)}
        rows.append(
            SensitiveRelationship(
                municipality=municipality,
                level=(Level.HIGH, Level.MEDIUM, Level.LOW, Level.MEDIUM)[i % 4],
                note=sentence(rng, rng.randint(6, 14)),
                **sides,
            )
        )
    return rows


def generate(batch) -> dict[str, int]:
    people, organisations, per_municipality = [], [], []
    for municipality in batch.municipalities:
        mine = _people(batch, municipality)
        orgs = _organisations(batch, municipality)
        people += mine
        organisations += orgs
        per_municipality.append((municipality, mine, orgs))
    Person.objects.bulk_create(people, batch_size=BATCH_SIZE)
    Organisation.objects.bulk_create(organisations, batch_size=BATCH_SIZE)

    affiliations, engagements, interactions, notes, burnt, ties = [], [], [], [], [], []
    for municipality, mine, orgs in per_municipality:
        affiliations += _affiliations(batch, municipality, mine, orgs)
        engagements += _engagements(batch, municipality, mine)
        interactions += _interactions(batch, municipality, mine)
        n, b = _history(batch, municipality, mine)
        notes += n
        burnt += b
        ties += _ties(batch, municipality, mine, orgs)
    Affiliation.objects.bulk_create(affiliations, batch_size=BATCH_SIZE)
    Engagement.objects.bulk_create(engagements, batch_size=BATCH_SIZE)
    Interaction.objects.bulk_create(interactions, batch_size=BATCH_SIZE)
    HistoryNote.objects.bulk_create(notes, batch_size=BATCH_SIZE)
    Burnt = HistoryNote.burnt.through
    burnt_rows = [
        Burnt(historynote_id=note.pk, person_id=person.pk)
        for note, persons in zip(notes, burnt, strict=True)
        for person in persons
    ]
    Burnt.objects.bulk_create(burnt_rows, batch_size=BATCH_SIZE)
    SensitiveRelationship.objects.bulk_create(ties, batch_size=BATCH_SIZE)
    return {
        "partners_people": len(people),
        "partners_organisations": len(organisations),
        "partners_affiliations": len(affiliations),
        "partners_engagements": len(engagements),
        "partners_interactions": len(interactions),
        "partners_history_notes": len(notes),
        "partners_history_burnt": len(burnt_rows),
        "partners_relationships": len(ties),
    }
