"""The open call: residents apply to the design committee, the team accepts or declines."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kehila.audit import log_action
from kehila.mail import send_once
from kehila.permissions import require
from partners.models import Person

from ..models import (
    Application,
    Committee,
    CommitteeMember,
)
from .membership import committee_for_kind, member_add

# --- open call --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationResult:
    application: Application
    updated: bool  # True when an earlier open application from the same address took the answer


@transaction.atomic
def application_submit(
    *,
    municipality,
    full_name: str,
    email: str,
    sector: str,
    motivation: str,
    phone: str = "",
    neighbourhood: str = "",
    is_resident: bool = True,
    language: str = "he",
) -> ApplicationResult:
    """Answer the open call. One address is one person: a second application from it (letter case and
    spaces aside) while the first waits for review updates the first, so the team reviews, accepts and
    e-mails one application. The partial unique index decides between two that arrive together."""
    committee = committee_for_kind(municipality=municipality, kind=Committee.Kind.DESIGN)
    email = email.strip()
    values = {
        "full_name": full_name,
        "phone": phone,
        "neighbourhood": neighbourhood,
        "sector": sector,
        "is_resident": is_resident,
        "motivation": motivation,
        "language": language,
    }
    pending = Application.objects.select_for_update().filter(
        committee=committee, email__iexact=email, status=Application.Status.PENDING
    )
    earlier = pending.first()
    if earlier is None:
        application = Application(
            municipality=municipality, committee=committee, email=email, **values
        )
        application.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            # Another request from the same address won the race: this one updates its row.
            earlier = pending.get()
        else:
            return ApplicationResult(application=application, updated=False)
    for field, value in values.items():
        setattr(earlier, field, value)
    earlier.full_clean(validate_constraints=False)
    earlier.save(update_fields=list(values))
    return ApplicationResult(application=earlier, updated=True)


def _application_mail(application: Application, kind: str) -> None:
    send_once(
        key=f"committees:application:{application.pk}:{kind}",
        to=application.email,
        subject_template=f"committees/email/application_{kind}_subject.txt",
        body_template=f"committees/email/application_{kind}_body.txt",
        context={"application": application, "committee": application.committee},
        language=application.language,
        municipality=application.municipality,
    )


@transaction.atomic
def application_accept(*, application: Application, actor) -> CommitteeMember:
    require(actor, "manage_committees", application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.PENDING:
        raise ValidationError(_("This application was already decided."))
    # The address may already be a person of the municipality (mapped in partners, or accepted to
    # another committee): the applicant is that person, so that nothing reaches the address twice.
    person = (
        Person.objects.filter(
            municipality=application.municipality, email__iexact=application.email.strip()
        )
        .order_by("pk")
        .first()
    )
    if person is None:
        person = Person(
            municipality=application.municipality,
            full_name=application.full_name,
            email=application.email,
            phone=application.phone,
            neighbourhood=application.neighbourhood,
            is_resident=application.is_resident,
            language=application.language,
        )
        person.full_clean()
        person.save()
    member = CommitteeMember.objects.filter(committee=application.committee, person=person).first()
    if member is None:
        member = member_add(
            committee=application.committee,
            person=person,
            sector=application.sector,
            represents_neighbourhood=application.neighbourhood,
            actor=actor,
        )
    application.status = Application.Status.ACCEPTED
    application.person = person
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "person", "decided_at"])
    log_action(actor=actor, action="committees.application_accept", obj=application)
    _application_mail(application, "accepted")
    return member


@transaction.atomic
def application_decline(*, application: Application, actor) -> Application:
    require(actor, "manage_committees", application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.PENDING:
        raise ValidationError(_("This application was already decided."))
    application.status = Application.Status.DECLINED
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at"])
    log_action(actor=actor, action="committees.application_decline", obj=application)
    _application_mail(application, "declined")
    return application
