"""A meeting's invitations through the outbox: the meeting is "invited" exactly when its invitations are
queued, "send again" never queues a second copy of what was sent, and the per-meeting e-mails page lets
the team see each invitee's e-mails and resend one."""

import smtplib
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from committees import services
from committees.models import Invitation, Meeting
from kehila import mail as outbox
from kehila.mail import outbox_drain
from kehila.models import AuditLog, SentMessage
from kehila.permissions import SYSTEM
from tests.committees.factories import MeetingFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(municipality):
    meeting = MeetingFactory(committee__municipality=municipality)
    for i in range(3):
        MemberFactory(
            committee=meeting.committee,
            person__full_name=f"חבר.ה {i}",
            person__email=f"m{i}@example.org",
        )
    return meeting


def _refusing(address: str):
    real = outbox.EmailMultiAlternatives.send

    def send(self, *args, **kwargs):
        if self.to == [address]:
            raise smtplib.SMTPRecipientsRefused({address: (550, b"5.1.1 mailbox unavailable")})
        return real(self, *args, **kwargs)

    return send


def _snapshot(meeting):
    return (
        Meeting.objects.get(pk=meeting.pk).status,
        Invitation.objects.filter(meeting=meeting).count(),
        SentMessage.objects.count(),
    )


def test_the_invitations_are_in_the_outbox_before_the_meeting_commits_as_invited(meeting):
    with transaction.atomic():
        assert services.invitations_send(meeting=meeting, actor=SYSTEM) == 3
        # Still inside the transaction that marks the meeting invited: the e-mails are rows of it.
        assert Meeting.objects.get(pk=meeting.pk).status == "invited"
        rows = SentMessage.objects.filter(about=f"committees.meeting:{meeting.pk}")
        assert sorted(rows.values_list("to", "state")) == [
            (f"m{i}@example.org", "queued") for i in range(3)
        ]


def test_a_failure_after_the_invitations_were_queued_rolls_back_the_meeting_and_its_emails(
    meeting, monkeypatch, mailoutbox
):
    before = _snapshot(meeting)

    def audit_fails(**kwargs):
        raise RuntimeError("the audit trail is down")

    monkeypatch.setattr(services.invitations, "log_action", audit_fails)
    with pytest.raises(RuntimeError):
        services.invitations_send(meeting=meeting, actor=SYSTEM)
    assert _snapshot(meeting) == before == ("planned", 0, 0)
    assert len(mailoutbox) == 0


def test_send_again_after_everything_was_sent_queues_nothing(meeting, mailoutbox):
    services.invitations_send(meeting=meeting, actor=SYSTEM)
    assert len(mailoutbox) == 3
    assert services.invitations_send(meeting=meeting, actor=SYSTEM, retry_failed=True) == 0
    assert len(mailoutbox) == 3
    assert SentMessage.objects.filter(state="sent").count() == 3


def test_send_again_requeues_only_a_failed_invitation_and_not_one_on_its_way(
    meeting, monkeypatch, mailoutbox
):
    monkeypatch.setattr(outbox.EmailMultiAlternatives, "send", _refusing("m0@example.org"))
    services.invitations_send(meeting=meeting, actor=SYSTEM)
    assert sorted(m.to[0] for m in mailoutbox) == ["m1@example.org", "m2@example.org"]
    failed = SentMessage.objects.get(to="m0@example.org")
    assert (failed.state, failed.last_error) == ("failed", "550 5.1.1 mailbox unavailable")
    monkeypatch.undo()
    # m1's row is being sent by a worker right now (claimed, lease running): not queued again.
    SentMessage.objects.filter(to="m1@example.org").update(
        state="sending", lease_expires_at=timezone.now() + timedelta(minutes=5)
    )
    assert services.invitations_send(meeting=meeting, actor=SYSTEM, retry_failed=True) == 1
    assert sorted(m.to[0] for m in mailoutbox) == [
        "m0@example.org",
        "m1@example.org",
        "m2@example.org",
    ]
    assert SentMessage.objects.count() == 3


