import pytest
from django.core import mail

from kehila.mail import Attachment, send_once
from kehila.models import SentMessage

pytestmark = pytest.mark.django_db


def _send(key="k1", language="he", **extra):
    return send_once(
        key=key,
        to="resident@example.org",
        subject_template="registration/password_reset_subject.txt",
        body_template="registration/password_reset_email.html",
        context={"protocol": "https", "domain": "x", "uid": "MQ", "token": "t-t"},
        language=language,
        **extra,
    )


def test_an_email_with_the_same_key_is_sent_once():
    assert _send() is True
    assert _send() is False
    assert len(mail.outbox) == 1
    assert SentMessage.objects.get().idempotency_key == "k1"


def test_it_is_written_in_the_recipients_language():
    _send(key="he")
    _send(key="en", language="en")
    assert mail.outbox[0].subject == "פורטל קהילה מיטיבה: בחירת סיסמה חדשה"
    assert mail.outbox[1].subject == "Kehila Metiva portal: choose a new password"


def test_attachments_travel_with_the_message(municipality):
    _send(
        attachments=(Attachment("a.ics", "BEGIN:VCALENDAR", "text/calendar"),),
        municipality=municipality,
    )
    assert mail.outbox[0].attachments[0][0] == "a.ics"
    assert SentMessage.objects.get().municipality == municipality


def test_a_failed_send_leaves_no_record_so_a_retry_can_send(monkeypatch):
    def boom(*args, **kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", boom)
    with pytest.raises(ConnectionError):
        _send()
    assert not SentMessage.objects.exists()
    monkeypatch.undo()
    assert _send() is True
