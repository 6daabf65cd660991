from django.contrib import admin

from .models import Grant, Hackathon, Initiative, Score


@admin.register(Hackathon)
class HackathonAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "year", "date", "submission_deadline", "pilot_budget"]
    list_filter = ["municipality"]


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
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
