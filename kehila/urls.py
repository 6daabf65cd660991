from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import (
    account_views,
    accounts,
    invitation_views,
    municipality_views,
    people_views,
    picker_views,
    privacy_views,
    profile_views,
    search_views,
    timeline_views,
    views,
)
from .admin_fallback import register_remaining_models

register_remaining_models()

# Pages of the core. Everything under m/<slug>/ is one municipality's and goes through municipality_view.
kehila_patterns = [
    path("hq/", views.hq, name="hq"),
    path("hq/privacy/log/", privacy_views.hq_contact_log, name="hq_contact_log"),
    path("hq/check/<slug:slug>/", views.hq_check, name="hq_check"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("m/<slug:slug>/", views.dashboard, name="dashboard"),
    path("m/<slug:slug>/timeline/", timeline_views.timeline, name="timeline"),
    path("m/<slug:slug>/timeline/scope/", timeline_views.timeline_scope, name="timeline_scope"),
    path(
        "m/<slug:slug>/timeline/slip-threshold/",
        timeline_views.timeline_slip_threshold,
        name="timeline_slip_threshold",
    ),
    path(
        "m/<slug:slug>/timeline/reschedule/",
        timeline_views.timeline_reschedule,
        name="timeline_reschedule",
    ),
    path(
        "m/<slug:slug>/timeline/offsets/", timeline_views.timeline_offsets, name="timeline_offsets"
    ),
    path(
        "m/<slug:slug>/timeline/calendar/",
        timeline_views.timeline_calendar,
        name="timeline_calendar",
    ),
    path("m/<slug:slug>/privacy/log/", privacy_views.contact_log, name="contact_log"),
    # --- issue 16, invitations by e-mail and HQ opening a municipality (kehila.invitation_views) ---
    path(
        "hq/municipalities/new/",
        invitation_views.hq_municipality_new,
        name="hq_municipality_new",
    ),
    path(
        "m/<slug:slug>/people/invitations/<int:invitation_id>/resend/",
        invitation_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "m/<slug:slug>/people/invitations/<int:invitation_id>/revoke/",
        invitation_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:signed>/", invitation_views.invitation_accept, name="invitation_accept"),
    path(
        "invitations/<str:signed>/request/",
        invitation_views.invitation_request,
        name="invitation_request",
    ),
    # --- end of issue 16 invitations ---
    # --- issue 16, the team page: people, roles, removals; the invitations' old page leads here
    # (kehila.people_views) ---
    path("m/<slug:slug>/people/", people_views.team, name="people"),
    path(
        "m/<slug:slug>/people/invitations/",
        people_views.invitations_moved,
        name="invitations",
    ),
    path(
        "m/<slug:slug>/people/<int:membership_id>/role/",
        people_views.membership_role,
        name="membership_role",
    ),
    path(
        "m/<slug:slug>/people/<int:membership_id>/remove/",
        people_views.membership_remove,
        name="membership_remove",
    ),
    # --- end of the team page ---
    # issue 16, pausing and the onboarding checklist: HQ's page for one municipality
    path("hq/m/<slug:slug>/", municipality_views.hq_municipality, name="hq_municipality"),
    # issue 17 §5: searching the municipality, and the members picker's endpoint
    path("m/<slug:slug>/search/", search_views.search_page, name="search"),
    path("m/<slug:slug>/members/search/", picker_views.members_search, name="members_search"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("", include((kehila_patterns, "kehila"))),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=accounts.PortalPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/security/", account_views.account_security, name="account_security"),
    # issue 16, My account: profile, e-mail address, language, notifications, sessions.
    path("accounts/", profile_views.account, name="account"),
    path("accounts/profile/", profile_views.account_profile, name="account_profile"),
    path(
        "accounts/notifications/",
        profile_views.account_notifications,
        name="account_notifications",
    ),
    path("accounts/email/", profile_views.account_email_change, name="account_email_change"),
    path(
        "accounts/email/confirm/<str:token>/",
        profile_views.account_email_confirm,
        name="account_email_confirm",
    ),
    path(
        "accounts/sessions/end-others/",
        profile_views.account_sessions_end,
        name="account_sessions_end",
    ),
    path(
        "accounts/calendar/revoke/",
        profile_views.account_calendar_revoke,
        name="account_calendar_revoke",
    ),
    # end of My account
    path("accounts/two-factor/enrol/", account_views.two_factor_enrol, name="two_factor_enrol"),
    path("accounts/two-factor/verify/", account_views.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/remove/", account_views.two_factor_remove, name="two_factor_remove"),
    path("hq/lockouts/", account_views.hq_lockouts, name="hq_lockouts"),
    path("hq/lockouts/lift/", account_views.hq_lockout_lift, name="hq_lockout_lift"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Stage apps: a municipality's pages (login and municipality_view), then public pages (no login).
    path("m/<slug:slug>/partners/", include("partners.urls")),
    path("m/<slug:slug>/committees/", include("committees.urls")),
    path("m/<slug:slug>/strategy/", include("strategy.urls")),
    path("m/<slug:slug>/pilot/", include("pilots.urls")),
    path("m/<slug:slug>/live/", include("live.urls")),
    path("public/partners/", include("partners.public_urls")),
    path("public/committees/", include("committees.public_urls")),
    path("public/strategy/", include("strategy.public_urls")),
    path("public/pilot/", include("pilots.public_urls")),
    # A live session's phones: short paths, typed from the board at the back of a hall.
    path("", include("live.public_urls")),
]
