from django.contrib import admin

from kehila.admin import LogsContactAccess

from .models import (
    ActionItem,
    AgendaItem,
    Application,
    Committee,
    CommitteeMember,
    CompositionTarget,
    Invitation,
    Meeting,
    Minutes,
    MinutesCorrection,
)


class MemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0
    raw_id_fields = ["person"]
    fields = ["person", "role", "sector", "starts_on", "ends_on", "has_vote"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "kind", "track"]
    list_filter = ["kind", "track", "municipality"]
    search_fields = ["name"]
    inlines = [MemberInline]


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "title", "presenter", "minutes_allotted"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "committee", "starts_at", "status", "sequence"]
    list_filter = ["status", "municipality"]
    list_select_related = ["committee"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    readonly_fields = ["sequence", "idempotency_key"]
    inlines = [AgendaInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["person", "meeting", "response", "waitlisted", "attended"]
    list_filter = ["response", "waitlisted"]
    list_select_related = ["person", "meeting"]
    raw_id_fields = ["person", "meeting"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "due_on", "status", "meeting"]
    list_filter = ["status", "municipality"]
    list_select_related = ["owner", "meeting"]
    raw_id_fields = ["owner", "meeting"]


@admin.register(Application)
class ApplicationAdmin(LogsContactAccess, admin.ModelAdmin):
    list_display = ["full_name", "municipality", "sector", "status", "created_at"]
    list_filter = ["status", "sector", "municipality"]
    readonly_fields = ["person", "decided_at"]


admin.site.register(CompositionTarget)


class CorrectionInline(admin.TabularInline):
    model = MinutesCorrection
    extra = 0
    can_delete = False
    readonly_fields = ("author_name", "text", "person", "user", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    list_display = ("meeting", "state", "corrections_until", "approved_at")
    list_filter = ("state",)
    readonly_fields = ("state", "circulated_at", "corrections_until", "approved_at", "approved_by")
    inlines = [CorrectionInline]

    def has_change_permission(self, request, obj=None):
        # Approved minutes are locked (Minutes.save refuses): the admin shows them read-only.
        if obj is not None and obj.state == Minutes.State.APPROVED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.state == Minutes.State.APPROVED:
            return False
        return super().has_delete_permission(request, obj)
