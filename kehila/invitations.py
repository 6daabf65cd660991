"""Invitations by e-mail, and HQ opening a municipality: the services every page and command calls.
No model lives here (kehila.models.Invitation).

An invitation's link is `signing.dumps({"i": id, "t": token})` with this module's salt. The token is
random, drawn anew for every e-mail, and only its SHA-256 is stored, so the database holds no working
link and only the newest e-mail's link works. Expiry is the row's `expires_at`, not the signature's age, so
that sending again extends it. Every service checks kehila.permissions first and writes the audit trail;
e-mails go through the outbox (kehila.mail) in the invitee's language, committed with the row.

What an invitation leads to beyond the core (a committee member's history joining the new account) is a
stage app's business: accepting sends kehila.signals.invitation_accepted inside the transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from . import scheduling, signals
from .audit import log_action
from .mail import Outgoing, send_many, send_once
from .models import Invitation, Membership, Municipality, Role, Track, localized_name
from .permissions import (
    OPENING_ROLE,
    PermissionDenied,
    loses_last_manager,
    may_invite_to,
    require,
    role_needs_track,
    users_who_can,
)
from .programs import program_ensure

SALT = "kehila.invitation"
# A second "invite" or "send again" this soon after an e-mail is the same click arriving twice (a double
# submit, a reload): it does nothing more. Later, it sends the invitation again.
DOUBLE_SUBMIT = timedelta(seconds=60)
# A second "open this municipality" this soon, by the same person, for the same slug and manager, is the
# same form submitted twice: it answers with what the first one made.
OPEN_DOUBLE_SUBMIT = timedelta(minutes=10)


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def municipality_name(municipality: Municipality, language: str) -> str:
    """The municipality's name in `language` where it has one, else its Hebrew name."""
    return localized_name(municipality, language)


# --- the signed link ----------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign(invitation_id: int, token: str) -> str:
    return signing.dumps({"i": invitation_id, "t": token}, salt=SALT)


def accept_path(invitation_id: int, token: str) -> str:
    return reverse("kehila:invitation_accept", kwargs={"signed": sign(invitation_id, token)})


@dataclass(frozen=True)
class LinkCheck:
    """What a link is: its invitation (None when the link is not ours) and, if it cannot be used, why:
    "tampered", "superseded" (a newer e-mail was sent), "accepted", "revoked" or "expired"."""

    invitation: Invitation | None
    problem: str | None = None


