"""Signed stays signed in the Django admin: a signed version, its sections, budget lines, milestones and
signatures are shown read-only; a change or delete posted anyway changes nothing."""

import pytest

from strategy.models import (
    AgreementMilestone,
    AgreementSection,
    AgreementSignature,
    BudgetLine,
    PlanSignature,
    Topic,
)

pytestmark = pytest.mark.django_db


def everything(version):
    model = type(version)
    version = model.objects.get(pk=version.pk)
    signatures = list(version.signatures.values_list("side", "sha256", "signed_at", "signed_by"))
    return version.compute_hash(), version.content_hash, sorted(signatures)


def admin_url(obj, view="change"):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/{view}/"


def test_a_signed_section_posted_through_the_admin_changes_nothing(signed_agreement, admin_client):
    before = everything(signed_agreement)
    section = AgreementSection.objects.get(version=signed_agreement, topic=Topic.GOALS)
    page = admin_client.get(admin_url(section))
    assert page.status_code == 200
    assert b'name="text"' not in page.content  # shown, not editable
    response = admin_client.post(
        admin_url(section),
        {"municipality": section.municipality_id, "version": section.version_id,
         "topic": section.topic, "text": "נוסח אחר", "status": section.status},
    )  # fmt: skip
    assert response.status_code == 403
    assert admin_client.post(admin_url(section, "delete"), {"post": "yes"}).status_code == 403
    assert everything(signed_agreement) == before


@pytest.mark.parametrize("model", [BudgetLine, AgreementMilestone, AgreementSignature])
def test_no_row_of_a_signed_agreement_is_changed_or_deleted_in_the_admin(
    signed_agreement, admin_client, model
):
    before = everything(signed_agreement)
    row = model.objects.filter(version=signed_agreement).first()
    assert admin_client.post(admin_url(row), {"title": "x", "amount": "1"}).status_code == 403
    assert admin_client.post(admin_url(row, "delete"), {"post": "yes"}).status_code == 403
    listing = f"/admin/strategy/{model._meta.model_name}/"
    response = admin_client.post(
        listing, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    assert everything(signed_agreement) == before
    assert model.objects.filter(pk=row.pk).exists()


def test_the_signed_version_page_shows_its_content_and_signatures_read_only(
    signed_agreement, admin_client
):
    page = admin_client.get(admin_url(signed_agreement)).content.decode()
    assert "קהילה מיטיבה" in page  # the goals section's text, in the read-only inline
    assert signed_agreement.content_hash in page
    assert 'name="sections-0-text"' not in page
    assert "DELETE" not in page.replace("delete_selected", "")


def test_a_plan_signature_is_read_only_in_the_admin(signed_plan, admin_client):
    before = everything(signed_plan)
    signature = PlanSignature.objects.filter(version=signed_plan).first()
    assert admin_client.post(admin_url(signature), {"sha256": "0" * 64}).status_code == 403
    assert admin_client.post(admin_url(signature, "delete"), {"post": "yes"}).status_code == 403
    assert admin_client.post(admin_url(signed_plan), {"content": "{}"}).status_code == 403
    assert everything(signed_plan) == before
