"""Personal links for people without an account: signed, so nobody can forge or edit one.

An RSVP link names one invitation; a member-page link names one person. Both are signed with their own
salt (an RSVP token cannot open a member page) and expire; the view turns a bad or old link into a page
that explains what happened and changes nothing.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

RSVP_SALT = "committees.rsvp"
MEMBER_SALT = "committees.member"
LINK_MAX_AGE = 60 * 60 * 24 * 180  # half a year: longer than any invitation stays relevant


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def _load(token: str, salt: str) -> int:
    try:
        value = signing.loads(token, salt=salt, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    if not isinstance(value, int):
        raise LinkInvalid
    return value


def rsvp_token(invitation) -> str:
    return signing.dumps(invitation.pk, salt=RSVP_SALT)


def invitation_id_from(token: str) -> int:
    return _load(token, RSVP_SALT)


def member_token(person) -> str:
    return signing.dumps(person.pk, salt=MEMBER_SALT)


def person_id_from(token: str) -> int:
    return _load(token, MEMBER_SALT)


def rsvp_url(invitation, *, absolute: bool = True) -> str:
    path = reverse("committees_public:rsvp", kwargs={"token": rsvp_token(invitation)})
    return settings.SITE_URL + path if absolute else path


def member_url(person, *, absolute: bool = True) -> str:
    path = reverse("committees_public:member", kwargs={"token": member_token(person)})
    return settings.SITE_URL + path if absolute else path
