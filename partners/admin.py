from django.contrib import admin

from kehila.admin import LogsContactAccess

from .models import (
    Affiliation,
    Engagement,
    HistoryNote,
    Interaction,
    Organisation,
    Person,
    SensitiveRelationship,
)


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Person)
class PersonAdmin(LogsContactAccess, admin.ModelAdmin):
    list_display = ["full_name", "title", "neighbourhood", "municipal_role", "municipality"]
    list_filter = ["municipality", "municipal_role", "is_resident"]
    search_fields = ["full_name", "title", "email"]
    list_select_related = ["municipality"]
    inlines = [AffiliationInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["municipality", "kind"]
    search_fields = ["name"]


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["person", "sector", "circle", "consent", "stage", "municipality"]
    list_filter = ["municipality", "sector", "stage", "consent"]
    list_select_related = ["person", "municipality"]
    raw_id_fields = ["person", "owner"]


admin.site.register([Interaction, HistoryNote, SensitiveRelationship])
