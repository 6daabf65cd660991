"""Admin: read-only views of the agreements and the plan, because every change goes through the services
(a change here would bypass the workflow and break the hash that the signatures carry). A version's
content rows and signatures are registered here too, read-only, so that the plain fallback admin
(kehila/admin_fallback.py) never offers to edit a signed section."""

from django.contrib import admin

from kehila.admin import ReadOnlyAdmin

from .models import (
    AgreementMilestone,
    AgreementSection,
    AgreementSignature,
    AgreementVersion,
    BudgetLine,
    Candidate,
    HiringDecision,
    KickoffStep,
    PlanSignature,
    PlanVersion,
    ScopeDecision,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SectionInline(ReadOnlyInline):
    model = AgreementSection


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine


class MilestoneInline(ReadOnlyInline):
    model = AgreementMilestone


class AgreementSignatureInline(ReadOnlyInline):
    model = AgreementSignature


class PlanSignatureInline(ReadOnlyInline):
    model = PlanSignature


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ReadOnlyAdmin):
    list_display = ["municipality", "number", "status", "submitted_at", "in_force_at"]
    list_filter = ["status", "municipality"]
    inlines = [SectionInline, BudgetLineInline, MilestoneInline, AgreementSignatureInline]


@admin.register(AgreementSection)
class AgreementSectionAdmin(ReadOnlyAdmin):
    list_display = ["version", "topic", "status", "owner"]
    list_select_related = ["version", "owner"]


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyAdmin):
    list_display = ["version", "year", "source", "description", "amount"]
    list_select_related = ["version"]


@admin.register(AgreementMilestone)
class AgreementMilestoneAdmin(ReadOnlyAdmin):
    list_display = ["version", "title", "due_date"]
    list_select_related = ["version"]


@admin.register(AgreementSignature)
class AgreementSignatureAdmin(ReadOnlyAdmin):
    list_display = ["version", "side", "signed_by", "signed_at", "sha256"]


@admin.register(KickoffStep)
class KickoffStepAdmin(ReadOnlyAdmin):
    list_display = ["municipality", "step", "date", "done"]


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ["municipality", "name", "created_at"]


@admin.register(HiringDecision)
class HiringDecisionAdmin(ReadOnlyAdmin):
    list_display = ["municipality", "candidate", "recorded_at"]


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ["municipality", "number", "status", "submitted_at", "in_force_at"]
    list_filter = ["status", "municipality"]
    inlines = [PlanSignatureInline]


@admin.register(PlanSignature)
class PlanSignatureAdmin(ReadOnlyAdmin):
    list_display = ["version", "side", "signed_by", "signed_at", "sha256"]


@admin.register(ScopeDecision)
class ScopeDecisionAdmin(ReadOnlyAdmin):
    list_display = ["municipality", "decided_on", "status", "submitted_at"]
    list_filter = ["status", "municipality"]
