"""Every write of the strategy app: kickoff, the agreements document and its workflow, hiring.

Functions are keyword-only, atomic, validate before saving, and log approvals, signatures and decisions
to the audit trail. The generic workflow (submit, approve, return, sign) lives in `approvals`.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from kehila.audit import log_action
from kehila.gates import gate_override
from kehila.mail import send_once
from kehila.models import Municipality, Program, Stage
from kehila.permissions import PermissionDenied, can, hq_users, require, users_who_can

from . import approvals, gates, selectors
from .approvals import WorkflowError, ensure_editable
from .models import (
    Agreement,
    AgreementMilestone,
    AgreementSection,
    AgreementVersion,
    BudgetLine,
    Candidate,
    Competency,
    CompetencyScore,
    HiringDecision,
    Interview,
    KickoffStep,
    KickoffStepKind,
    PanelSide,
    ScoreSheet,
    SectionComment,
    SectionStatus,
    Topic,
    VersionStatus,
)
from .models.kickoff import suggested_attendees

__all__ = ["WorkflowError"]


def _text(value: str) -> str:
    """Browsers send CRLF; the stored (and hashed) text uses LF only."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


# --- kickoff -------------------------------------------------------------------------------------


@transaction.atomic
def kickoff_ensure_steps(*, municipality: Municipality) -> list[KickoffStep]:
    existing = {s.step: s for s in KickoffStep.objects.filter(municipality=municipality)}
    with override("he"):
        for kind in KickoffStepKind:
            if kind.value not in existing:
                existing[kind.value] = KickoffStep.objects.create(
                    municipality=municipality,
                    step=kind.value,
                    attendees=suggested_attendees(kind.value),
                )
    return [existing[k] for k in sorted(existing)]


@transaction.atomic
def kickoff_step_update(
    *, step: KickoffStep, user, date=None, attendees: str = "", notes: str = "", done: bool = False
) -> KickoffStep:
    require(user, "edit_agreement", step)
    step.date = date
    step.attendees = _text(attendees)
    step.notes = _text(notes)
    step.done = done
    step.full_clean()
    step.save()
    return step


# --- the agreements document ---------------------------------------------------------------------


@transaction.atomic
def agreement_start(*, municipality: Municipality, user, title: str = "", start_year=None):
    """Create the document and its first draft with the eleven empty sections (idempotent)."""
    agreement, _created = Agreement.objects.get_or_create(municipality=municipality)
    if agreement.versions.exists():
        return agreement
    require(user, "edit_agreement", municipality)
    start_year = start_year or timezone.localdate().year
    with override("he"):
        default_title = _("Agreements document")
    version = AgreementVersion(
        municipality=municipality,
        agreement=agreement,
        number=1,
        title=title or default_title,
        term_start_year=start_year,
        term_end_year=start_year + 2,
        created_by=user,
    )
    version.full_clean()
    version.save()
    AgreementSection.objects.bulk_create(
        AgreementSection(municipality=municipality, version=version, topic=topic)
        for topic in Topic.values
    )
    log_action(actor=user, action="agreement.start", obj=version)
    return agreement


@transaction.atomic
def agreement_new_version(*, agreement: Agreement, user) -> AgreementVersion:
    """Copy the latest version into a new draft. A version still awaiting approval or signatures is
    superseded: any change needs approval again. A signed version stays in force until the new one is."""
    require(user, "edit_agreement", agreement)
    Agreement.objects.select_for_update().get(pk=agreement.pk)
    latest = agreement.versions.order_by("-number").first()
    if latest is not None and latest.status == VersionStatus.DRAFT:
        raise WorkflowError(_("There already is a draft: edit it."))
    approvals.supersede_pending(versions=agreement.versions.all(), user=user)
    source = latest
    version = AgreementVersion(
        municipality=agreement.municipality,
        agreement=agreement,
        number=(source.number + 1) if source else 1,
        title=source.title,
        term_start_year=source.term_start_year,
        term_end_year=source.term_end_year,
        operating_model=source.operating_model,
        parties=source.parties,
        partners=source.partners,
        exit_clause=source.exit_clause,
        created_by=user,
    )
    version.full_clean()
    version.save()
    AgreementSection.objects.bulk_create(
        AgreementSection(
            municipality=s.municipality,
            version=version,
            topic=s.topic,
            text=s.text,
            owner_id=s.owner_id,
            status=s.status,
        )
        for s in source.sections.all()
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            municipality=b.municipality,
            version=version,
            year=b.year,
            source=b.source,
            description=b.description,
            amount=b.amount,
        )
        for b in source.budget_lines.all()
    )
    AgreementMilestone.objects.bulk_create(
        AgreementMilestone(
            municipality=m.municipality,
            version=version,
            title=m.title,
            due_date=m.due_date,
            timeline_key=m.timeline_key,
        )
        for m in source.milestones.all()
    )
    log_action(
        actor=user, action="agreement.new_version", obj=version, data={"from": source.number}
    )
    return version


