"""Signed stays signed in the ORM: no save, delete or QuerySet write changes a signed version's content
or its signatures; the workflow's own steps and unsigned drafts keep working."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from strategy import services
from strategy.models import (
    AgreementMilestone,
    AgreementSection,
    AgreementSignature,
    AgreementVersion,
    BudgetLine,
    PlanSignature,
    PlanVersion,
    Topic,
    VersionStatus,
)
from strategy.signed import SignedVersionError
from tests.strategy.factories import draft_agreement

pytestmark = pytest.mark.django_db


def content_of(version):
    """Everything that makes up a version, straight from the database."""
    model = type(version)
    version = model._base_manager.get(pk=version.pk)
    return (
        version.compute_hash(),
        version.content_hash,
        sorted(
            model.signatures.rel.related_model._base_manager.filter(version=version).values_list(
                "side", "sha256", "signed_by", "signed_at"
            )
        ),
    )


def test_a_signed_sections_text_cannot_be_saved(signed_agreement):
    before = content_of(signed_agreement)
    section = signed_agreement.sections.get(topic=Topic.GOALS)
    section.text = "נוסח אחר"
    with pytest.raises(SignedVersionError), transaction.atomic():
        section.save()
    assert content_of(signed_agreement) == before


@pytest.mark.parametrize("model", [AgreementSection, BudgetLine, AgreementMilestone])
def test_no_content_row_of_a_signed_version_is_deleted(signed_agreement, model):
    before = content_of(signed_agreement)
    row = model.objects.filter(version=signed_agreement).first()
    with pytest.raises(SignedVersionError), transaction.atomic():
        row.delete()
    with pytest.raises(SignedVersionError), transaction.atomic():
        model.objects.filter(version=signed_agreement).delete()
    assert content_of(signed_agreement) == before


@pytest.mark.parametrize(
    ("model", "change"),
    [
        (AgreementSection, {"text": "נוסח אחר"}),
        (BudgetLine, {"amount": Decimal("1")}),
        (AgreementMilestone, {"title": "אחר"}),
    ],
)
def test_a_queryset_update_cannot_go_round_the_guard(signed_agreement, model, change):
    before = content_of(signed_agreement)
    with pytest.raises(SignedVersionError), transaction.atomic():
        model.objects.filter(version=signed_agreement).update(**change)
    with pytest.raises(SignedVersionError), transaction.atomic():
        rows = list(model.objects.filter(version=signed_agreement))
        for row in rows:
            setattr(row, *next(iter(change.items())))
        model.objects.bulk_update(rows, list(change))
    assert content_of(signed_agreement) == before


def test_nothing_is_added_to_a_signed_version(signed_agreement):
    before = content_of(signed_agreement)
    line = BudgetLine(
        municipality=signed_agreement.municipality,
        version=signed_agreement,
        year=2027,
        source="partners",
        description="תוספת",
        amount=Decimal("5"),
    )
    with pytest.raises(SignedVersionError), transaction.atomic():
        line.save()
    with pytest.raises(SignedVersionError), transaction.atomic():
        BudgetLine.objects.bulk_create([line])
    draft = AgreementSection.objects.create(
        municipality=signed_agreement.municipality,
        version=services.agreement_new_version(
            agreement=signed_agreement.agreement, user=signed_agreement.created_by
        ),
        topic=Topic.GOALS + 100,
    )
    draft.version = signed_agreement
    with pytest.raises(SignedVersionError), transaction.atomic():
        draft.save()
    assert content_of(signed_agreement) == before


@pytest.mark.parametrize(
    "change",
    [{"title": "כותרת אחרת"}, {"content_hash": "0" * 64}, {"status": VersionStatus.DRAFT}],
)
def test_a_signed_versions_own_fields_are_frozen(signed_agreement, change):
    before = content_of(signed_agreement)
    version = AgreementVersion.objects.get(pk=signed_agreement.pk)
    for field, value in change.items():
        setattr(version, field, value)
    with pytest.raises(SignedVersionError), transaction.atomic():
        version.save()
    with pytest.raises(SignedVersionError), transaction.atomic():
        AgreementVersion.objects.filter(pk=version.pk).update(**change)
    with pytest.raises(SignedVersionError), transaction.atomic():
        version.delete()
    with pytest.raises(SignedVersionError), transaction.atomic():
        AgreementVersion.objects.filter(pk=version.pk).delete()
    assert content_of(signed_agreement) == before
    assert AgreementVersion.objects.get(pk=version.pk).status == VersionStatus.IN_FORCE


def test_a_signed_plan_versions_content_is_frozen(signed_plan):
    before = content_of(signed_plan)
    version = PlanVersion.objects.get(pk=signed_plan.pk)
    version.content = {**version.content, "vision": "חזון אחר"}
    with pytest.raises(SignedVersionError), transaction.atomic():
        version.save()
    with pytest.raises(SignedVersionError), transaction.atomic():
        PlanVersion.objects.filter(pk=version.pk).update(content={})
    assert content_of(signed_plan) == before


@pytest.mark.parametrize("fixture", ["signed_agreement", "signed_plan"])
def test_signatures_never_change(fixture, request, hq_user):
    version = request.getfixturevalue(fixture)
    model = AgreementSignature if fixture == "signed_agreement" else PlanSignature
    before = content_of(version)
    signature = model.objects.filter(version=version).first()
    signature.sha256 = "0" * 64
    with pytest.raises(SignedVersionError), transaction.atomic():
        signature.save()
    with pytest.raises(SignedVersionError), transaction.atomic():
        signature.delete()
    with pytest.raises(SignedVersionError), transaction.atomic():
        model.objects.filter(version=version).update(signed_at=datetime.datetime(2020, 1, 1))
    with pytest.raises(SignedVersionError), transaction.atomic():
        model.objects.filter(version=version).delete()
    assert content_of(version) == before


def test_a_newer_version_supersedes_a_signed_one(signed_agreement, manager, mayor_office, hq_user):
    """The workflow steps after signing move the status only, and still work."""
    from strategy.models import SignatureSide

    v2 = services.agreement_new_version(agreement=signed_agreement.agreement, user=manager)
    services.section_update(
        section=v2.sections.get(topic=Topic.GOALS), user=manager, text="נוסח שני", status="agreed"
    )
    services.agreement_submit(version=v2, user=manager)
    services.agreement_approve(version=v2, user=mayor_office)
    services.agreement_sign(version=v2, user=mayor_office, side=SignatureSide.MUNICIPALITY)
    services.agreement_sign(version=v2, user=hq_user, side=SignatureSide.PROGRAM)
    old = AgreementVersion.objects.get(pk=signed_agreement.pk)
    assert old.status == VersionStatus.SUPERSEDED
    assert old.compute_hash() == old.content_hash == signed_agreement.content_hash


def test_an_unsigned_draft_is_still_edited_and_deleted(municipality, manager):
    version = draft_agreement(municipality, user=manager)
    AgreementSection.objects.filter(version=version).update(text="טיוטה")
    BudgetLine.objects.filter(version=version).delete()
    version.delete()
    assert not AgreementVersion.objects.filter(pk=version.pk).exists()
    assert not AgreementSection.objects.filter(version_id=version.pk).exists()


def test_a_municipality_with_only_unsigned_drafts_can_be_deleted(municipality, manager):
    draft_agreement(municipality, user=manager)
    municipality.delete()
    assert not AgreementVersion.objects.exists()
