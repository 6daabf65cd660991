"""The pilot rows of `generate_demo` (pilots/generate.py): proportions, statuses by position,
determinism, tenancy, and pages that render."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Count, F, ForeignKey, OneToOneField, Sum
from django.test import Client

from kehila.generate import Batch, generate
from kehila.models import Membership, Municipality, Role
from pilots.generate import STATUSES
from pilots.links import initiative_path
from pilots.models import (
    REACHED_ACTIVE,
    CommitteeSeat,
    Criterion,
    Disbursement,
    Grant,
    Hackathon,
    Initiative,
    InitiativeStatus,
    Measurement,
    Participant,
    ProgressReport,
    Score,
)

# Ten initiatives per municipality: every status of the cycle appears once.
SCALE = 0.05


def _generate(seed=1, prefix="gen"):
    # Today's date (the default): the year-2 hackathon must be open when the pages are opened.
    return generate(municipalities=2, scale=SCALE, years=2, seed=seed, prefix=prefix)


def _count(base: int) -> int:
    return Batch(seed=1, scale=SCALE, years=2, today=date.today(), municipalities=[]).count(base)


@pytest.fixture(scope="module")
def towns(django_db_setup, django_db_blocker):
    """Two municipalities written once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            _generate()
            yield list(Municipality.objects.filter(slug__startswith="gen-").order_by("slug"))
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _held(m):
    return Hackathon.objects.get(municipality=m, year=1)


def test_each_municipality_gets_a_hackathon_with_initiatives_in_proportion(towns, db):
    for m in towns:
        hackathon = _held(m)
        assert hackathon.program == m.program
        assert Participant.objects.filter(hackathon=hackathon).count() == _count(300)
        initiatives = list(Initiative.objects.filter(hackathon=hackathon).order_by("pk"))
        assert len(initiatives) == _count(200)
        assert CommitteeSeat.objects.filter(hackathon=hackathon).count() == 3
        active = [i for i in initiatives if i.status in REACHED_ACTIVE]
        assert Grant.objects.filter(initiative__hackathon=hackathon).count() == len(active)
        for initiative in active:
            assert initiative.connections.exists()
            assert initiative.progress_reports.exists()
            assert initiative.grants.get().disbursements.exists()
            # Every indicator of the initiative's track is measured.
            assert (
                initiative.measurements.count()
                == hackathon.indicators.filter(track=initiative.track).count()
            )
        for initiative in initiatives:
            if initiative.status not in REACHED_ACTIVE:
                assert not initiative.grants.exists()
                assert not initiative.measurements.exists()


def test_the_next_hackathon_takes_registrations_and_initiatives_now(towns, db):
    client = Client()
    for m in towns:
        hackathon = Hackathon.objects.get(municipality=m, year=2)
        assert hackathon.registration_is_open() and hackathon.submissions_are_open()
        assert Participant.objects.filter(hackathon=hackathon).count() == _count(60)
        initiatives = Initiative.objects.filter(hackathon=hackathon)
        assert initiatives.count() == _count(20)
        assert set(initiatives.values_list("status", flat=True)) == {InitiativeStatus.SUBMITTED}
        assert client.get(f"/public/pilot/{hackathon.pk}/register/").status_code == 200
        assert client.get(f"/public/pilot/{hackathon.pk}/submit/").status_code == 200
        # The held hackathon's forms are closed.
        assert client.get(f"/public/pilot/{_held(m).pk}/register/").status_code == 410


def test_statuses_follow_the_position_and_scores_follow_the_decision(towns, db):
    for m in towns:
        initiatives = list(Initiative.objects.filter(hackathon=_held(m)).order_by("pk"))
        assert [i.status for i in initiatives] == [
            STATUSES[n % len(STATUSES)] for n in range(len(initiatives))
        ]
        seats = CommitteeSeat.objects.filter(hackathon=_held(m))
        for initiative in initiatives:
            scores = Score.objects.filter(initiative=initiative)
            decided = initiative.status != InitiativeStatus.SUBMITTED
            assert scores.count() == (seats.count() if decided else 1)
            assert bool(initiative.decided_at) == decided
            for score in scores:
                assert all(1 <= getattr(score, c) <= 5 for c in Criterion.values)
                assert score.total == score.compute_total()
        # The richest initiative page (most scores, then lowest id) is the first: active and supported.
        richest = (
            Initiative.objects.filter(municipality=m)
            .annotate(n=Count("scores"))
            .order_by("-n", "pk")
            .first()
        )
        assert richest.status == InitiativeStatus.ACTIVE


