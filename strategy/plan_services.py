"""Writes of the strategic plan: scope decision, focus challenges, vision, goals, objectives, readings,
track actions and their budget, and the plan's versions (assembled, submitted, approved, signed).

Kept beside `strategy.services` (agreements, kickoff, hiring). Track work is guarded by
`require(user, "edit_track", obj)` where `obj` carries the track, so a track lead edits only their own track.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kehila.audit import log_action
from kehila.gates import gate_override
from kehila.models import Municipality
from kehila.permissions import require, require_move, users_who_can
from kehila.scheduling import program_scope_decide

from . import approvals, gates
from .approvals import WorkflowError
from .guidance import track_count_warning
from .models import (
    Action,
    ActionBudget,
    FocusChallenge,
    Goal,
    IndicatorReading,
    Objective,
    Plan,
    PlanVersion,
    ScopeDecision,
    VersionStatus,
)
from .plan_content import budget_sums, plan_content
from .services import agreement_missing


def _text(value: str) -> str:
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


def _notify_mayor_office(*, model, pk: int, kind: str) -> None:
    """E-mail each member of the mayor's office, in their language, once per submitted item."""
    from django.utils.translation import override

    from kehila.mail import send_once

    obj = model.objects.select_related("municipality").get(pk=pk)
    for user in users_who_can("approve", obj.municipality):
        if not user.email:
            continue
        language = getattr(user, "language", "he") or "he"
        with override(language):
            title = str(obj)
        send_once(
            key=f"strategy:awaiting-approval:{kind}:{obj.pk}:{user.pk}",
            to=user.email,
            subject_template="strategy/email/item_awaiting_approval_subject.txt",
            body_template="strategy/email/item_awaiting_approval_body.txt",
            context={"title": title, "municipality": obj.municipality, "user": user},
            language=language,
            municipality=obj.municipality,
        )


# --- scope decision ------------------------------------------------------------------------------


def current_scope_decision(municipality: Municipality) -> ScopeDecision | None:
    return ScopeDecision.objects.filter(municipality=municipality).order_by("-id").first()


@transaction.atomic
def scope_decision_save(
    *,
    municipality: Municipality,
    user,
    decided_on,
    tracks: list[str],
    boundaries: str = "",
    geographic_focus: str = "",
) -> tuple[ScopeDecision, str]:
    """Save the draft (or returned) decision, or start a new one; returns it and any track warning."""
    require(user, "edit_plan", municipality)
    decision = current_scope_decision(municipality)
    if decision is None or not decision.is_editable:
        decision = ScopeDecision(municipality=municipality)
    decision.decided_on = decided_on
    decision.tracks = list(tracks)
    decision.boundaries = _text(boundaries)
    decision.geographic_focus = _text(geographic_focus)
    decision.status = VersionStatus.DRAFT
    decision.full_clean()
    decision.save()
    return decision, track_count_warning(decision.tracks)


@transaction.atomic
def scope_decision_submit(*, decision: ScopeDecision, user) -> ScopeDecision:
    require(user, "submit_for_approval", decision)
    decision = ScopeDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.status not in (VersionStatus.DRAFT, VersionStatus.RETURNED):
        raise WorkflowError(_("Only a draft can be submitted for approval."))
    # Asked here too, not only when the approval sets T0: the manager learns it before the mayor's
    # office is asked to approve something that cannot take effect.
    missing = agreement_missing(decision.municipality_id)
    if missing:
        raise WorkflowError(missing)
    decision.status = VersionStatus.SUBMITTED
    decision.submitted_at = timezone.now()
    decision.submitted_by = user
    decision.save()
    log_action(actor=user, action="scope.submit", obj=decision)
    pk = decision.pk
    _notify_mayor_office(model=ScopeDecision, pk=pk, kind="scope")  # in the outbox, with the change
    return decision


@transaction.atomic
def scope_decision_approve(*, decision: ScopeDecision, user) -> ScopeDecision:
    """Approval makes the decision date T0: the program's tracks are set and the timeline re-planned."""
    require(user, "approve", decision)
    decision = ScopeDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != VersionStatus.SUBMITTED:
        raise WorkflowError(_("Only a version awaiting approval can be approved or returned."))
    decision.status = VersionStatus.APPROVED
    decision.decided_at = timezone.now()
    decision.save()
    log_action(actor=user, action="scope.approve", obj=decision)
    program_scope_decide(
        program=decision.municipality.program,
        decided_on=decision.decided_on,
        tracks=decision.tracks,
        geographic_focus=decision.geographic_focus,
        actor=user,
    )
    return decision


@transaction.atomic
def scope_decision_return(*, decision: ScopeDecision, user, comment: str) -> ScopeDecision:
    require(user, "approve", decision)
    if not (comment or "").strip():
        raise WorkflowError(_("Say what needs to change: a returned version needs a comment."))
    decision = ScopeDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != VersionStatus.SUBMITTED:
        raise WorkflowError(_("Only a version awaiting approval can be approved or returned."))
    decision.status = VersionStatus.RETURNED
    decision.decided_at = timezone.now()
    decision.review_comment = _text(comment).strip()
    decision.save()
    log_action(actor=user, action="scope.return", obj=decision, data={"comment": comment})
    return decision


