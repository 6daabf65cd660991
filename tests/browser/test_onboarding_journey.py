"""Journey (issue 16): HQ opens a municipality and invites its manager; the manager opens the link from the
e-mail, sets a password, enrols an authenticator and lands on the dashboard; she invites the mayor's
office, who opens their own link, sets a password and lands on the dashboard too."""

import re

import pytest
from django.contrib.auth import get_user_model

from kehila.models import Invitation, Membership, Role, SentMessage

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"/invitations/[^/\s]+/")
PASSWORD = "a-long-safe-passphrase"


def _link_for(email: str) -> str:
    """The invitation link of the newest e-mail to `email`, as the person reads it in their inbox."""
    message = (
        SentMessage.objects.filter(to=email, idempotency_key__startswith="kehila:invitation:")
        .order_by("-pk")
        .first()
    )
    return LINK.search(message.body_text).group(0)


def _set_password(web, first_name: str, last_name: str):
    page = web.page
    web.tab_to("#id_first_name")
    page.keyboard.type(first_name)
    web.tab_to("#id_last_name")
    page.keyboard.type(last_name)
    web.tab_to("#id_password1")
    page.keyboard.type(PASSWORD)
    web.tab_to("#id_password2")
    page.keyboard.type(PASSWORD)
    web.tab_to("#create-account")
    page.keyboard.press("Enter")


def test_hq_opens_a_municipality_and_the_team_joins_by_invitation(a11y, hq_user):
    hq = a11y()
    hq.login(hq_user)
    page = hq.goto("/hq/")
    hq.tab_to("#open-municipality-link")
    page.keyboard.press("Enter")
    page.wait_for_url("**/hq/municipalities/new/")
    hq.check()
    page.fill("#id_name", "כפר הדקל")
    page.fill("#id_name_en", "Kfar HaDekel")
    page.fill("#id_slug", "kfar-hadekel")
    page.check("input[name=communities][value=druze]")
    page.fill("#id_start_date", "2027-04-01")
    page.fill("#id_manager_email", "dana@kfar-hadekel.example.org")
    hq.tab_to("#open")
    page.keyboard.press("Enter")
    page.wait_for_url("**/m/kfar-hadekel/people/")
    hq.check()
    assert "dana@kfar-hadekel.example.org" in page.locator("#invitations-table").inner_text()

    # The manager, in her own browser, opens the link from her e-mail.
    manager = a11y()
    page = manager.goto(_link_for("dana@kfar-hadekel.example.org"))
    assert "כפר הדקל" in page.get_by_role("heading", level=1).inner_text()
    _set_password(manager, "דנה", "לוי")
    page.wait_for_url("**/accounts/two-factor/enrol/**")
    manager.check()
    dana = get_user_model().objects.get(email="dana@kfar-hadekel.example.org")
    manager.type_totp(dana)
    page.wait_for_selector("#recovery-codes")
    manager.check()
    manager.tab_to("main a.btn-primary")
    page.keyboard.press("Enter")
    page.wait_for_url("**/m/kfar-hadekel/")
    manager.check()
    assert Membership.objects.get(user=dana).role == Role.MANAGER

    # She invites the mayor's office.
    page = manager.goto("/m/kfar-hadekel/people/invitations/")
    manager.tab_to("#id_email")
    page.keyboard.type("mayor@kfar-hadekel.example.org")
    page.select_option("#id_role", "mayor_office")
    manager.tab_to("#send-invitation")
    page.keyboard.press("Enter")
    page.wait_for_selector(".alert-success")
    manager.check()
    assert Invitation.objects.get(email="mayor@kfar-hadekel.example.org").invited_by == dana

    # The mayor's office accepts: no second factor is required of the role, so the dashboard follows.
    mayor = a11y()
    page = mayor.goto(_link_for("mayor@kfar-hadekel.example.org"))
    _set_password(mayor, "יוסי", "כהן")
    page.wait_for_url("**/m/kfar-hadekel/")
    mayor.check()
    office = get_user_model().objects.get(email="mayor@kfar-hadekel.example.org")
    assert Membership.objects.get(user=office).role == Role.MAYOR_OFFICE

    # The used link explains itself.
    page = mayor.goto(_link_for("mayor@kfar-hadekel.example.org"))
    assert page.locator("#problem").get_attribute("data-problem") == "accepted"
