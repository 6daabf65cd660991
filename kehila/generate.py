"""National-scale synthetic data (`manage.py generate_demo`) for the load benchmark and query budgets.

The core (municipalities, programs, one user per role, memberships, the timeline) is written here; each
stage app adds its own rows through GENERATORS: `generate(batch) -> dict[str, int]` (rows written by
table), bulk-written for every municipality of the batch at once.

Two rules keep the data useful to the query-budget tests, which compare a municipality generated at a
small scale with one generated at ten times that scale:
- `batch.count(base)` is how many rows of a kind to write (at least one, so no page renders empty);
- anything that changes which branches a page takes (statuses, whether a meeting has minutes, whether
  a version is signed) follows the row's position, never the random generator, so both municipalities
  have the same shape and differ only in how many rows they hold. Randomness drives names, texts and
  values only, from `batch.rng(municipality, part)`, so a given --seed always gives the same data.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Membership, Municipality, Program, Role, Stage, Track

GENERATED_PASSWORD = "kehila-bench"  # noqa: S105 - synthetic users for benchmarks only
HQ_USERNAME = "hq-national"

GENERATORS: list[str] = [
    "partners.generate.generate",
    "committees.generate.generate",
    "strategy.generate.generate",
    "pilots.generate.generate",
]

# Real local authorities first; past the list, names repeat with a number (257 authorities in all).
TOWNS = (
    "ירושלים תל אביב-יפו חיפה ראשון לציון פתח תקווה אשדוד נתניה באר שבע בני ברק חולון רמת גן אשקלון "
    "רחובות בת ים בית שמש כפר סבא הרצליה חדרה מודיעין נצרת רמלה לוד רעננה רהט הוד השרון גבעתיים "
    "קריית גת נהריה עכו אילת אום אל-פחם קריית אתא כרמיאל טבריה צפת דימונה שדרות אופקים נתיבות ערד "
    "יקנעם קריית שמונה מעלות-תרשיחא בית שאן עפולה נוף הגליל טייבה טמרה סח'נין שפרעם מגדל העמק "
    "אור יהודה יהוד קריית מוצקין קריית ביאליק קריית ים נשר טירת כרמל אור עקיבא זכרון יעקב פרדס חנה "
    "גדרה יבנה קריית מלאכי קריית עקרון מזכרת בתיה גן יבנה באר יעקב נס ציונה ירוחם מצפה רמון "
    "שלומי חצור הגלילית ראש פינה מגדל שגב הגליל התחתון עמק יזרעאל גלבוע מרום הגליל מטה יהודה "
    "שער הנגב חוף אשקלון אשכול רמת נגב מרחבים בני שמעון לכיש יואב עמק המעיינות עמק הירדן"
).split(" ")
FIRST_NAMES = (
    "נועה תמר מאיה יעל שירה רוני אביגיל מרים שרה רחל חנה אסתר לאה דנה מיכל עדי ליאור הדס אורית "
    "סיגל רונית ענבל גלית יוסף דוד משה אברהם יצחק יעקב אורי איתי עומר נועם אריאל יונתן דניאל "
    "אלון גיא רועי עמית איתן בועז חיים שמעון מוחמד אחמד עלי חסן יוסוף סלים ראמי פאדי סמיר "
    "אמל סועאד ראניה לילא נור מונא רים ויקטוריה אולגה אנה סבטלנה דמיטרי סרגיי איגור ולדימיר"
).split(" ")
LAST_NAMES = (
    "כהן לוי מזרחי פרץ ביטון דהן אברהם פרידמן אזולאי מלכה חדד גבאי יוסף אוחיון שלום אדרי "
    "עמר בן דוד חביב סלאמה חורי עודה ג'בארין מסארווה אבו ריא נסאר זועבי קיזל איבנוב סמירנוב "
    "פוליאקוב גולדברג רוזן שפירא קפלן ברק שגיא נחום טל אורן רגב"
).split(" ")
WORDS = (
    "קהילה תושבים שכונה מרחב ציבורי חינוך צעירים משפחות קשישים תעסוקה שיתוף פעולה מנהיגות "
    "מקומית תוכנית עבודה יעד מדד מפגש ועדה היגוי צוות תכנון התנדבות תרבות ספורט בריאות "
    "נגישות ביטחון אישי סביבה גינה קהילתית מרכז קהילתי עירייה מחלקה רווחה הנדסה עסקים קטנים "
    "יזמות חדשנות פיילוט האקתון יוזמה תקציב שקיפות אמון השתתפות הקשבה חיבור בין דורות שפה "
    "עברית ערבית רוסית אמהרית פריפריה צמיחה פיתוח שירות נוער מועדון ספרייה פארק תחבורה"
).split(" ")


@dataclass
class Batch:
    """What every generator gets: the municipalities of this batch and the people to act as."""

    seed: int
    scale: float
    years: int
    today: date
    municipalities: list[Municipality]
    programs: dict[int, Program] = field(default_factory=dict)  # by municipality id
    users: dict[int, dict[str, object]] = field(
        default_factory=dict
    )  # municipality id -> role -> user
    hq: object = None

    def count(self, base: int) -> int:
        """How many rows of a kind, given its count at scale 1; never zero."""
        return max(1, round(base * self.scale))

    def rng(self, municipality: Municipality, part: str) -> random.Random:
        return random.Random(f"{self.seed}:{municipality.slug}:{part}")  # noqa: S311 - not secrets

    @property
    def start(self) -> date:
        """The first day of the generated history: `years` years before today."""
        return self.today - timedelta(days=365 * self.years)


def person_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def sentence(rng: random.Random, words: int = 8) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def paragraph(rng: random.Random, sentences: int = 3) -> str:
    return ". ".join(sentence(rng, rng.randint(6, 12)) for _ in range(sentences)) + "."


def town_name(index: int) -> str:
    name = TOWNS[index % len(TOWNS)]
    return name if index < len(TOWNS) else f"{name} {index // len(TOWNS) + 1}"


# About a third of Israel's local authorities are Arab or Druze, some of them mixed: the generated
# country keeps their calendars, so the timeline is planned (and measured) around their holidays too.
COMMUNITY_MIXES = [["muslim"], ["druze"], ["christian", "muslim"], ["jewish", "muslim"]]


def communities_of(index: int) -> list[str]:
    if index % 3 != 2:
        return ["jewish"]
    return COMMUNITY_MIXES[(index // 3) % len(COMMUNITY_MIXES)]


def _index(municipality: Municipality) -> int:
    """The municipality's position in the generation (slug `<prefix>-007` is 6)."""
    return int(municipality.slug.rsplit("-", 1)[1]) - 1


