"""Committees journey: the manager sends a meeting's invitations, opens the meeting's e-mails page, sees
that one invitee's mail server refused the invitation (and why), and resends it to that invitee, all with
the keyboard."""

import re
import smtplib

import pytest
from django.core import mail

from committees.models import Invitation, Meeting
from kehila import mail as outbox
from kehila.models import SentMessage
from tests.committees.factories import MeetingFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_manager_sees_a_refused_invitation_and_resends_it(
    a11y, manager, municipality, monkeypatch
):
    meeting = MeetingFactory(committee__municipality=municipality, title="מפגש היכרות")
    for i, email in enumerate(["dana@example.org", "no-such-user@example.org", "omer@example.org"]):
        MemberFactory(
            committee=meeting.committee, person__full_name=f"חבר.ה {i}", person__email=email
        )
    real_send = outbox.EmailMultiAlternatives.send

    def refusing(self, *args, **kwargs):
        if self.to == ["no-such-user@example.org"]:
            raise smtplib.SMTPRecipientsRefused(
                {"no-such-user@example.org": (550, b"5.1.1 mailbox unavailable")}
            )
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(outbox.EmailMultiAlternatives, "send", refusing)
    web = a11y()
    web.login(manager)
    page = web.goto(f"/m/{municipality.slug}/committees/meetings/{meeting.pk}/")
    web.tab_to("#send-invitations")
    page.keyboard.press("Enter")
    page.wait_for_selector(".alert-success")
    web.check()
    assert Meeting.objects.get(pk=meeting.pk).status == "invited"
    assert sorted(m.to[0] for m in mail.outbox) == ["dana@example.org", "omer@example.org"]

    web.tab_to("#meeting-mail")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/mail/$"))
    web.check()
    refused = Invitation.objects.get(meeting=meeting, person__email="no-such-user@example.org")
    row = page.locator(f"#invitee-{refused.pk}")
    assert "נכשלה" in row.inner_text()
    assert "550 5.1.1 mailbox unavailable" in row.inner_text()

    monkeypatch.undo()  # the address was fixed at the server's side
    web.tab_to(f"#invitee-{refused.pk} button")
    page.keyboard.press("Enter")
    page.wait_for_selector(".alert-success")
    web.check()
    assert [m.to[0] for m in mail.outbox[2:]] == ["no-such-user@example.org"]
    states = SentMessage.objects.filter(to="no-such-user@example.org").order_by("pk")
    assert list(states.values_list("state", flat=True)) == ["failed", "sent"]
    assert "נשלחה" in page.locator(f"#invitee-{refused.pk}").inner_text()
    web.assert_all_checked()
