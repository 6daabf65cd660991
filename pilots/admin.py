from django.contrib import admin

from kehila.admin import LogsContactAccess

from .models import Grant, Hackathon, Initiative, Participant, Score


@admin.register(Hackathon)
class HackathonAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "year", "date", "submission_deadline", "pilot_budget"]
    list_filter = ["municipality"]


@admin.register(Initiative)
class InitiativeAdmin(LogsContactAccess, admin.ModelAdmin):
    list_display = ["title", "hackathon", "track", "neighbourhood", "status"]
    list_filter = ["status", "track", "municipality"]
    search_fields = ["title", "team_name"]


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["initiative", "member", "total"]
    readonly_fields = ["total"]


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ["initiative", "amount", "over_budget", "created_at"]


@admin.register(Participant)
class ParticipantAdmin(LogsContactAccess, admin.ModelAdmin):
    list_display = ["full_name", "hackathon", "team_name", "created_at"]
    list_filter = ["municipality"]
    list_select_related = ["hackathon"]
