"""The demo municipality that `make run` loads once. Stage apps add their own demo rows through
DEMO_LOADERS (each `load(program, users)` must be idempotent: a second run adds nothing)."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.module_loading import import_string

from .models import Membership, Municipality, Role, Stage, Track
from .programs import program_ensure

DEMO_PASSWORD = "kehila-demo"  # noqa: S105 - printed on purpose: it is the demo's login

DEMO_USERS = [
    # username, first name, last name, role, track
    ("manager", "נועה", "כהן", Role.MANAGER, ""),
    ("team", "יוסי", "לוי", Role.TEAM, ""),
    ("mayor", "רחל", "אברהם", Role.MAYOR_OFFICE, ""),
    ("tracklead", "עומר", "חדד", Role.TRACK_LEAD, Track.SOCIAL),
    ("member", "מרים", "סלאמה", Role.COMMITTEE_MEMBER, ""),
    ("hq", "דנה", "פרץ", Role.HQ, ""),
]

DEMO_LOADERS: list[str] = [
    # "partners.demo.load",
    "pilots.demo.load",
    "partners.demo.load",
    "committees.demo.load",
    "committees.demo.load_managers_meeting",
    "strategy.demo.load",
    "kehila.scheduling.demo_load",
    # after the plan exists: the committees' demo meeting becomes design meeting 1 of the timeline
    "committees.demo.link_timeline",
]


@transaction.atomic
def load_demo() -> dict:
    """Create the demo municipality, its program and one user per role; return what was created."""
    created = {"municipalities": 0, "users": 0}
    municipality, made = Municipality.objects.get_or_create(
        slug="ein-hagalil",
        defaults={"name": "עין הגליל", "name_en": "Ein HaGalil", "name_ar": "عين الجليل"},
    )
    created["municipalities"] += int(made)
    other, made = Municipality.objects.get_or_create(
        slug="neve-hadarim",
        defaults={"name": "נווה הדרים", "name_en": "Neve Hadarim", "name_ar": "نفيه هداريم"},
    )
    created["municipalities"] += int(made)
    program = program_ensure(
        municipality=municipality,
        start_date=date(2026, 9, 1),
        stage=Stage.BODIES,
        tracks=[Track.SOCIAL, Track.URBAN],
        geographic_focus="שכונת הרקפות ושכונת הגפן",
    )
    program_ensure(municipality=other, stage=Stage.KICKOFF)

    User = get_user_model()
    users = {}
    for username, first, last, role, track in DEMO_USERS:
        user, made = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.kehila.example",
            },
        )
        if made:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created["users"] += 1
        Membership.objects.get_or_create(
            user=user,
            municipality=None if role == Role.HQ else municipality,
            defaults={"role": role, "track": track},
        )
        users[role] = user
    for path in DEMO_LOADERS:
        import_string(path)(program, users)
    return created
