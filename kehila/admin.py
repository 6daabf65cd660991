from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext_lazy as _

from .audit import log_action
from .models import AuditLog, ContactAccess, Membership, Municipality, Program
from .privacy import contact_access_record
from .programs import program_ensure

admin.site.site_header = _("Kehila Metiva portal administration")
admin.site.site_title = _("Kehila Metiva")


class LogsContactAccess:
    """For the ModelAdmin of a row holding a person's contact details: its change form shows them, so
    opening it is logged like any page of the portal that shows them (kehila.privacy)."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                contact_access_record(
                    municipality=obj.municipality,
                    user=request.user,
                    people=[obj],
                    where=f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                )
        return response


class ReadOnlyAdmin(admin.ModelAdmin):
    """Evidence and signed records: shown in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProgramInline(admin.StackedInline):
    model = Program
    can_delete = False


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [ProgramInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A municipality added without filling the program inline still gets its program here.
        program_ensure(municipality=form.instance)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["municipality", "stage", "start_date", "scope_decision_date"]
    list_filter = ["stage"]
    list_select_related = ["municipality"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "role", "track"]
    list_filter = ["role", "municipality"]
    search_fields = ["user__username", "user__email", "municipality__name"]
    list_select_related = ["user", "municipality"]
    autocomplete_fields = ["municipality"]

    # Role changes are part of the audit trail, wherever they are made.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        log_action(
            actor=request.user,
            action="membership.changed" if change else "membership.created",
            obj=obj,
            data={"role": obj.role, "track": obj.track, "user": obj.user.get_username()},
        )

    def delete_model(self, request, obj):
        log_action(
            actor=request.user,
            action="membership.deleted",
            obj=obj,
            data={"role": obj.role, "user": obj.user.get_username()},
        )
        super().delete_model(request, obj)


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    """The trail is evidence: nobody edits or deletes it, not even from the admin."""

    list_display = ["created_at", "municipality", "actor", "action", "object_repr"]
    list_filter = ["action", "municipality"]
    list_select_related = ["municipality", "actor"]


@admin.register(ContactAccess)
class ContactAccessAdmin(ReadOnlyAdmin):
    """Evidence of who saw whose details: only the retention task removes rows."""

    list_display = ["at", "municipality", "username", "where", "purpose", "count"]
    list_filter = ["purpose", "municipality"]
    list_select_related = ["municipality"]