def invitation_from_link(signed: str, *, now=None) -> LinkCheck:
    """Read a link without writing anything (the page that shows it is a GET)."""
    try:
        payload = signing.loads(signed, salt=SALT)
        invitation_id, token = int(payload["i"]), str(payload["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return LinkCheck(None, "tampered")
    invitation = (
        Invitation.objects.select_related("municipality", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return LinkCheck(None, "tampered")
    if not hmac.compare_digest(invitation.token_hash, _digest(token)):
        return LinkCheck(invitation, "superseded")
    return LinkCheck(invitation, _closed_reason(invitation, now))


def _closed_reason(invitation: Invitation, now=None) -> str | None:
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.is_expired(now):
        return "expired"
    return None


def _refuse_closed(invitation: Invitation, now=None) -> None:
    reason = _closed_reason(invitation, now)
    if reason is None:
        return
    message = {
        "accepted": gettext("This invitation was already used."),
        "revoked": gettext("This invitation was withdrawn."),
        "expired": gettext("This invitation has expired."),
    }[reason]
    raise ValidationError(message, code=reason)


# --- rate limits --------------------------------------------------------------------------------------


def _count(key: str, window: int) -> int:
    """Count one more against `key` within `window` seconds; `add` then `incr`, so that two concurrent
    requests cannot both start the window at one (as the public forms' limit does)."""
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def _rate_limit(actor, email: str) -> None:
    per_actor = _count(f"kehila:invite:actor:{actor.pk}", 3600)
    per_address = _count(f"kehila:invite:address:{_digest(email)}", 86400)
    if (
        per_actor > settings.KEHILA_INVITATIONS_PER_ACTOR_HOUR
        or per_address > settings.KEHILA_INVITATIONS_PER_ADDRESS_DAY
    ):
        raise ValidationError(
            gettext("Too many invitations were sent. Try again later."), code="rate_limited"
        )


# --- inviting -----------------------------------------------------------------------------------------


def _check_role(actor, municipality: Municipality, role: str, track: str) -> str:
    """The track to store; refuses a role the actor may not give, and a track lead without a track."""
    if not may_invite_to(actor, municipality, role):
        raise PermissionDenied(
            "invite_people",
            municipality,
            gettext("You may not invite people to this role."),
        )
    if not role_needs_track(role):
        return ""
    if track not in Track.values:
        raise ValidationError({"track": gettext("Choose the track the track lead leads.")})
    return track


def _holds_role(email: str, municipality: Municipality, role: str, track: str) -> bool:
    memberships = Membership.objects.filter(
        municipality=municipality, user__email__iexact=email, role=role
    )
    if track:
        memberships = memberships.filter(track=track)
    return memberships.exists()


def _just_sent(invitation: Invitation, now) -> bool:
    return invitation.last_sent_at is not None and now - invitation.last_sent_at < DOUBLE_SUBMIT


def _send(invitation: Invitation, actor, now) -> None:
    """Draw a new token, extend the expiry and queue the e-mail, in the caller's transaction."""
    _rate_limit(actor, invitation.email)
    token = secrets.token_urlsafe(24)
    invitation.token_hash = _digest(token)
    invitation.expires_at = now + timedelta(days=settings.KEHILA_INVITATION_DAYS)
    invitation.sent_count += 1
    invitation.last_sent_at = now
    invitation.save(update_fields=["token_hash", "expires_at", "sent_count", "last_sent_at"])
    inviter = invitation.invited_by
    send_once(
        key=f"kehila:invitation:{invitation.pk}:{invitation.sent_count}",
        to=invitation.email,
        subject_template="kehila/invitations/email/invitation_subject.txt",
        body_template="kehila/invitations/email/invitation_body.txt",
        context={
            "invitation": invitation,
            "municipality_name": municipality_name(invitation.municipality, invitation.language),
            "inviter_name": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
            "link": settings.SITE_URL + accept_path(invitation.pk, token),
            "expires_at": invitation.expires_at,
        },
        language=invitation.language,
        municipality=invitation.municipality,
    )


@transaction.atomic
def invite(
    *,
    actor,
    municipality: Municipality,
    email: str,
    role: str,
    track: str = "",
    language: str | None = None,
) -> Invitation:
    """Invite `email` to `role` in `municipality` and e-mail the link.

    An open invitation for the address is sent again (with this role), never doubled; the same click
    arriving twice within DOUBLE_SUBMIT sends nothing more. Refuses (ValidationError, with a code) an
    address that already holds the role there, and too many e-mails; PermissionDenied for a role the
    actor may not give. Says nothing about whether the address has an account."""
    require(actor, "invite_people", municipality)
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": gettext("Enter a valid e-mail address.")}, code="invalid"
        ) from None
    track = _check_role(actor, municipality, role, track)
    if _holds_role(email, municipality, role, track):
        raise ValidationError(
            gettext("%(email)s already has the role %(role)s here.")
            % {"email": email, "role": Role(role).label},
            code="already_has_role",
        )
    language = language or municipality.default_language or "he"
    now = timezone.now()
    existing = (
        Invitation.objects.select_for_update()
        .open()
        .filter(municipality=municipality, email=email)
        .first()
    )
    if existing is None:
        try:
            # A savepoint: a concurrent invite of the same address meets the unique index here.
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    municipality=municipality,
                    email=email,
                    role=role,
                    track=track,
                    language=language,
                    invited_by=actor,
                    created_at=now,
                    expires_at=now + timedelta(days=settings.KEHILA_INVITATION_DAYS),
                )
        except IntegrityError:
            # The other request made the row and sent its e-mail: this one is the same click.
            return Invitation.objects.open().get(municipality=municipality, email=email)
        _send(invitation, actor, now)
        log_action(
            actor=actor,
            action="invitation.sent",
            obj=invitation,
            data={"email": email, "role": role, "track": track},
        )
        return invitation
    if _just_sent(existing, now) and (existing.role, existing.track) == (role, track):
        return existing
    existing.role, existing.track, existing.language = role, track, language
    existing.invited_by = actor
    existing.save(update_fields=["role", "track", "language", "invited_by"])
    _send(existing, actor, now)
    log_action(
        actor=actor,
        action="invitation.resent",
        obj=existing,
        data={"email": email, "role": role, "track": track, "times": existing.sent_count},
    )
    return existing


def _locked(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update().select_related("municipality").get(pk=invitation.pk)
    )


@transaction.atomic
def resend(*, actor, invitation: Invitation) -> Invitation:
    """Send an open invitation again with a fresh link and a fresh expiry (an expired one too)."""
    require(actor, "invite_people", invitation)
    invitation = _locked(invitation)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        _refuse_closed(invitation)
    _check_role(actor, invitation.municipality, invitation.role, invitation.track)
    now = timezone.now()
    if _just_sent(invitation, now):
        return invitation
    _send(invitation, actor, now)
    log_action(
        actor=actor,
        action="invitation.resent",
        obj=invitation,
        data={"email": invitation.email, "times": invitation.sent_count},
    )
    return invitation


@transaction.atomic
def revoke(*, actor, invitation: Invitation) -> Invitation:
    """Withdraw an invitation: its link stops working at once. Revoking twice is revoking once."""
    require(actor, "invite_people", invitation)
    invitation = _locked(invitation)
    if invitation.accepted_at is not None:
        _refuse_closed(invitation)
    if invitation.revoked_at is not None:
        return invitation
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = actor
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    log_action(
        actor=actor, action="invitation.revoked", obj=invitation, data={"email": invitation.email}
    )
    return invitation


# --- accepting ----------------------------------------------------------------------------------------


@transaction.atomic
def accept(*, invitation: Invitation, user) -> Membership:
    """`user` joins the invitation's municipality in its role; the invitation is used up.

    The link is the proof that the person reads the invited address, so the account must be that
    address's. An account that already has another role there takes the invited one (unless that would
    leave the municipality without a manager)."""
    invitation = _locked(invitation)
    _refuse_closed(invitation)
    if normalize_email(user.email) != invitation.email:
        raise ValidationError(
            gettext("This invitation is for another e-mail address."), code="wrong_account"
        )
    municipality = invitation.municipality
    membership = (
        Membership.objects.select_for_update().filter(user=user, municipality=municipality).first()
    )
    if membership is None:
        membership = Membership(user=user, municipality=municipality)
        previous = None
    else:
        previous = (membership.role, membership.track)
        if loses_last_manager(membership, invitation.role):
            raise ValidationError(
                gettext("You are this municipality's only manager: that role cannot be replaced."),
                code="last_manager",
            )
    membership.role, membership.track = invitation.role, invitation.track
    membership.full_clean(validate_unique=False)
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    user._kehila_memberships = None  # the roles cached on the user object changed
    log_action(
        actor=user,
        action="invitation.accepted",
        obj=invitation,
        data={
            "role": invitation.role,
            "track": invitation.track,
            "previous": list(previous) if previous else None,
        },
    )
    signals.invitation_accepted.send(sender=Invitation, invitation=invitation, user=user)
    return membership


def _free_username(email: str) -> str:
    User = get_user_model()
    base = email[:140]
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def account_exists(email: str) -> bool:
    """For the page the invitee's own link opens: join with the account, or make one."""
    return get_user_model().objects.filter(email__iexact=normalize_email(email)).exists()


@transaction.atomic
def accept_with_new_account(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
):
    """Make the invited address's account (the password through Django's validators) and accept, in one
    transaction: a refused password or a used link leaves no account behind."""
    invitation = _locked(invitation)
    _refuse_closed(invitation)
    if account_exists(invitation.email):
        raise ValidationError(
            gettext("This address already has an account: log in to join."), code="has_account"
        )
    User = get_user_model()
    user = User(
        username=_free_username(invitation.email),
        email=invitation.email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    log_action(actor=user, action="account.created_by_invitation", obj=user, data={})
    accept(invitation=invitation, user=user)
    return user


# --- asking for a new link ----------------------------------------------------------------------------


def request_new_link(*, signed: str, email: str, client: str) -> None:
    """Someone whose link no longer works asks for a new one: the inviter and the municipality's
    managers are told, if the link is one of ours and `email` is the address it was for. Returns
    nothing, so the page answers the same whatever matched; over the limit, nothing is sent."""
    if (
        _count(f"kehila:invite:request:{client}", 3600)
        > settings.KEHILA_INVITATION_REQUESTS_PER_HOUR
    ):
        return
    check = invitation_from_link(signed)
    invitation = check.invitation
    if invitation is None or invitation.accepted_at is not None:
        return
    if normalize_email(email) != invitation.email:
        return
    municipality = invitation.municipality
    recipients = {u.pk: u for u in users_who_can("invite_people", municipality)}
    if invitation.invited_by is not None:
        recipients.setdefault(invitation.invited_by.pk, invitation.invited_by)
    today = timezone.localdate().isoformat()
    language = municipality.default_language or "he"
    with transaction.atomic():
        send_many(
            Outgoing(
                key=f"kehila:invitation-request:{invitation.pk}:{user.pk}:{today}",
                to=user.email,
                subject_template="kehila/invitations/email/request_subject.txt",
                body_template="kehila/invitations/email/request_body.txt",
                context={
                    "invitation": invitation,
                    "municipality_name": municipality_name(municipality, language),
                    "page": settings.SITE_URL
                    + reverse("kehila:people", kwargs={"slug": municipality.slug}),
                },
                language=language,
                municipality=municipality,
            )
            for user in recipients.values()
            if user.is_active and user.email
        )


# --- HQ opens a municipality --------------------------------------------------------------------------


@transaction.atomic
def municipality_open(
    *,
    actor,
    name: str,
    slug: str,
    manager_email: str,
    name_en: str = "",
    name_ar: str = "",
    default_language: str = "he",
    communities: list[str] | None = None,
    start_date: date | None = None,
) -> tuple[Municipality, Invitation]:
    """The municipality, its program, its calendar profile and the manager's invitation, in one
    transaction: a taken slug, a refused calendar or a refused invitation leaves nothing written."""
    require(actor, "open_municipality")
    manager_email = normalize_email(manager_email)
    existing = Municipality.objects.filter(slug=slug).first()
    if existing is not None:
        repeat = (
            Invitation.objects.filter(
                municipality=existing,
                email=manager_email,
                invited_by=actor,
                created_at__gte=timezone.now() - OPEN_DOUBLE_SUBMIT,
            )
            .order_by("pk")
            .first()
        )
        if repeat is not None and existing.name == name.strip():
            return existing, repeat
        raise ValidationError({"slug": gettext("This address name is taken: choose another.")})
    municipality = Municipality(
        name=name.strip(),
        name_en=name_en.strip(),
        name_ar=name_ar.strip(),
        slug=slug,
        default_language=default_language,
    )
    municipality.full_clean()
    try:
        with transaction.atomic():
            municipality.save()
    except IntegrityError:
        # Someone else's form took the slug between the check and the insert.
        raise ValidationError(
            {"slug": gettext("This address name is taken: choose another.")}
        ) from None
    program_ensure(municipality=municipality, start_date=start_date)
    # The calendar's own service validates the mix (at least one community) and records it.
    scheduling.municipality_calendar_set(
        municipality=municipality,
        communities=communities if communities is not None else municipality.calendar_communities,
        work_week=municipality.work_week,
        avoid={
            kind
            for field_name, kind in scheduling.AVOID_FIELDS.items()
            if getattr(municipality, field_name)
        },
        actor=actor,
    )
    log_action(
        actor=actor,
        action="municipality.opened",
        obj=municipality,
        municipality=municipality,
        data={"slug": slug, "manager": manager_email, "language": default_language},
    )
    invitation = invite(
        actor=actor,
        municipality=municipality,
        email=manager_email,
        role=OPENING_ROLE,
        language=default_language,
    )
    return municipality, invitation
