"""A municipality's strategy pages, mounted under /m/<slug>/. Every view uses kehila.tenancy.municipality_view."""

from django.urls import path

from .views import (
    agreements,
    hiring,
    inbox,
    kickoff,
    mapping,
    objectives,
    plan,
    scope,
    versions,
    work_plans,
)

app_name = "strategy"

urlpatterns = [
    path("agreement/", agreements.agreement, name="agreement"),
    path("agreement/start/", agreements.agreement_start, name="agreement_start"),
    path("agreement/new-version/", agreements.agreement_new_version, name="new_version"),
    path("agreement/diff/", agreements.version_diff, name="diff"),
    path("agreement/v/<int:version_id>/", agreements.version_detail, name="version"),
    path("agreement/v/<int:version_id>/pdf/", agreements.version_pdf_download, name="version_pdf"),
    path("agreement/v/<int:version_id>/edit/", agreements.version_edit, name="version_edit"),
    path("agreement/v/<int:version_id>/budget/", agreements.budget_add, name="budget_add"),
    path(
        "agreement/v/<int:version_id>/milestones/", agreements.milestone_add, name="milestone_add"
    ),
    path("agreement/v/<int:version_id>/submit/", agreements.version_submit, name="version_submit"),
    path(
        "agreement/v/<int:version_id>/open-gate/",
        agreements.version_open_gate,
        name="version_open_gate",
    ),
    path(
        "agreement/v/<int:version_id>/approve/", agreements.version_approve, name="version_approve"
    ),
    path("agreement/v/<int:version_id>/return/", agreements.version_return, name="version_return"),
    path("agreement/v/<int:version_id>/sign/", agreements.version_sign, name="version_sign"),
    path("agreement/section/<int:section_id>/", agreements.section_detail, name="section"),
    path(
        "agreement/section/<int:section_id>/comment/",
        agreements.section_comment,
        name="section_comment",
    ),
    path("agreement/budget/<int:line_id>/delete/", agreements.budget_delete, name="budget_delete"),
    path(
        "agreement/milestone/<int:milestone_id>/delete/",
        agreements.milestone_delete,
        name="milestone_delete",
    ),
    path("inbox/", inbox.inbox_view, name="inbox"),
    path("kickoff/", kickoff.kickoff, name="kickoff"),
    path("kickoff/<int:step_id>/", kickoff.kickoff_step, name="kickoff_step"),
    path("hiring/", hiring.hiring, name="hiring"),
    path("hiring/decision/approve/", hiring.hiring_approve, name="hiring_approve"),
    path("hiring/<int:candidate_id>/", hiring.candidate_detail, name="candidate"),
    path("hiring/<int:candidate_id>/interview/", hiring.interview_add, name="interview_add"),
    path("hiring/<int:candidate_id>/score/", hiring.candidate_score, name="candidate_score"),
    path("hiring/<int:candidate_id>/propose/", hiring.hiring_propose, name="hiring_propose"),
    # the strategic plan
    path("plan/", plan.plan, name="plan"),
    path("plan/edit/", plan.plan_edit, name="plan_edit"),
    path("plan/scope/", scope.scope_edit, name="scope"),
    path("plan/scope/<int:decision_id>/submit/", scope.scope_submit, name="scope_submit"),
    path("plan/scope/<int:decision_id>/approve/", scope.scope_approve, name="scope_approve"),
    path("plan/scope/<int:decision_id>/return/", scope.scope_return, name="scope_return"),
    path("plan/challenges/", mapping.challenges, name="challenges"),
    path("plan/challenges/<int:challenge_id>/", mapping.challenge_edit, name="challenge"),
    path(
        "plan/challenges/<int:challenge_id>/delete/",
        mapping.challenge_delete,
        name="challenge_delete",
    ),
    path("plan/goals/add/", objectives.goal_add, name="goal_add"),
    path("plan/goals/<int:goal_id>/objective/", objectives.objective_add, name="objective_add"),
    path("plan/goals/<int:goal_id>/", objectives.goal_edit, name="goal_edit"),
    path("plan/goals/<int:goal_id>/delete/", objectives.goal_delete, name="goal_delete"),
    path("plan/objectives/<int:objective_id>/", objectives.objective_edit, name="objective_edit"),
    path(
        "plan/objectives/<int:objective_id>/delete/",
        objectives.objective_delete,
        name="objective_delete",
    ),
    path("plan/objectives/<int:objective_id>/reading/", objectives.reading_add, name="reading_add"),
    path("plan/work-plan/", work_plans.track_plan, name="track"),
    path("plan/work-plan/add/", work_plans.action_add, name="action_add"),
    path("plan/actions/<int:action_id>/", work_plans.action_edit, name="action_edit"),
    path("plan/actions/<int:action_id>/budget/", work_plans.action_budget, name="action_budget"),
    path("plan/assemble/", versions.plan_assemble, name="plan_assemble"),
    path("plan/v/<int:plan_version_id>/", versions.plan_version, name="plan_version"),
    path(
        "plan/v/<int:plan_version_id>/submit/",
        versions.plan_version_submit,
        name="plan_version_submit",
    ),
    path(
        "plan/v/<int:plan_version_id>/open-gate/",
        versions.plan_version_open_gate,
        name="plan_version_open_gate",
    ),
    path(
        "plan/v/<int:plan_version_id>/approve/",
        versions.plan_version_approve,
        name="plan_version_approve",
    ),
    path(
        "plan/v/<int:plan_version_id>/return/",
        versions.plan_version_return,
        name="plan_version_return",
    ),
    path(
        "plan/v/<int:plan_version_id>/sign/", versions.plan_version_sign, name="plan_version_sign"
    ),
    path("plan/v/<int:plan_version_id>/pdf/", versions.plan_version_pdf, name="plan_version_pdf"),
    path(
        "plan/v/<int:plan_version_id>/xlsx/", versions.plan_version_xlsx, name="plan_version_xlsx"
    ),
    path("plan/mapping/", mapping.mapping, name="mapping"),
    path("plan/mapping/confirm/", mapping.mapping_confirm, name="mapping_confirm"),
    path("plan/logic-model/", work_plans.logic_model, name="logic_model"),
    path("plan/actions/<int:action_id>/delete/", work_plans.action_delete, name="action_delete"),
    path(
        "plan/budget/<int:action_line_id>/delete/",
        work_plans.action_budget_delete,
        name="action_budget_delete",
    ),
]
