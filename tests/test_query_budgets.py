"""Query budgets over the whole URL map (issue 9): every page is rendered for a municipality generated at a
small scale and for one generated at ten times that scale (kehila/generate.py, the same shape at both
sizes), and must make the same number of queries at both, and at most CEILING.

A page added later is covered automatically. Its URL parameters come from OBJECTS below (the generated
object with the most rows hanging from it, so a detail page grows with the data) or, failing that, from
the app's tenancy samples (tests/<app>/tenancy_samples.py), which every parameter has already.
"""

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kehila.generate import HQ_USERNAME, generate
from kehila.models import Municipality, Role
from tests.urlmap import PARAM, all_routes

CEILING = 25
SMALL, LARGE = (
    0.01,
    0.1,
)  # rows per municipality relative to the national shape: LARGE is ten times SMALL
ROLES = [Role.MANAGER, Role.TEAM, Role.MAYOR_OFFICE, Role.TRACK_LEAD, Role.COMMITTEE_MEMBER]
SKIPPED_NAMESPACES = ("admin:",)  # Django's admin is not ours to budget
SKIPPED = {
    # Django's own auth pages (no data of ours behind them).
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    # A phone's poll answers only the phone that holds the session's key cookie; its fixed count at
    # two sizes is asserted in tests/live/test_views.py.
    "live_public:phone_poll",
}


def _richest(queryset, related: str):
    return queryset.annotate(n=Count(related, distinct=True)).order_by("-n", "pk").first()


def _pk(row):
    return row.pk if row else None


def _committees(m):
    from committees.models import Committee

    return _richest(Committee.objects.filter(municipality=m), "meetings")


def _meeting(m):
    from committees.models import Meeting

    return _richest(Meeting.objects.filter(committee__municipality=m), "invitations")


def _live_code(m):
    """The code of a live session open on the richest meeting (opened by the manager)."""
    from live.models import LiveSession

    meeting = _meeting(m)
    session = LiveSession.objects.filter(meeting=meeting, closed_at__isnull=True).first()
    if session is None:
        session = LiveSession.objects.create(
            municipality=m,
            meeting=meeting,
            code=f"Q{meeting.pk:05d}"[:12],
            note_taker="N",
            opened_by=get_user_model().objects.get(username=f"{m.slug}-{Role.MANAGER}"),
        )
    return session.code


def _member_person(m):
    from partners.models import Person

    return _richest(
        Person.objects.filter(municipality=m, committee_memberships__isnull=False).distinct(),
        "meeting_invitations",
    )


def _rsvp_token(m):
    from committees.links import rsvp_token

    meeting = _meeting(m)
    return rsvp_token(meeting.invitations.order_by("pk").first())


def _member_token(m):
    from committees.links import member_token

    return member_token(_member_person(m))


def _member_feed(m):
    from committees.services import member_calendar_for

    return member_calendar_for(person=_member_person(m)).token


def _committee_feed(m):
    from committees.services import committee_feed_token

    return committee_feed_token(committee=_committees(m))


def _initiative(m):
    from pilots.models import Initiative

    return _richest(Initiative.objects.filter(municipality=m), "scores")


def _initiative_token(m):
    from pilots.links import initiative_token

    return initiative_token(_initiative(m))


def _person(m):
    from partners.models import Person

    return _richest(Person.objects.filter(municipality=m), "interactions")


def _staged_import(m):
    """An import staged by the manager (only its uploader sees it) with a row per tenth of the people."""
    from partners.models import Person, StagedImport

    names = Person.objects.filter(municipality=m).order_by("pk").values_list("full_name", flat=True)
    return StagedImport.objects.create(
        municipality=m,
        user=get_user_model().objects.get(username=f"{m.slug}-{Role.MANAGER}"),
        filename="people.csv",
        rows=[{"full_name": name} for name in names[::10]],
    ).pk