def test_resending_one_invitation_queues_a_fresh_copy_and_is_audited(meeting, manager, mailoutbox):
    services.invitations_send(meeting=meeting, actor=SYSTEM)
    assert len(mailoutbox) == 3
    invitation = Invitation.objects.get(meeting=meeting, person__email="m1@example.org")
    assert services.invitation_resend(invitation=invitation, actor=manager) == 1
    assert services.invitation_resend(invitation=invitation, actor=manager) == 1
    assert [m.to[0] for m in mailoutbox[3:]] == ["m1@example.org", "m1@example.org"]
    keys = SentMessage.objects.filter(to="m1@example.org").values_list("idempotency_key", flat=True)
    assert sorted(keys) == [
        f"committees:invite:{invitation.pk}",
        f"committees:invite:{invitation.pk}:resend-1",
        f"committees:invite:{invitation.pk}:resend-2",
    ]
    entries = AuditLog.objects.filter(action="committees.invitation_resend")
    assert entries.count() == 2
    assert entries.first().actor == manager


def test_the_email_page_shows_each_invitees_emails_with_state_time_and_reason(
    meeting, team_member, client_for, monkeypatch
):
    monkeypatch.setattr(outbox.EmailMultiAlternatives, "send", _refusing("m0@example.org"))
    services.invitations_send(meeting=meeting, actor=SYSTEM)
    outbox_drain()
    monkeypatch.undo()
    url = reverse(
        "committees:meeting_mail",
        kwargs={"slug": meeting.municipality.slug, "meeting_id": meeting.pk},
    )
    client = client_for(team_member)
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    failed = Invitation.objects.get(meeting=meeting, person__email="m0@example.org")
    sent = Invitation.objects.get(meeting=meeting, person__email="m1@example.org")
    row_failed = page.split(f'id="invitee-{failed.pk}"')[1].split("</tr>")[0]
    row_sent = page.split(f'id="invitee-{sent.pk}"')[1].split("</tr>")[0]
    assert "Invitation:" in row_failed and "Failed" in row_failed
    assert "550 5.1.1 mailbox unavailable" in row_failed
    assert "Sent" in row_sent and "550" not in row_sent
    sent_at = timezone.localtime(SentMessage.objects.get(to="m1@example.org").sent_at)
    assert sent_at.strftime("%-d.%-m.%Y %H:%M") in row_sent
    detail = reverse(
        "committees:meeting", kwargs={"slug": meeting.municipality.slug, "meeting_id": meeting.pk}
    )
    assert url in client_for(team_member).get(detail).content.decode()


def test_the_resend_button_queues_one_copy_for_that_invitee(meeting, team_member, client_for):
    services.invitations_send(meeting=meeting, actor=SYSTEM)
    invitation = Invitation.objects.filter(meeting=meeting).first()
    url = reverse(
        "committees:meeting_mail_resend",
        kwargs={"slug": meeting.municipality.slug, "meeting_id": meeting.pk},
    )
    response = client_for(team_member).post(url, {"invitation": invitation.pk})
    assert response.status_code == 302
    assert SentMessage.objects.filter(
        idempotency_key=f"committees:invite:{invitation.pk}:resend-1"
    ).exists()
    assert SentMessage.objects.count() == 4


def test_resend_refuses_an_invitation_of_another_meeting_and_changes_nothing(
    meeting, municipality, team_member, client_for
):
    other = MeetingFactory(committee=meeting.committee)
    MemberFactory(committee=meeting.committee, person__email="x@example.org")
    services.invitations_send(meeting=other, actor=SYSTEM)
    foreign = Invitation.objects.filter(meeting=other).first()
    url = reverse(
        "committees:meeting_mail_resend",
        kwargs={"slug": municipality.slug, "meeting_id": meeting.pk},
    )
    before = (SentMessage.objects.count(), AuditLog.objects.count())
    client = client_for(team_member)
    assert client.post(url, {"invitation": foreign.pk}).status_code == 404
    assert client.post(url, {"invitation": "nope"}).status_code == 404
    assert client.get(url).status_code == 405
    assert (SentMessage.objects.count(), AuditLog.objects.count()) == before


def test_a_committee_member_may_not_see_the_email_page_nor_resend(
    meeting, committee_member, client_for
):
    services.invitations_send(meeting=meeting, actor=SYSTEM)
    invitation = Invitation.objects.filter(meeting=meeting).first()
    kwargs = {"slug": meeting.municipality.slug, "meeting_id": meeting.pk}
    client = client_for(committee_member)
    before = (SentMessage.objects.count(), AuditLog.objects.count())
    assert client.get(reverse("committees:meeting_mail", kwargs=kwargs)).status_code == 403
    response = client.post(
        reverse("committees:meeting_mail_resend", kwargs=kwargs), {"invitation": invitation.pk}
    )
    assert response.status_code == 403
    assert (SentMessage.objects.count(), AuditLog.objects.count()) == before
