"""A municipality's strategy pages, mounted under /m/<slug>/. Every view uses kehila.tenancy.municipality_view."""

from django.urls import path

from . import plan_views, views

app_name = "strategy"

urlpatterns = [
    path("agreement/", views.agreement, name="agreement"),
    path("agreement/start/", views.agreement_start, name="agreement_start"),
    path("agreement/new-version/", views.agreement_new_version, name="new_version"),
    path("agreement/diff/", views.version_diff, name="diff"),
    path("agreement/v/<int:version_id>/", views.version_detail, name="version"),
    path("agreement/v/<int:version_id>/pdf/", views.version_pdf_download, name="version_pdf"),
    path("agreement/v/<int:version_id>/edit/", views.version_edit, name="version_edit"),
    path("agreement/v/<int:version_id>/budget/", views.budget_add, name="budget_add"),
    path("agreement/v/<int:version_id>/milestones/", views.milestone_add, name="milestone_add"),
    path("agreement/v/<int:version_id>/submit/", views.version_submit, name="version_submit"),
    path(
        "agreement/v/<int:version_id>/open-gate/",
        views.version_open_gate,
        name="version_open_gate",
    ),
    path("agreement/v/<int:version_id>/approve/", views.version_approve, name="version_approve"),
    path("agreement/v/<int:version_id>/return/", views.version_return, name="version_return"),
    path("agreement/v/<int:version_id>/sign/", views.version_sign, name="version_sign"),
    path("agreement/section/<int:section_id>/", views.section_detail, name="section"),
    path(
        "agreement/section/<int:section_id>/comment/",
        views.section_comment,
        name="section_comment",
    ),
    path("agreement/budget/<int:line_id>/delete/", views.budget_delete, name="budget_delete"),
    path(
        "agreement/milestone/<int:milestone_id>/delete/",
        views.milestone_delete,
        name="milestone_delete",
    ),
    path("inbox/", views.inbox_view, name="inbox"),
    path("kickoff/", views.kickoff, name="kickoff"),
    path("kickoff/<int:step_id>/", views.kickoff_step, name="kickoff_step"),
    path("hiring/", views.hiring, name="hiring"),
    path("hiring/decision/approve/", views.hiring_approve, name="hiring_approve"),
    path("hiring/<int:candidate_id>/", views.candidate_detail, name="candidate"),
    path("hiring/<int:candidate_id>/interview/", views.interview_add, name="interview_add"),
    path("hiring/<int:candidate_id>/score/", views.candidate_score, name="candidate_score"),
    path("hiring/<int:candidate_id>/propose/", views.hiring_propose, name="hiring_propose"),
    # the strategic plan
    path("plan/", plan_views.plan, name="plan"),
    path("plan/edit/", plan_views.plan_edit, name="plan_edit"),
    path("plan/scope/", plan_views.scope_edit, name="scope"),
    path("plan/scope/<int:decision_id>/submit/", plan_views.scope_submit, name="scope_submit"),
    path("plan/scope/<int:decision_id>/approve/", plan_views.scope_approve, name="scope_approve"),
    path("plan/scope/<int:decision_id>/return/", plan_views.scope_return, name="scope_return"),
    path("plan/challenges/", plan_views.challenges, name="challenges"),
    path("plan/challenges/<int:challenge_id>/", plan_views.challenge_edit, name="challenge"),
    path(
        "plan/challenges/<int:challenge_id>/delete/",
        plan_views.challenge_delete,
        name="challenge_delete",
    ),
    path("plan/goals/add/", plan_views.goal_add, name="goal_add"),
    path("plan/goals/<int:goal_id>/objective/", plan_views.objective_add, name="objective_add"),
    path("plan/goals/<int:goal_id>/", plan_views.goal_edit, name="goal_edit"),
    path("plan/goals/<int:goal_id>/delete/", plan_views.goal_delete, name="goal_delete"),
    path("plan/objectives/<int:objective_id>/", plan_views.objective_edit, name="objective_edit"),
    path(
        "plan/objectives/<int:objective_id>/delete/",
        plan_views.objective_delete,
        name="objective_delete",
    ),
    path("plan/objectives/<int:objective_id>/reading/", plan_views.reading_add, name="reading_add"),
    path("plan/work-plan/", plan_views.track_plan, name="track"),
    path("plan/work-plan/add/", plan_views.action_add, name="action_add"),
    path("plan/actions/<int:action_id>/", plan_views.action_edit, name="action_edit"),
    path("plan/actions/<int:action_id>/budget/", plan_views.action_budget, name="action_budget"),
    path("plan/assemble/", plan_views.plan_assemble, name="plan_assemble"),
    path("plan/v/<int:plan_version_id>/", plan_views.plan_version, name="plan_version"),
    path(
        "plan/v/<int:plan_version_id>/submit/",
        plan_views.plan_version_submit,
        name="plan_version_submit",
    ),
    path(
        "plan/v/<int:plan_version_id>/open-gate/",
        plan_views.plan_version_open_gate,
        name="plan_version_open_gate",
    ),
    path(
        "plan/v/<int:plan_version_id>/approve/",
        plan_views.plan_version_approve,
        name="plan_version_approve",
    ),
    path(
        "plan/v/<int:plan_version_id>/return/",
        plan_views.plan_version_return,
        name="plan_version_return",
    ),
    path(
        "plan/v/<int:plan_version_id>/sign/", plan_views.plan_version_sign, name="plan_version_sign"
    ),
    path("plan/v/<int:plan_version_id>/pdf/", plan_views.plan_version_pdf, name="plan_version_pdf"),
    path(
        "plan/v/<int:plan_version_id>/xlsx/", plan_views.plan_version_xlsx, name="plan_version_xlsx"
    ),
    path("plan/mapping/", plan_views.mapping, name="mapping"),
    path("plan/mapping/confirm/", plan_views.mapping_confirm, name="mapping_confirm"),
    path("plan/logic-model/", plan_views.logic_model, name="logic_model"),
    path("plan/actions/<int:action_id>/delete/", plan_views.action_delete, name="action_delete"),
    path(
        "plan/budget/<int:action_line_id>/delete/",
        plan_views.action_budget_delete,
        name="action_budget_delete",
    ),
]