def test_money_adds_up(towns, db):
    for m in towns:
        hackathon = _held(m)
        committed = Grant.objects.filter(municipality=m).aggregate(s=Sum("amount"))["s"]
        assert Decimal(0) < committed <= hackathon.pilot_budget
        assert not Grant.objects.filter(municipality=m, over_budget=True).exists()
        for grant in Grant.objects.filter(municipality=m):
            paid = grant.disbursements.aggregate(s=Sum("amount"))["s"]
            assert Decimal(0) < paid <= grant.amount


def test_every_row_belongs_to_the_municipality_of_its_parents(towns, db):
    checked = 0
    for model in apps.get_app_config("pilots").get_models():
        for field in model._meta.fields:
            if not isinstance(field, ForeignKey | OneToOneField) or field.name == "municipality":
                continue
            if "municipality" not in {f.name for f in field.related_model._meta.fields}:
                continue  # users
            rows = model.objects.filter(**{f"{field.name}__isnull": False})
            assert rows.exists(), f"{model.__name__}.{field.name}"
            strays = rows.exclude(municipality_id=F(f"{field.name}__municipality_id"))
            assert not strays.exists(), f"{model.__name__}.{field.name}"
            checked += 1
    assert checked >= 11
    # Judges are members of the municipality who sit on its committee.
    for score in Score.objects.select_related("initiative"):
        assert CommitteeSeat.objects.filter(
            hackathon_id=score.initiative.hackathon_id, user=score.member
        ).exists()
    for seat in CommitteeSeat.objects.all():
        assert Membership.objects.filter(user=seat.user, municipality=seat.municipality).exists()


def test_the_same_seed_writes_the_same_pilot_and_another_seed_another(db):
    def written(seed):
        with transaction.atomic():
            _generate(seed, prefix="seed")
            data = [
                list(
                    Initiative.objects.filter(municipality__slug=slug)
                    .order_by("pk")
                    .values_list("title", "status", "money_amount", "neighbourhood")
                )
                + list(
                    Disbursement.objects.filter(municipality__slug=slug)
                    .order_by("pk")
                    .values_list("amount", "paid_on")
                )
                + list(
                    ProgressReport.objects.filter(municipality__slug=slug)
                    .order_by("pk")
                    .values_list("text", flat=True)
                )
                + list(
                    Measurement.objects.filter(municipality__slug=slug)
                    .order_by("pk")
                    .values_list("value", flat=True)
                )
                for slug in ("seed-001", "seed-002")
            ]
            transaction.set_rollback(True)
        return data

    first = written(seed=3)
    assert first == written(seed=3)
    assert first != written(seed=4)


def test_the_manager_opens_the_pilot_pages_and_the_lead_their_link(towns, db):
    m = towns[0]
    hackathon = _held(m)
    initiative = Initiative.objects.filter(hackathon=hackathon).order_by("pk").first()
    client = Client()
    client.force_login(Membership.objects.get(municipality=m, role=Role.MANAGER).user)
    base = f"/m/{m.slug}/pilot"
    for url in [
        f"{base}/",
        f"{base}/hackathons/{hackathon.pk}/",
        f"{base}/hackathons/{hackathon.pk}/committee/",
        f"{base}/hackathons/{hackathon.pk}/participants/",
        f"{base}/hackathons/{hackathon.pk}/measurement/",
        f"{base}/scoring/",
        f"{base}/initiatives/{initiative.pk}/",
        f"{base}/initiatives/{initiative.pk}/score/",
    ]:
        assert client.get(url).status_code == 200, url
    public = Client()
    assert public.get(f"/public/pilot/{hackathon.pk}/").status_code == 200
    response = public.get(initiative_path(initiative))
    assert response.status_code == 200
    assert initiative.title in response.content.decode()


def test_every_generated_decision_passes_the_selection_gate(towns, db):
    """Decided after submissions closed, by at least the hackathon's required number of scorers."""
    from pilots.gates import counted_scores

    decided = Initiative.objects.exclude(status=InitiativeStatus.SUBMITTED).select_related(
        "hackathon"
    )
    assert decided.exists()
    for initiative in decided:
        assert initiative.decided_at >= initiative.hackathon.submission_deadline
        assert counted_scores(initiative).count() >= initiative.hackathon.required_scorers