@transaction.atomic
def agreement_version_update(
    *,
    version: AgreementVersion,
    user,
    title: str,
    term_start_year: int,
    term_end_year: int,
    operating_model: str = "",
    parties: str = "",
    partners: str = "",
    exit_clause: str = "",
) -> AgreementVersion:
    require(user, "edit_agreement", version)
    version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    ensure_editable(version)
    version.title = title
    version.term_start_year = term_start_year
    version.term_end_year = term_end_year
    version.operating_model = _text(operating_model)
    version.parties = _text(parties)
    version.partners = _text(partners)
    version.exit_clause = _text(exit_clause)
    version.full_clean()
    outside = [b for b in version.budget_lines.all() if b.year not in version.term_years]
    if outside:
        raise ValidationError(
            {
                "term_start_year": _(
                    "Budget lines exist for years outside this term; change or remove them first."
                )
            }
        )
    version.save()
    return version


@transaction.atomic
def section_update(
    *, section: AgreementSection, user, text: str, owner=None, status: str = SectionStatus.DRAFT
) -> AgreementSection:
    require(user, "edit_agreement", section)
    ensure_editable(AgreementVersion.objects.select_for_update().get(pk=section.version_id))
    section.text = _text(text)
    section.owner = owner
    section.status = status
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def section_comment_add(*, section: AgreementSection, user, text: str) -> SectionComment:
    require(user, "view_agreement", section)
    comment = SectionComment(
        municipality=section.municipality,
        agreement_id=section.version.agreement_id,
        version_id=section.version_id,
        topic=section.topic,
        author=user,
        text=_text(text).strip(),
    )
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def budget_line_add(
    *,
    version: AgreementVersion,
    user,
    year: int,
    source: str,
    description: str,
    amount: Decimal,
) -> BudgetLine:
    require(user, "edit_agreement", version)
    ensure_editable(AgreementVersion.objects.select_for_update().get(pk=version.pk))
    line = BudgetLine(
        municipality=version.municipality,
        version=version,
        year=year,
        source=source,
        description=description,
        amount=amount,
    )
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def budget_line_delete(*, line: BudgetLine, user) -> None:
    require(user, "edit_agreement", line)
    ensure_editable(AgreementVersion.objects.select_for_update().get(pk=line.version_id))
    line.delete()


@transaction.atomic
def milestone_add(
    *, version: AgreementVersion, user, title: str, due_date, timeline_key: str = ""
) -> AgreementMilestone:
    require(user, "edit_agreement", version)
    ensure_editable(AgreementVersion.objects.select_for_update().get(pk=version.pk))
    milestone = AgreementMilestone(
        municipality=version.municipality,
        version=version,
        title=title,
        due_date=due_date,
        timeline_key=timeline_key,
    )
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: AgreementMilestone, user) -> None:
    require(user, "edit_agreement", milestone)
    ensure_editable(AgreementVersion.objects.select_for_update().get(pk=milestone.version_id))
    milestone.delete()


