"""The approval workflow of the agreements document: every transition for every role, and the refusals
the issue lists (approving without the role, signing twice, signing a superseded version, editing a
signed version), each leaving the database as it was."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import translation

from kehila.models import AuditLog
from strategy import services
from strategy.approvals import WorkflowError
from strategy.models import (
    AgreementSignature,
    AgreementVersion,
    BudgetLine,
    SectionStatus,
    SignatureSide,
    Topic,
    VersionStatus,
)
from tests.helpers import assert_nothing_changed
from tests.strategy.factories import draft_agreement


@pytest.fixture(autouse=True)
def _english_messages():
    """Refusal messages are matched in English; the portal's default language is Hebrew."""
    with translation.override("en"):
        yield


ROLES = ["manager", "team", "mayor_office", "track_lead", "committee_member", "hq"]


def reload(version):
    return AgreementVersion.objects.get(pk=version.pk)


@pytest.fixture
def draft(municipality, users_by_role):
    return draft_agreement(municipality, user=users_by_role["manager"])


@pytest.fixture
def submitted(draft, users_by_role):
    return services.agreement_submit(version=draft, user=users_by_role["manager"])


@pytest.fixture
def approved(submitted, users_by_role):
    return services.agreement_approve(version=submitted, user=users_by_role["mayor_office"])


def sign_both(version, users):
    services.agreement_sign(
        version=version, user=users["mayor_office"], side=SignatureSide.MUNICIPALITY
    )
    services.agreement_sign(version=version, user=users["hq"], side=SignatureSide.PROGRAM)
    return reload(version)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_program_team_submits_a_draft(role, draft, users_by_role):
    user = users_by_role[role]
    if role in ("manager", "team"):
        services.agreement_submit(version=draft, user=user)
        assert reload(draft).status == VersionStatus.SUBMITTED
        assert reload(draft).content_hash == draft.compute_hash()
    else:
        with assert_nothing_changed(), pytest.raises(PermissionDenied):
            services.agreement_submit(version=draft, user=user)
        assert reload(draft).status == VersionStatus.DRAFT


@pytest.mark.parametrize("role", ROLES)
def test_only_the_mayors_office_approves(role, submitted, users_by_role):
    user = users_by_role[role]
    if role == "mayor_office":
        services.agreement_approve(version=submitted, user=user)
        assert reload(submitted).status == VersionStatus.APPROVED
        assert reload(submitted).decided_by == user
    else:
        with assert_nothing_changed(), pytest.raises(PermissionDenied):
            services.agreement_approve(version=submitted, user=user)
        assert reload(submitted).status == VersionStatus.SUBMITTED


@pytest.mark.parametrize("role", ROLES)
def test_only_the_mayors_office_returns_with_comments(role, submitted, users_by_role):
    user = users_by_role[role]
    if role == "mayor_office":
        services.agreement_return(version=submitted, user=user, comment="להרחיב את סעיף 9")
        version = reload(submitted)
        assert version.status == VersionStatus.RETURNED
        assert version.review_comment == "להרחיב את סעיף 9"
    else:
        with assert_nothing_changed(), pytest.raises(PermissionDenied):
            services.agreement_return(version=submitted, user=user, comment="x")
        assert reload(submitted).status == VersionStatus.SUBMITTED


@pytest.mark.parametrize("role", ROLES)
def test_only_the_mayors_office_signs_for_the_municipality(role, approved, users_by_role):
    user = users_by_role[role]
    if role == "mayor_office":
        signature = services.agreement_sign(
            version=approved, user=user, side=SignatureSide.MUNICIPALITY
        )
        assert signature.sha256 == approved.content_hash
        assert signature.signed_by == user
    else:
        with assert_nothing_changed(), pytest.raises(PermissionDenied):
            services.agreement_sign(version=approved, user=user, side=SignatureSide.MUNICIPALITY)
        assert not AgreementSignature.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_program_hq_signs_for_the_program(role, approved, users_by_role):
    user = users_by_role[role]
    if role == "hq":
        services.agreement_sign(version=approved, user=user, side=SignatureSide.PROGRAM)
        assert AgreementSignature.objects.get().side == SignatureSide.PROGRAM
    else:
        with assert_nothing_changed(), pytest.raises(PermissionDenied):
            services.agreement_sign(version=approved, user=user, side=SignatureSide.PROGRAM)
        assert not AgreementSignature.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_the_program_team_starts_a_new_version(role, approved, users_by_role):
    user = users_by_role[role]
    agreement = approved.agreement
    if role in ("manager", "team"):
        new = services.agreement_new_version(agreement=agreement, user=user)
        assert new.number == 2 and new.status == VersionStatus.DRAFT
        assert reload(approved).status == VersionStatus.SUPERSEDED
    else:
        with assert_nothing_changed(), pytest.raises(PermissionDenied):
            services.agreement_new_version(agreement=agreement, user=user)
        assert agreement.versions.count() == 1


