"""The strategy rows of `generate_demo` (strategy/generate.py): proportions, determinism, tenancy, and a
strategic plan that the public page shows."""

from datetime import date

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import F, ForeignKey, OneToOneField
from django.test import Client

from kehila.generate import Batch, generate
from kehila.models import Membership, Municipality, Role
from strategy.models import (
    Action,
    ActionBudget,
    AgreementSection,
    AgreementVersion,
    BudgetLine,
    FocusChallenge,
    IndicatorReading,
    KickoffStep,
    LogicModel,
    MappingFinding,
    Objective,
    Plan,
    PlanVersion,
    ScopeDecision,
    SectionComment,
    SignatureSide,
    Topic,
    VersionStatus,
)
from strategy.plan_content import plan_content
from strategy.selectors import versions_with_content

SCALE = 0.01
TODAY = date(2026, 11, 23)


def _generate(seed=1, prefix="gen"):
    return generate(municipalities=2, scale=SCALE, years=2, seed=seed, prefix=prefix, today=TODAY)


def _count(base: int) -> int:
    return Batch(seed=1, scale=SCALE, years=2, today=TODAY, municipalities=[]).count(base)


@pytest.fixture(scope="module")
def towns(django_db_setup, django_db_blocker):
    """Two municipalities written once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            totals = _generate()
            yield (
                totals,
                list(Municipality.objects.filter(slug__startswith="gen-").order_by("slug")),
            )
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_each_municipality_gets_the_documents_and_rows_in_proportion(towns, db):
    totals, municipalities = towns
    for m in municipalities:
        mine = {"municipality": m}
        assert AgreementVersion.objects.filter(**mine).count() == 3
        assert AgreementSection.objects.filter(**mine).count() == 3 * len(Topic.values)
        assert BudgetLine.objects.filter(**mine).count() == 3 * _count(30)
        assert SectionComment.objects.filter(**mine).count() == _count(60)
        assert KickoffStep.objects.filter(**mine, done=True).count() == 6
        assert ScopeDecision.objects.filter(**mine, status=VersionStatus.APPROVED).count() == 1
        assert FocusChallenge.objects.filter(**mine).count() == 5
        assert Objective.objects.filter(**mine).count() == _count(40)
        assert Action.objects.filter(**mine).count() == _count(500)
        assert IndicatorReading.objects.filter(**mine).count() == _count(2000)
        assert MappingFinding.objects.filter(**mine).count() == _count(150)
        assert PlanVersion.objects.filter(**mine).count() == 3
        # One to three budget lines per action, and a logic model for each of the program's tracks.
        actions = _count(500)
        assert actions <= ActionBudget.objects.filter(**mine).count() <= 3 * actions
        tracks = set(m.program.tracks)
        assert set(LogicModel.objects.filter(**mine).values_list("track", flat=True)) == tracks
        assert set(Action.objects.filter(**mine).values_list("track", flat=True)) <= tracks
    assert totals["strategy_action"] == 2 * _count(500)
    assert totals["strategy_indicatorreading"] == 2 * _count(2000)


def _content(m):
    return {
        "actions": list(
            Action.objects.filter(municipality=m)
            .order_by("pk")
            .values_list("title", "track", "start", "end", "kind")
        ),
        "readings": list(
            IndicatorReading.objects.filter(municipality=m)
            .order_by("pk")
            .values_list("measured_on", "value")
        ),
        "sections": list(
            AgreementSection.objects.filter(municipality=m)
            .order_by("pk")
            .values_list("topic", "text", "status")
        ),
        "challenges": list(
            FocusChallenge.objects.filter(municipality=m).order_by("number").values("title")
        ),
    }


def test_the_same_seed_writes_the_same_plan_and_another_seed_another(db):
    def written(seed):
        with transaction.atomic():
            _generate(seed, prefix="seed")
            towns = Municipality.objects.filter(slug__startswith="seed-").order_by("slug")
            data = [_content(m) for m in towns]
            transaction.set_rollback(True)
        return data

    first = written(seed=3)
    assert first == written(seed=3)
    assert first != written(seed=4)


def test_every_row_belongs_to_the_municipality_of_its_parents(towns, db):
    checked = 0
    for model in apps.get_app_config("strategy").get_models():
        if "municipality" not in {f.name for f in model._meta.fields}:
            continue
        for field in model._meta.fields:
            if not isinstance(field, ForeignKey | OneToOneField) or field.name == "municipality":
                continue
            parent = field.related_model
            if "municipality" not in {f.name for f in parent._meta.fields}:
                continue  # users
            rows = model.objects.filter(**{f"{field.name}__isnull": False})
            assert rows.exists(), f"{model.__name__}.{field.name}"
            strays = rows.exclude(municipality_id=F(f"{field.name}__municipality_id"))
            assert not strays.exists(), f"{model.__name__}.{field.name}"
            checked += 1
    assert checked >= 15


def test_signatures_and_approvals_come_from_the_municipality_and_hq(towns, db):
    _totals, municipalities = towns
    for m in municipalities:
        mayor = Membership.objects.get(municipality=m, role=Role.MAYOR_OFFICE).user
        for version in [
            *AgreementVersion.objects.filter(municipality=m),
            *PlanVersion.objects.filter(municipality=m),
        ]:
            assert version.decided_by == mayor
            for signature in version.signatures.all():
                assert signature.municipality == m
                if signature.side == SignatureSide.MUNICIPALITY:
                    assert signature.signed_by == mayor
                else:
                    assert Membership.objects.filter(
                        user=signature.signed_by, role=Role.HQ
                    ).exists()


def test_the_latest_agreement_is_in_force_signed_by_both_sides_and_its_hash_holds(towns, db):
    _totals, municipalities = towns
    for m in municipalities:
        versions = list(versions_with_content().filter(municipality=m).order_by("number"))
        assert [v.status for v in versions] == [
            VersionStatus.RETURNED,
            VersionStatus.SUPERSEDED,
            VersionStatus.IN_FORCE,
        ]
        assert versions[0].review_comment
        for version in versions:
            # The same hash the workflow computes from the rows: signing and exports agree.
            assert version.content_hash == version.compute_hash()
        assert {s.side for s in versions[-1].signatures.all()} == set(SignatureSide.values)
        assert {s.sha256 for s in versions[-1].signatures.all()} == {versions[-1].content_hash}


def test_the_plan_in_force_is_the_assembled_plan_and_the_public_page_shows_it(towns, db):
    _totals, municipalities = towns
    client = Client()
    for m in municipalities:
        plan = Plan.objects.get(municipality=m)
        versions = list(PlanVersion.objects.filter(municipality=m).order_by("number"))
        assert [v.status for v in versions] == [
            VersionStatus.SUPERSEDED,
            VersionStatus.RETURNED,
            VersionStatus.IN_FORCE,
        ]
        latest = versions[-1]
        assert latest.content == plan_content(plan, number=3)
        assert all(v.content_hash == v.compute_hash() for v in versions)
        assert {s.side for s in latest.signatures.all()} == set(SignatureSide.values)
        response = client.get(f"/public/strategy/{m.slug}/plan/")
        assert response.status_code == 200
        assert response.context["version"] == latest
        assert plan.title in response.content.decode()


def test_the_manager_opens_the_plan_and_agreement_pages(towns, db):
    _totals, municipalities = towns
    m = municipalities[0]
    client = Client()
    client.force_login(Membership.objects.get(municipality=m, role=Role.MANAGER).user)
    track = m.program.tracks[0]
    version = PlanVersion.objects.filter(municipality=m).order_by("-number").first()
    for url in [
        f"/m/{m.slug}/strategy/agreement/",
        f"/m/{m.slug}/strategy/kickoff/",
        f"/m/{m.slug}/strategy/hiring/",
        f"/m/{m.slug}/strategy/plan/",
        f"/m/{m.slug}/strategy/plan/work-plan/?track={track}",
        f"/m/{m.slug}/strategy/plan/logic-model/?track={track}",
        f"/m/{m.slug}/strategy/plan/mapping/",
        f"/m/{m.slug}/strategy/plan/v/{version.pk}/",
    ]:
        assert client.get(url).status_code == 200, url