def _notify_mayor_office(version_id: int) -> None:
    version = AgreementVersion.objects.select_related("municipality").get(pk=version_id)
    for user in users_who_can("approve", version.municipality):
        if not user.email:
            continue
        send_once(
            key=f"strategy:awaiting-approval:agreement:{version.pk}:{user.pk}",
            to=user.email,
            subject_template="strategy/email/awaiting_approval_subject.txt",
            body_template="strategy/email/awaiting_approval_body.txt",
            context={"version": version, "municipality": version.municipality, "user": user},
            language=getattr(user, "language", "he") or "he",
            municipality=version.municipality,
        )


@transaction.atomic
def agreement_submit(*, version: AgreementVersion, user) -> AgreementVersion:
    """Refuses (kehila.gates.GateClosed, listing each missing topic) unless all eleven topics are
    written and the budget appendix is complete, or the manager or HQ opened the gate with a reason."""
    require(user, "submit_for_approval", version)
    gates.agreement_submit_check(version)
    version = approvals.submit(version=version, user=user)
    version_id = version.pk
    _notify_mayor_office(version_id)  # queued in this transaction (kehila.mail's outbox)
    return version


@transaction.atomic
def agreement_submit_opening_gate(
    *, version: AgreementVersion, user, reason: str
) -> AgreementVersion:
    """The manager or HQ opens the submit gate for this version with a reason, and submits it: the
    override and the submission stand or fall together."""
    gate_override(actor=user, gate=gates.AGREEMENT_SUBMIT, obj=version, reason=reason)
    return agreement_submit(version=version, user=user)


def agreement_approve(*, version: AgreementVersion, user, comment: str = "") -> AgreementVersion:
    return approvals.approve(version=version, user=user, comment=comment)


def agreement_return(*, version: AgreementVersion, user, comment: str) -> AgreementVersion:
    return approvals.return_with_comments(version=version, user=user, comment=comment)


@transaction.atomic
def agreement_sign(*, version: AgreementVersion, user, side: str):
    """The second signature puts the version in force; the first one in force ends the kickoff stage."""
    signature = approvals.sign(version=version, user=user, side=side)
    version.refresh_from_db(fields=["status"])
    if version.status == VersionStatus.IN_FORCE:
        Program.objects.filter(municipality=version.municipality_id, stage=Stage.KICKOFF).update(
            stage=Stage.HEARTS
        )
    return signature


def agreement_missing(municipality_id: int) -> str | None:
    """Nothing in the program begins before the agreements document is in force."""
    if AgreementVersion.objects.filter(
        municipality_id=municipality_id, status=VersionStatus.IN_FORCE
    ).exists():
        return None
    return _(
        "The agreements document must be signed first: until it is in force, nothing else "
        "in the program begins."
    )


def scope_precondition(program) -> str | None:
    """kehila.scheduling.SCOPE_PRECONDITIONS: the scope decision (T0 of the timeline) waits for it."""
    return agreement_missing(program.municipality_id)


def agreement_log_export(*, version: AgreementVersion, user) -> None:
    require(user, "view_agreement", version)
    log_action(actor=user, action="agreement.export_pdf", obj=version)


def signatures_verify_and_report(*, today=None) -> selectors.SignatureReport:
    """The weekly check (beat): re-hash every signed document and e-mail program HQ what it found, once
    per ISO week and person, also when all is well, so that a silent week means the check did not run."""
    report = selectors.signed_documents_verify()
    year, week, _day = (today or timezone.localdate()).isocalendar()
    for user in hq_users():
        if not user.email:
            continue
        send_once(
            key=f"strategy:verify-signatures:{year}-W{week:02d}:{user.pk}",
            to=user.email,
            subject_template="strategy/email/signatures_report_subject.txt",
            body_template="strategy/email/signatures_report_body.txt",
            context={"report": report, "user": user},
            language=getattr(user, "language", "he") or "he",
        )
    return report


# --- hiring the program manager ------------------------------------------------------------------


def panel_side(user, municipality) -> str | None:
    if can(user, "score_for_program", municipality):
        return PanelSide.PROGRAM
    if can(user, "score_for_municipality", municipality):
        return PanelSide.MUNICIPALITY
    return None