def test_both_signatures_put_the_version_in_force_and_record_who_when_and_the_hash(
    approved, users_by_role
):
    version = sign_both(approved, users_by_role)
    assert version.status == VersionStatus.IN_FORCE
    assert version.in_force_at is not None
    signatures = {s.side: s for s in version.signatures.all()}
    assert signatures["municipality"].signed_by == users_by_role["mayor_office"]
    assert signatures["program"].signed_by == users_by_role["hq"]
    assert {s.sha256 for s in signatures.values()} == {version.content_hash}
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {
        "version.submit",
        "version.approve",
        "version.sign.municipality",
        "version.sign.program",
        "version.in_force",
    } <= actions


def test_signing_twice_is_refused_and_changes_nothing(approved, users_by_role):
    services.agreement_sign(
        version=approved, user=users_by_role["mayor_office"], side=SignatureSide.MUNICIPALITY
    )
    with pytest.raises(WorkflowError, match="already signed"):
        services.agreement_sign(
            version=approved, user=users_by_role["mayor_office"], side=SignatureSide.MUNICIPALITY
        )
    assert AgreementSignature.objects.count() == 1
    assert reload(approved).status == VersionStatus.APPROVED


def test_signing_a_superseded_version_is_refused(approved, users_by_role):
    services.agreement_new_version(agreement=approved.agreement, user=users_by_role["manager"])
    with pytest.raises(WorkflowError, match="newer version"):
        services.agreement_sign(
            version=reload(approved), user=users_by_role["hq"], side=SignatureSide.PROGRAM
        )
    assert not AgreementSignature.objects.exists()


def test_signing_before_approval_is_refused(submitted, users_by_role):
    with pytest.raises(WorkflowError):
        services.agreement_sign(
            version=submitted, user=users_by_role["hq"], side=SignatureSide.PROGRAM
        )
    assert not AgreementSignature.objects.exists()


def test_approving_twice_or_approving_a_draft_is_refused(draft, users_by_role):
    with pytest.raises(WorkflowError):
        services.agreement_approve(version=draft, user=users_by_role["mayor_office"])
    assert reload(draft).status == VersionStatus.DRAFT


def test_returning_needs_a_comment(submitted, users_by_role):
    with pytest.raises(WorkflowError):
        services.agreement_return(
            version=submitted, user=users_by_role["mayor_office"], comment=" "
        )
    assert reload(submitted).status == VersionStatus.SUBMITTED


def test_editing_a_signed_version_is_refused_and_changes_nothing(approved, users_by_role):
    version = sign_both(approved, users_by_role)
    section = version.sections.get(topic=Topic.GOALS)
    before = version.compute_hash()
    with pytest.raises(WorkflowError, match="signed"):
        services.section_update(section=section, user=users_by_role["manager"], text="שונה")
    with pytest.raises(WorkflowError):
        services.budget_line_add(
            version=version,
            user=users_by_role["manager"],
            year=2027,
            source="partners",
            description="תוספת",
            amount=Decimal(5),
        )
    line = version.budget_lines.first()
    with pytest.raises(WorkflowError):
        services.budget_line_delete(line=line, user=users_by_role["manager"])
    assert reload(version).compute_hash() == before == version.content_hash