def _agenda_attachment(m):
    from django.core.files.base import ContentFile

    item = _meeting(m).agenda_items.order_by("pk").first()
    item.attachment.save("agenda.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return item.pk


def _newest_hackathon(m):
    from pilots.models import Hackathon

    return Hackathon.objects.filter(municipality=m).order_by("-year").first()


def _first(model_path: str, municipality_field: str):
    def pick(m):
        module, name = model_path.rsplit(".", 1)
        model = getattr(importlib.import_module(module), name)
        row = model.objects.filter(**{municipality_field: m}).order_by("pk").first()
        return row.pk if row else None

    return pick


# (app, parameter) -> municipality -> value. App "" matches any app.
OBJECTS = {
    ("partners", "person_id"): lambda m: _pk(_person(m)),
    ("partners", "import_id"): _staged_import,
    ("partners", "row_number"): lambda m: 1,
    ("committees", "agenda_attachment"): _agenda_attachment,
    ("committees", "committee_id"): lambda m: _pk(_committees(m)),
    ("committees", "meeting_id"): lambda m: _pk(_meeting(m)),
    ("committees", "member_id"): _first(
        "committees.models.CommitteeMember", "committee__municipality"
    ),
    ("committees", "action_id"): _first("committees.models.ActionItem", "municipality"),
    ("committees_public", "rsvp"): _rsvp_token,
    ("committees_public", "member"): _member_token,
    ("committees_public", "member_feed_revoke"): _member_token,
    # member_correct/<token>/<minutes_id>: the member's token and any minutes (the view answers POST only)
    ("committees_public", "token"): _member_token,
    ("committees", "minutes_id"): _first("committees.models.Minutes", "municipality"),
    ("committees_public", "member_feed"): _member_feed,
    ("committees_public", "committee_feed"): _committee_feed,
    ("pilots", "initiative_id"): lambda m: _pk(_initiative(m)),
    ("pilots", "hackathon_id"): _first("pilots.models.Hackathon", "municipality"),
    ("pilots", "grant_id"): _first("pilots.models.Grant", "municipality"),
    ("pilots", "seat_id"): _first("pilots.models.CommitteeSeat", "municipality"),
    # The public forms answer 410 once a hackathon closed: the generated open one is the newest.
    ("pilots_public", "hackathon_id"): lambda m: _pk(_newest_hackathon(m)),
    ("pilots_public", "initiative"): _initiative_token,
    ("pilots_public", "progress"): _initiative_token,
    ("live", "meeting_id"): lambda m: _pk(_meeting(m)),
    ("live_public", "code"): _live_code,
    ("live_public", "token"): _rsvp_token,
    # My account (issue 16): a signed e-mail change link; any text reaches the view (login first).
    ("", "account_email_confirm"): lambda m: "not-a-signed-link",
}


def _tenancy_samples(app: str) -> dict:
    try:
        return importlib.import_module(f"tests.{app}.tenancy_samples").SAMPLES
    except ModuleNotFoundError:
        return {}


def _value(route, param: str, municipality):
    namespace, _, name = route.name.rpartition(":")
    app = namespace.removesuffix("_public")
    if param == "slug":
        return municipality.slug
    for key in [(namespace, name), (namespace, param), (app, param)]:
        if key in OBJECTS:
            value = OBJECTS[key](municipality)
            if value is not None:
                return value
    samples = _tenancy_samples(app)
    assert param in samples, f"{route.name}: no sample for {param!r}: add one to OBJECTS"
    return samples[param](municipality)


# Pages that take what they show from the query string.
QUERY = {
    "strategy:track": lambda m: f"?track={m.program.tracks[0]}",
    "strategy:action_add": lambda m: f"?track={m.program.tracks[0]}",
    "strategy:logic_model": lambda m: f"?track={m.program.tracks[0]}",
    "partners:list": lambda m: "?consent=active",
}


def build_url(route, municipality) -> str:
    url = route.route
    for match in PARAM.finditer(route.route):
        url = url.replace(match.group(0), str(_value(route, match.group("name"), municipality)), 1)
    return "/" + url + QUERY.get(route.name, lambda m: "")(municipality)


ROUTES = [
    r for r in all_routes() if r.name not in SKIPPED and not r.name.startswith(SKIPPED_NAMESPACES)
]


@pytest.fixture(scope="module")
def towns(django_db_setup, django_db_blocker):
    """One municipality at each size, written once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            for prefix, scale in [("small", SMALL), ("large", LARGE)]:
                generate(municipalities=1, years=2, seed=9, scale=scale, prefix=prefix)
            yield {
                "small": Municipality.objects.get(slug="small-001"),
                "large": Municipality.objects.get(slug="large-001"),
            }
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _users_for(route, municipality) -> list:
    User = get_user_model()
    if route.name == "kehila:hq":
        return [User.objects.get(username=HQ_USERNAME)]
    if not route.route.startswith("m/"):
        return [None]
    return [User.objects.get(username=f"{municipality.slug}-{role}") for role in ROLES]


def _render(route, municipality):
    """(status, queries) as the first role allowed to see the page sees it, with an empty cache."""
    url = build_url(route, municipality)
    for user in _users_for(route, municipality):
        client = Client()
        if user is not None:
            client.force_login(user)
        client.get(url)  # warm what lives in the process (content types, translations)
        cache.clear()  # and measure the worst case: no cached fragment, the session from the database
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        if response.status_code not in (403,):
            return response.status_code, len(ctx.captured_queries), url
    return 403, len(ctx.captured_queries), url


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_every_page_keeps_its_query_budget(route, towns, db):
    small_status, small, small_url = _render(route, towns["small"])
    if small_status == 405:
        pytest.skip("answers POST only")
    large_status, large, large_url = _render(route, towns["large"])
    assert small_status == large_status, (small_url, small_status, large_url, large_status)
    assert small_status in (200, 302), f"{small_url} answered {small_status}"
    assert small == large, (
        f"{route.name}: {small} queries with little data, {large} with ten times more"
    )
    assert large <= CEILING, f"{route.name}: {large} queries, over the ceiling of {CEILING}"


def test_the_two_sizes_really_differ(towns, db):
    from partners.models import Interaction

    small = Interaction.objects.filter(municipality=towns["small"]).count()
    large = Interaction.objects.filter(municipality=towns["large"]).count()
    assert large >= 9 * small > 0
