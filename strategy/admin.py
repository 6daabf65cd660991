"""Admin: read-only views of the agreements, because every change goes through the services (a change
here would bypass the workflow and break the hash that the signatures carry)."""

from django.contrib import admin

from .models import (
    AgreementSignature,
    AgreementVersion,
    Candidate,
    HiringDecision,
    KickoffStep,
    PlanVersion,
    ScopeDecision,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ReadOnlyAdmin):
    list_display = ["municipality", "number", "status", "submitted_at", "in_force_at"]
    list_filter = ["status", "municipality"]


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


@admin.register(ScopeDecision)
class ScopeDecisionAdmin(ReadOnlyAdmin):
    list_display = ["municipality", "decided_on", "status", "submitted_at"]
    list_filter = ["status", "municipality"]