@transaction.atomic
def candidate_add(*, municipality, user, name: str, email: str = "", notes: str = "") -> Candidate:
    require(user, "manage_hiring", municipality)
    candidate = Candidate(
        municipality=municipality, name=name.strip(), email=email, notes=_text(notes)
    )
    candidate.full_clean()
    candidate.save()
    log_action(actor=user, action="hiring.candidate_add", obj=candidate)
    return candidate


@transaction.atomic
def interview_add(
    *, candidate: Candidate, user, starts_at, location: str = "", notes: str = ""
) -> Interview:
    require(user, "manage_hiring", candidate)
    interview = Interview(
        municipality=candidate.municipality,
        candidate=candidate,
        starts_at=starts_at,
        location=location,
        notes=_text(notes),
    )
    interview.full_clean()
    interview.save()
    return interview


@transaction.atomic
def score_sheet_submit(
    *, candidate: Candidate, user, scores: dict[int, tuple[int, str]]
) -> ScoreSheet:
    """Record one member's ten scores. A member has one sheet per candidate: a second submission is
    refused rather than silently overwriting the first."""
    require(user, "score_candidates", candidate)
    side = panel_side(user, candidate.municipality)
    if side is None:
        raise PermissionDenied("score_candidates", candidate)
    if set(scores) != set(Competency.values):
        raise ValidationError(_("Score every one of the ten competencies."))
    if ScoreSheet.objects.filter(candidate=candidate, member=user).exists():
        raise WorkflowError(_("You have already scored this candidate."))
    sheet = ScoreSheet(
        municipality=candidate.municipality, candidate=candidate, member=user, side=side
    )
    sheet.full_clean()
    sheet.save()
    rows = []
    for competency, (score, note) in sorted(scores.items()):
        row = CompetencyScore(
            municipality=candidate.municipality,
            sheet=sheet,
            competency=competency,
            score=score,
            note=_text(note),
        )
        row.full_clean(exclude=["sheet"])
        rows.append(row)
    CompetencyScore.objects.bulk_create(rows)
    log_action(actor=user, action="hiring.score", obj=candidate, data={"side": side})
    return sheet


@transaction.atomic
def hiring_propose(*, candidate: Candidate, user, rationale: str = "") -> HiringDecision:
    require(user, "manage_hiring", candidate)
    decision = (
        HiringDecision.objects.select_for_update()
        .filter(municipality=candidate.municipality)
        .first()
    )
    if decision is not None and decision.is_recorded:
        raise WorkflowError(_("The hiring decision is already recorded."))
    if decision is None:
        decision = HiringDecision(municipality=candidate.municipality)
    decision.candidate = candidate
    decision.rationale = _text(rationale)
    decision.proposed_by = user
    decision.proposed_at = timezone.now()
    decision.municipality_approved_by = decision.program_approved_by = None
    decision.municipality_approved_at = decision.program_approved_at = None
    decision.full_clean()
    decision.save()
    log_action(actor=user, action="hiring.propose", obj=decision)
    return decision


@transaction.atomic
def hiring_approve(*, decision: HiringDecision, user) -> HiringDecision:
    """One approval per side: the mayor's office for the municipality, HQ for the program."""
    require(user, "decide_hiring", decision)
    decision = HiringDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.is_recorded:
        raise WorkflowError(_("The hiring decision is already recorded."))
    now = timezone.now()
    if can(user, "decide_hiring_for_program", decision):
        if decision.program_approved_at:
            raise WorkflowError(_("The program has already approved this decision."))
        decision.program_approved_by, decision.program_approved_at = user, now
        side = PanelSide.PROGRAM
    else:
        require(user, "decide_hiring_for_municipality", decision)
        if decision.municipality_approved_at:
            raise WorkflowError(_("The municipality has already approved this decision."))
        decision.municipality_approved_by, decision.municipality_approved_at = user, now
        side = PanelSide.MUNICIPALITY
    if decision.program_approved_at and decision.municipality_approved_at:
        decision.recorded_at = now
    decision.full_clean()
    decision.save()
    log_action(actor=user, action=f"hiring.approve.{side}", obj=decision)
    if decision.recorded_at:
        log_action(
            actor=user,
            action="hiring.record",
            obj=decision,
            data={"candidate": decision.candidate.name},
        )
    return decision