# --- focus challenges ----------------------------------------------------------------------------


@transaction.atomic
def challenge_save(
    *,
    municipality: Municipality,
    user,
    number: int,
    title: str,
    description: str = "",
    challenge: FocusChallenge | None = None,
) -> FocusChallenge:
    require(user, "edit_plan", municipality)
    challenge = challenge or FocusChallenge(municipality=municipality)
    challenge.number = number
    challenge.title = title
    challenge.description = _text(description)
    challenge.full_clean()
    challenge.save()
    return challenge


@transaction.atomic
def challenge_delete(*, challenge: FocusChallenge, user) -> None:
    require(user, "edit_plan", challenge)
    challenge.delete()


# --- vision, goals, objectives, readings ---------------------------------------------------------


def plan_saved(plan: Plan) -> Plan:
    """The plan a write hangs from, saved. Pages show an unsaved blank plan until something of it is
    written (selectors.plan_of); the first write makes the row inside its own transaction, so a refused
    or invalid write leaves no empty plan behind, and get_or_create makes two first writes share one."""
    if plan.pk is not None:
        return plan
    saved, _created = Plan.objects.get_or_create(municipality=plan.municipality)
    return saved


def plan_for(municipality: Municipality) -> Plan:
    """The plan, made if missing: for the demo, the generator and tests, which write straight away.
    Pages read `selectors.plan_of`, which never writes."""
    return plan_saved(Plan(municipality=municipality))


@transaction.atomic
def plan_update(
    *, plan: Plan, user, title: str, vision: str, flexible_budget, stated_total=None
) -> Plan:
    require(user, "edit_plan", plan)
    plan = plan_saved(plan)
    plan.title = title
    plan.vision = _text(vision)
    plan.flexible_budget = flexible_budget or Decimal(0)
    plan.stated_total = stated_total
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def goal_add(*, plan: Plan, user, title: str, description: str = "") -> Goal:
    require(user, "edit_plan", plan)
    plan = plan_saved(plan)
    goal = Goal(
        municipality=plan.municipality, plan=plan, title=title, description=_text(description)
    )
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def objective_add(*, goal: Goal, user, **fields) -> Objective:
    require(user, "edit_plan", goal)
    objective = Objective(municipality=goal.municipality, goal=goal, **fields)
    objective.full_clean()
    objective.save()
    return objective


@transaction.atomic
def goal_update(*, goal: Goal, user, title: str, description: str = "") -> Goal:
    require(user, "edit_plan", goal)
    goal.title = title
    goal.description = _text(description)
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_delete(*, goal: Goal, user) -> None:
    """Removes the goal with its objectives and their readings; signed versions keep their copy."""
    require(user, "edit_plan", goal)
    goal.delete()


@transaction.atomic
def objective_update(*, objective: Objective, user, **fields) -> Objective:
    require(user, "edit_plan", objective)
    for name, value in fields.items():
        setattr(objective, name, value)
    objective.full_clean()
    objective.save()
    return objective


@transaction.atomic
def objective_delete(*, objective: Objective, user) -> None:
    """Removes the objective and its readings; actions linked to it stay, unlinked."""
    require(user, "edit_plan", objective)
    objective.delete()


@transaction.atomic
def reading_add(*, objective: Objective, user, measured_on, value) -> IndicatorReading:
    """The objective's track lead or the program team record a measurement (one per day: updated)."""
    require(user, "edit_track", objective)
    if measured_on > timezone.localdate():
        # A reading records what was measured: a day to come has not been measured yet.
        raise ValidationError({"measured_on": _("A reading cannot be dated in the future.")})
    reading, _created = IndicatorReading.objects.update_or_create(
        objective=objective,
        measured_on=measured_on,
        defaults={"municipality": objective.municipality, "value": value},
    )
    return reading


# --- track work plans ----------------------------------------------------------------------------


@transaction.atomic
def action_add(*, plan: Plan, user, track: str, **fields) -> Action:
    # Saved before the permission check needs the action; a refusal rolls the new plan back with it.
    plan = plan_saved(plan)
    action = Action(municipality=plan.municipality, plan=plan, track=track, **fields)
    require_move(user, "edit_track", action, old_parent=None, new_parent=action.objective)
    action.partners = _text(action.partners)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_update(*, action: Action, user, **fields) -> Action:
    """Edit an action; a new linked objective must be one the user may edit too (a track lead keeps
    their actions under their own track's objectives)."""
    old_objective = action.objective
    require_move(
        user,
        "edit_track",
        action,
        old_parent=old_objective,
        new_parent=fields.get("objective", old_objective),
    )
    for name, value in fields.items():
        setattr(action, name, value)
    action.partners = _text(action.partners)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_delete(*, action: Action, user) -> None:
    require(user, "edit_track", action)
    action.delete()


