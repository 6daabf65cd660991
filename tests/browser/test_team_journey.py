"""Journey (issue 16): the manager opens the team page from the navigation, invites a track lead, changes a
member's role, and is refused removing her own last manager role; keyboard only, axe in both languages."""

import pytest

from kehila.models import Invitation, Membership, Role
from tests.factories import member

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_manager_runs_the_team(a11y, manager, municipality):
    colleague = member(municipality, Role.TEAM, user__username="colleague")
    colleague_membership = Membership.objects.get(user=colleague)
    own = Membership.objects.get(user=manager)
    web = a11y()
    web.login(manager)
    page = web.goto(f"/m/{municipality.slug}/")

    # The team page is in the municipality's navigation.
    web.tab_to(f'nav a[href="/m/{municipality.slug}/people/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/m/{municipality.slug}/people/")
    web.check()
    assert colleague.email in page.locator("#people-table").inner_text()

    # She invites a track lead to the social track.
    web.tab_to("#id_email")
    page.keyboard.type("lead@example.org")
    page.select_option("#id_role", "track_lead")
    page.select_option("#id_track", "social")
    web.tab_to("#send-invitation")
    page.keyboard.press("Enter")
    page.wait_for_selector(".alert-success")
    web.check()
    invitation = Invitation.objects.get(email="lead@example.org")
    assert (invitation.role, invitation.track) == (Role.TRACK_LEAD, "social")
    assert "lead@example.org" in page.locator("#invitations-table").inner_text()

    # She makes her colleague the mayor's office contact.
    page.select_option(f"#role-{colleague_membership.pk}", "mayor_office")
    web.tab_to(f"#change-role-{colleague_membership.pk}")
    page.keyboard.press("Enter")
    page.wait_for_selector(".alert-success")
    web.check()
    colleague_membership.refresh_from_db()
    assert colleague_membership.role == Role.MAYOR_OFFICE

    # Removing her own access is refused: she is the only manager; nothing changes.
    web.tab_to(f"#remove-{own.pk}")
    page.keyboard.press("Enter")
    page.wait_for_selector("#people-error")
    web.check()
    assert Membership.objects.filter(pk=own.pk, role=Role.MANAGER).exists()