def test_a_change_after_signing_makes_a_new_version_that_needs_approval_again(
    approved, users_by_role
):
    signed = sign_both(approved, users_by_role)
    manager = users_by_role["manager"]
    new = services.agreement_new_version(agreement=signed.agreement, user=manager)
    services.section_update(
        section=new.sections.get(topic=Topic.GOALS),
        user=manager,
        text="נוסח חדש",
        status=SectionStatus.AGREED,
    )
    assert reload(signed).status == VersionStatus.IN_FORCE  # stays in force meanwhile
    services.agreement_submit(version=new, user=manager)
    services.agreement_approve(version=new, user=users_by_role["mayor_office"])
    new = sign_both(new, users_by_role)
    assert new.status == VersionStatus.IN_FORCE
    assert reload(signed).status == VersionStatus.SUPERSEDED
    assert new.content_hash != signed.content_hash


def test_a_returned_version_is_revised_in_a_new_version(submitted, users_by_role):
    services.agreement_return(
        version=submitted, user=users_by_role["mayor_office"], comment="חסר תקציב"
    )
    new = services.agreement_new_version(
        agreement=submitted.agreement, user=users_by_role["manager"]
    )
    assert reload(submitted).status == VersionStatus.RETURNED
    assert new.budget_lines.count() == 2 and new.sections.count() == 11


def test_there_is_only_one_draft_at_a_time(draft, users_by_role):
    with pytest.raises(WorkflowError):
        services.agreement_new_version(agreement=draft.agreement, user=users_by_role["manager"])


def test_submitting_e_mails_the_mayors_office_once(
    draft, users_by_role, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_submit(version=draft, user=users_by_role["manager"])
    assert [m.to for m in mail.outbox] == [[users_by_role["mayor_office"].email]]
    assert "1" in mail.outbox[0].subject
    services._notify_mayor_office(draft.pk)
    assert len(mail.outbox) == 1


def test_the_same_version_always_hashes_the_same(draft):
    first = draft.compute_hash()
    assert reload(draft).compute_hash() == first
    assert len(first) == 64


@pytest.mark.parametrize(
    "edit",
    ["section_text", "section_status", "budget_amount", "budget_add", "title", "milestone"],
)
def test_any_edit_changes_the_hash(edit, draft, users_by_role):
    import datetime

    manager = users_by_role["manager"]
    before = draft.compute_hash()
    section = draft.sections.get(topic=Topic.GOALS)
    if edit == "section_text":
        services.section_update(section=section, user=manager, text=section.text + ".")
    elif edit == "section_status":
        services.section_update(
            section=section, user=manager, text=section.text, owner=section.owner, status="draft"
        )
    elif edit == "budget_amount":
        line = draft.budget_lines.first()
        BudgetLine.objects.filter(pk=line.pk).update(amount=line.amount + 1)
    elif edit == "budget_add":
        services.budget_line_add(
            version=draft,
            user=manager,
            year=2029,
            source="partners",
            description="שותפים",
            amount=Decimal(1),
        )
    elif edit == "title":
        services.agreement_version_update(
            version=draft,
            user=manager,
            title="כותרת אחרת",
            term_start_year=2027,
            term_end_year=2029,
        )
    elif edit == "milestone":
        services.milestone_add(
            version=draft, user=manager, title="השקה", due_date=datetime.date(2027, 5, 1)
        )
    assert reload(draft).compute_hash() != before


def test_the_snapshot_hash_does_not_depend_on_row_order(draft, users_by_role):
    before = draft.compute_hash()
    lines = list(draft.budget_lines.all())
    for line in lines:  # re-insert in reverse: same content, new ids
        line.delete()
    for line in reversed(lines):
        line.pk = None
        line.save()
    assert reload(draft).compute_hash() == before


def test_the_signed_agreement_ends_the_kickoff_stage(approved, users_by_role):
    from kehila.models import Program, Stage

    program = Program.objects.get(municipality=approved.municipality)
    Program.objects.filter(pk=program.pk).update(stage=Stage.KICKOFF)
    services.agreement_sign(
        version=approved, user=users_by_role["mayor_office"], side=SignatureSide.MUNICIPALITY
    )
    program.refresh_from_db()
    assert program.stage == Stage.KICKOFF  # one signature is not enough
    services.agreement_sign(version=approved, user=users_by_role["hq"], side=SignatureSide.PROGRAM)
    program.refresh_from_db()
    assert program.stage == Stage.HEARTS