@transaction.atomic
def action_budget_add(*, action: Action, user, year: int, source: str, amount) -> ActionBudget:
    require(user, "edit_track", action)
    line = ActionBudget(
        municipality=action.municipality, action=action, year=year, source=source, amount=amount
    )
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def action_budget_delete(*, line: ActionBudget, user) -> None:
    require(user, "edit_track", line)
    line.delete()


# --- plan versions -------------------------------------------------------------------------------


def check_stated_total(plan: Plan, content: dict) -> None:
    """Budget lines plus the flexible budget must add up to what the plan states, if it states a total."""
    if plan.stated_total is None:
        return
    sums = budget_sums(content["actions"])
    planned = sums.total + Decimal(content["flexible_budget"])
    if planned != Decimal(plan.stated_total):
        raise ValidationError(
            {
                "stated_total": _(
                    "The budget does not add up: the plan states %(stated)s NIS, but the actions' "
                    "budget lines (%(lines)s) plus the flexible budget (%(flexible)s) come to "
                    "%(planned)s NIS."
                )
                % {
                    "stated": plan.stated_total,
                    "lines": sums.total,
                    "flexible": content["flexible_budget"],
                    "planned": planned,
                }
            }
        )


@transaction.atomic
def plan_assemble(*, plan: Plan, user) -> PlanVersion:
    """Freeze the current parts into a version: the open draft is refreshed, otherwise a new version
    is numbered and any version still waiting for approval or signatures is superseded."""
    require(user, "edit_plan", plan)
    plan = Plan.objects.select_for_update().get(pk=plan_saved(plan).pk)
    latest = plan.versions.order_by("-number").first()
    number = (
        latest.number
        if latest and latest.status == VersionStatus.DRAFT
        else ((latest.number + 1) if latest else 1)
    )
    content = plan_content(plan, number=number)
    check_stated_total(plan, content)
    if latest is not None and latest.status == VersionStatus.DRAFT:
        latest.content = content
        latest.full_clean()
        latest.save(update_fields=["content"])
        return latest
    approvals.supersede_pending(versions=plan.versions.all(), user=user)
    version = PlanVersion(
        municipality=plan.municipality, plan=plan, number=number, content=content, created_by=user
    )
    version.full_clean()
    version.save()
    log_action(actor=user, action="plan.assemble", obj=version)
    return version


@transaction.atomic
def plan_submit(*, version: PlanVersion, user) -> PlanVersion:
    """The plan goes to the steering committee (through the mayor's office) only after the design
    committee's fifth meeting was held, or with the manager's or HQ's written reason."""
    require(user, "submit_for_approval", version)
    gates.plan_submit_check(version)
    version = approvals.submit(version=version, user=user)
    pk = version.pk
    _notify_mayor_office(model=PlanVersion, pk=pk, kind="plan")  # in the outbox, with the change
    return version


@transaction.atomic
def plan_submit_opening_gate(*, version: PlanVersion, user, reason: str) -> PlanVersion:
    gate_override(actor=user, gate=gates.PLAN_TO_STEERING, obj=version, reason=reason)
    return plan_submit(version=version, user=user)


def plan_approve(*, version: PlanVersion, user) -> PlanVersion:
    return approvals.approve(version=version, user=user)


def plan_return(*, version: PlanVersion, user, comment: str) -> PlanVersion:
    return approvals.return_with_comments(version=version, user=user, comment=comment)


def plan_sign(*, version: PlanVersion, user, side: str):
    return approvals.sign(version=version, user=user, side=side)


# --- mapping and logic models --------------------------------------------------------------------


@transaction.atomic
def mapping_import(*, municipality: Municipality, user, rows: list[dict]) -> int:
    """Save previewed rows; a row already there (same challenge, indicator, place and date) is updated,
    so confirming twice adds nothing."""
    from .models import MappingFinding

    require(user, "edit_plan", municipality)
    challenges = {c.number: c for c in FocusChallenge.objects.filter(municipality=municipality)}
    count = 0
    for row in rows:
        challenge = challenges.get(row["challenge"])
        if challenge is None:
            raise ValidationError(_("A focus challenge of the file no longer exists."))
        finding, _created = MappingFinding.objects.update_or_create(
            municipality=municipality,
            challenge=challenge,
            indicator=row["indicator"],
            neighbourhood=row["neighbourhood"],
            measured_on=row["date"],
            defaults={"value": Decimal(row["value"]), "unit": row["unit"], "source": row["source"]},
        )
        count += 1
    log_action(
        actor=user,
        action="mapping.import",
        obj=municipality,
        municipality=municipality,
        data={"rows": count},
    )
    return count


@transaction.atomic
def logic_model_save(*, plan: Plan, user, track: str, **fields):
    from .models import LogicModel

    plan = plan_saved(plan)  # a refusal below rolls the new plan back with the transaction
    model = LogicModel.objects.filter(plan=plan, track=track).first() or LogicModel(
        municipality=plan.municipality, plan=plan, track=track
    )
    require(user, "edit_track", model)
    for name, value in fields.items():
        setattr(model, name, _text(value))
    model.full_clean()
    model.save()
    return model