def _stage_at(days_since_scope: int) -> str:
    for limit, stage in [(120, Stage.MAPPING), (240, Stage.STRATEGY), (365, Stage.PILOT)]:
        if days_since_scope < limit:
            return stage
    return Stage.IMPLEMENTATION


def _core(batch: Batch, password_hash: str) -> None:
    User = get_user_model()
    tracks = Track.values
    programs = []
    for municipality in batch.municipalities:
        rng = batch.rng(municipality, "core")
        i = _index(municipality)
        # Scope decisions spread over the history (by position): a third of the country is in its
        # plan-and-pilot year, with milestones, meetings and slips still ahead; the rest implement.
        age = 60 + (i * 37) % max(1, 365 * batch.years - 150)
        programs.append(
            Program(
                municipality=municipality,
                start_date=batch.start,
                scope_decision_date=batch.today - timedelta(days=age),
                stage=_stage_at(age),
                tracks=[tracks[i % 4], tracks[(i + 1) % 4]],
                geographic_focus=sentence(rng, 5),
            )
        )
    Program.objects.bulk_create(programs)
    users, memberships = [], []
    for municipality in batch.municipalities:
        rng = batch.rng(municipality, "users")
        batch.users[municipality.pk] = {}
        for role in [r for r in Role.values if r != Role.HQ]:
            first, last = person_name(rng)
            user = User(
                username=f"{municipality.slug}-{role}",
                first_name=first,
                last_name=last,
                email=f"{municipality.slug}-{role}@example.org",
                password=password_hash,
            )
            users.append(user)
            batch.users[municipality.pk][role] = user
            memberships.append(
                Membership(
                    user=user,
                    municipality=municipality,
                    role=role,
                    track=Track.SOCIAL if role == Role.TRACK_LEAD else "",
                )
            )
    User.objects.bulk_create(users, batch_size=2000)
    Membership.objects.bulk_create(memberships, batch_size=2000)
    batch.programs = {p.municipality_id: p for p in programs}


def _timeline(batch: Batch) -> int:
    from .models import Milestone
    from .scheduling import timeline_replan

    for program in batch.programs.values():
        timeline_replan(program=program)
    # The past is past: what the plan put before today took place on its day.
    return Milestone.objects.filter(
        program__in=batch.programs.values(), planned__lt=batch.today
    ).update(status=Milestone.Status.HELD, actual=F("planned"))


def generate(
    *,
    municipalities: int,
    years: int = 3,
    seed: int = 1,
    scale: float = 1.0,
    prefix: str = "gen",
    today: date | None = None,
    chunk: int = 8,
    progress=None,
) -> dict[str, int]:
    """Write `municipalities` generated municipalities (slugs `<prefix>-001`…); return rows by table."""
    today = today or timezone.localdate()
    password_hash = make_password(GENERATED_PASSWORD)
    totals: dict[str, int] = {}
    User = get_user_model()
    hq, made = User.objects.get_or_create(
        username=HQ_USERNAME,
        defaults={"first_name": "מטה", "last_name": "ארצי", "password": password_hash},
    )
    if made:
        Membership.objects.create(user=hq, role=Role.HQ)
    generators = [import_string(path) for path in GENERATORS]
    for first in range(0, municipalities, chunk):
        with transaction.atomic():
            made_now = Municipality.objects.bulk_create(
                Municipality(
                    name=town_name(i),
                    name_en=f"Authority {i + 1}",
                    slug=f"{prefix}-{i + 1:03d}",
                    calendar_communities=communities_of(i),
                )
                for i in range(first, min(first + chunk, municipalities))
            )
            batch = Batch(
                seed=seed, scale=scale, years=years, today=today, municipalities=made_now, hq=hq
            )
            _core(batch, password_hash)
            totals["milestones_held"] = totals.get("milestones_held", 0) + _timeline(batch)
            for generate_app in generators:
                for table, rows in generate_app(batch).items():
                    totals[table] = totals.get(table, 0) + rows
        if progress:
            progress(min(first + chunk, municipalities), municipalities)
    return totals
