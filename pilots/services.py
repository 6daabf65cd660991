"""Every write of the pilot goes through here: validated, audited where it matters, e-mails after commit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from kehila.audit import log_action
from kehila.gates import gate_check
from kehila.mail import send_once
from kehila.models import Membership, Program
from kehila.permissions import require

from . import gates, links
from .models import (
    REACHED_SELECTED,
    SUPPORTED,
    CommitteeSeat,
    Connection,
    Criterion,
    Disbursement,
    Grant,
    Hackathon,
    Indicator,
    Initiative,
    InitiativeStatus,
    Measurement,
    Participant,
    ProgressReport,
    Score,
    ScoringConflict,
)

HACKATHON_FIELDS = (
    "title",
    "year",
    "date",
    "place",
    "vision",
    "registration_opens_at",
    "registration_closes_at",
    "submission_deadline",
    "pilot_budget",
    "required_scorers",
)
INITIATIVE_PUBLIC_FIELDS = (
    "title",
    "team_name",
    "team_members",
    "contact_name",
    "contact_email",
    "contact_phone",
    "description",
    "focus_challenge",
    "track",
    "neighbourhood",
    "needs_connections",
    "needs_mentoring",
    "needs_money",
    "money_amount",
)


def _apply(obj, data: dict, fields) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


# --- the hackathon -------------------------------------------------------------------------------


@transaction.atomic
def hackathon_create(*, actor, program: Program, data: dict) -> Hackathon:
    require(actor, "manage_pilot", program)
    hackathon = Hackathon(municipality=program.municipality, program=program)
    _apply(hackathon, data, HACKATHON_FIELDS)
    hackathon.full_clean()
    hackathon.save()
    log_action(actor=actor, action="pilots.hackathon_create", obj=hackathon)
    return hackathon


@transaction.atomic
def hackathon_update(*, actor, hackathon: Hackathon, data: dict) -> Hackathon:
    require(actor, "manage_pilot", hackathon)
    _apply(hackathon, data, HACKATHON_FIELDS)
    hackathon.full_clean()
    hackathon.save()
    return hackathon


@transaction.atomic
def participant_register(*, hackathon: Hackathon, data: dict, now=None) -> tuple[Participant, bool]:
    """Register for the hackathon. A second registration with the same e-mail changes nothing."""
    if not hackathon.registration_is_open(now):
        raise ValidationError(_("Registration for this hackathon is closed."))
    existing = Participant.objects.filter(hackathon=hackathon, email__iexact=data["email"]).first()
    if existing:
        return existing, False
    participant = Participant(municipality=hackathon.municipality, hackathon=hackathon)
    _apply(
        participant, data, ("full_name", "email", "phone", "neighbourhood", "team_name", "language")
    )
    participant.full_clean()
    participant.save()
    _send_registration(participant.pk)  # in the outbox, with the registration
    return participant, True


def _send_registration(participant_id: int) -> None:
    participant = Participant.objects.select_related("hackathon").get(pk=participant_id)
    send_once(
        key=f"pilots:registration:{participant.pk}",
        to=participant.email,
        subject_template="pilots/email/registration_subject.txt",
        body_template="pilots/email/registration_body.txt",
        context={"participant": participant, "hackathon": participant.hackathon},
        language=participant.language,
        municipality=participant.municipality,
    )


# --- submissions ---------------------------------------------------------------------------------


def refuse_after_deadline(hackathon: Hackathon, now=None) -> None:
    if not hackathon.submissions_are_open(now):
        raise ValidationError(
            _(
                "The submission deadline has passed: initiatives can no longer be submitted or changed."
            )
        )


@transaction.atomic
def initiative_submit(
    *, hackathon: Hackathon, data: dict, language: str = "he", now=None
) -> tuple[Initiative, bool]:
    """Submit an initiative; the same title from the same e-mail again (a double click) returns the first."""
    refuse_after_deadline(hackathon, now)
    existing = Initiative.objects.filter(
        hackathon=hackathon, contact_email__iexact=data["contact_email"], title=data["title"]
    ).first()
    if existing:
        return existing, False
    initiative = Initiative(
        municipality=hackathon.municipality, hackathon=hackathon, language=language
    )
    _apply(initiative, data, INITIATIVE_PUBLIC_FIELDS)
    if not initiative.needs_money:
        initiative.money_amount = None
    initiative.full_clean()
    try:
        with transaction.atomic():
            initiative.save()
    except IntegrityError:
        return Initiative.objects.get(
            hackathon=hackathon, contact_email=data["contact_email"], title=data["title"]
        ), False
    _send_confirmation(initiative.pk)  # in the outbox, with the initiative
    return initiative, True


def _send_confirmation(initiative_id: int) -> None:
    initiative = Initiative.objects.select_related("hackathon").get(pk=initiative_id)
    send_once(
        key=f"pilots:initiative-confirmation:{initiative.pk}",
        to=initiative.contact_email,
        subject_template="pilots/email/confirmation_subject.txt",
        body_template="pilots/email/confirmation_body.txt",
        context={
            "initiative": initiative,
            "hackathon": initiative.hackathon,
            "link": links.initiative_url(initiative),
        },
        language=initiative.language,
        municipality=initiative.municipality,
    )


@transaction.atomic
def initiative_update_by_lead(*, initiative: Initiative, data: dict, now=None) -> Initiative:
    """The lead edits through the personal link, until the submission deadline only."""
    initiative = (
        Initiative.objects.select_for_update().select_related("hackathon").get(pk=initiative.pk)
    )
    refuse_after_deadline(initiative.hackathon, now)
    _apply(initiative, data, INITIATIVE_PUBLIC_FIELDS)
    if not initiative.needs_money:
        initiative.money_amount = None
    initiative.full_clean()
    initiative.save()
    return initiative


# --- selection -----------------------------------------------------------------------------------


@transaction.atomic
def committee_seat_add(*, actor, hackathon: Hackathon, user) -> CommitteeSeat:
    require(actor, "manage_pilot", hackathon)
    if not Membership.objects.filter(user=user, municipality=hackathon.municipality).exists():
        raise ValidationError(
            _("Only users of this municipality can sit on its selection committee.")
        )
    seat, created = CommitteeSeat.objects.get_or_create(
        hackathon=hackathon, user=user, defaults={"municipality": hackathon.municipality}
    )
    if created:
        log_action(
            actor=actor, action="pilots.committee_seat_add", obj=hackathon, data={"user": user.pk}
        )
    return seat


@transaction.atomic
def committee_seat_remove(*, actor, seat: CommitteeSeat) -> None:
    require(actor, "manage_pilot", seat)
    log_action(
        actor=actor,
        action="pilots.committee_seat_remove",
        obj=seat.hackathon,
        data={"user": seat.user_id},
    )
    seat.delete()


@transaction.atomic
def score_record(*, initiative: Initiative, member, values: dict, comment: str = "") -> Score:
    """One score per member and initiative, each criterion on the 1–5 scale; a second score is refused."""
    require(member, "score_initiatives", initiative)
    if initiative.status != InitiativeStatus.SUBMITTED:
        raise ValidationError(_("A decision was already made about this initiative."))
    hackathon = initiative.hackathon
    if not hackathon.submissions_closed():
        # Every team is judged on the same footing: nobody scores what others may still outdo.
        raise ValidationError(
            _("Scoring opens when submissions close, on %(deadline)s.")
            % {"deadline": date_format(localtime(hackathon.submission_deadline), "DATETIME_FORMAT")}
        )
    if ScoringConflict.objects.filter(initiative=initiative, member=member).exists():
        raise ValidationError(
            _("You declared a conflict of interest with this initiative: you do not score it.")
        )
    if Score.objects.filter(initiative=initiative, member=member).exists():
        raise ValidationError(
            _("You have already scored this initiative; a score cannot be given twice.")
        )
    score = Score(
        municipality=initiative.municipality, initiative=initiative, member=member, comment=comment
    )
    for criterion in Criterion.values:
        setattr(score, criterion, values.get(criterion))
    score.full_clean(exclude=["total"])
    score.total = score.compute_total()
    try:
        with transaction.atomic():
            score.save()
    except IntegrityError as error:
        raise ValidationError(
            _("You have already scored this initiative; a score cannot be given twice.")
        ) from error
    return score


@transaction.atomic
def conflict_declare(*, member, initiative: Initiative, reason: str = "") -> ScoringConflict:
    """A committee member steps aside from one initiative, before scoring it. Declared twice, it is one
    declaration. After a score it is refused: the score was given, and the manager decides what follows."""
    require(member, "score_initiatives", initiative)
    if initiative.status != InitiativeStatus.SUBMITTED:
        raise ValidationError(_("A decision was already made about this initiative."))
    existing = ScoringConflict.objects.filter(initiative=initiative, member=member).first()
    if existing:
        return existing
    if Score.objects.filter(initiative=initiative, member=member).exists():
        raise ValidationError(
            _(
                "You have already scored this initiative: tell the program manager about the conflict."
            )
        )
    conflict = ScoringConflict(
        municipality=initiative.municipality,
        initiative=initiative,
        member=member,
        reason=reason.strip(),
    )
    conflict.full_clean()
    conflict.save()
    log_action(
        actor=member,
        action="pilots.conflict_declare",
        obj=initiative,
        data={"reason": conflict.reason},
    )
    return conflict


@transaction.atomic
def initiative_decide(
    *, actor, initiative: Initiative, selected: bool, reason: str, now=None
) -> Initiative:
    """Select or not, through the selection gate: after submissions close and once the hackathon's
    required number of scorers (conflicted members not counted) scored it, unless the gate was opened."""
    require(actor, "manage_pilot", initiative)
    initiative = (
        Initiative.objects.select_for_update()
        .select_related("hackathon", "municipality")
        .get(pk=initiative.pk)
    )
    if initiative.status != InitiativeStatus.SUBMITTED:
        raise ValidationError(_("A decision was already made about this initiative."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    opened = gate_check(
        gate=gates.INITIATIVE_SELECT,
        obj=initiative,
        missing=gates.initiative_select_missing(initiative, now),
    )
    initiative.status = InitiativeStatus.SELECTED if selected else InitiativeStatus.NOT_SELECTED
    initiative.decision_reason = reason.strip()
    initiative.decided_at = timezone.now()
    initiative.decided_by = actor
    initiative.full_clean()
    initiative.save()
    log_action(
        actor=actor,
        action="pilots.initiative_decide",
        obj=initiative,
        data={
            "status": initiative.status,
            "reason": initiative.decision_reason,
            "gate_override": opened.pk if opened else None,
        },
    )
    _send_decision(initiative.pk)  # in the outbox, with the decision
    return initiative


def _send_decision(initiative_id: int) -> None:
    initiative = Initiative.objects.select_related("hackathon").get(pk=initiative_id)
    send_once(
        key=f"pilots:decision:{initiative.pk}",
        to=initiative.contact_email,
        subject_template="pilots/email/decision_subject.txt",
        body_template="pilots/email/decision_body.txt",
        context={
            "initiative": initiative,
            "selected": initiative.was_selected,
            "link": links.initiative_url(initiative),
        },
        language=initiative.language,
        municipality=initiative.municipality,
    )


# --- support -------------------------------------------------------------------------------------


def _require_supported(initiative: Initiative) -> None:
    if initiative.status not in SUPPORTED:
        raise ValidationError(
            _("Only selected initiatives that are still supported receive support.")
        )


def _activate(initiative: Initiative) -> None:
    """Support has begun: a selected initiative becomes active (the funnel's third step)."""
    if initiative.status == InitiativeStatus.SELECTED:
        initiative.status = InitiativeStatus.ACTIVE
        initiative.save(update_fields=["status", "updated_at"])


@transaction.atomic
def initiative_set_mentor(*, actor, initiative: Initiative, mentor: str) -> Initiative:
    require(actor, "manage_pilot", initiative)
    _require_supported(initiative)
    initiative.mentor = mentor.strip()
    initiative.full_clean()
    initiative.save(update_fields=["mentor", "updated_at"])
    if initiative.mentor:
        _activate(initiative)
    return initiative


@transaction.atomic
def connection_add(
    *, actor, initiative: Initiative, with_whom: str, note: str = "", made_on: date | None = None
) -> Connection:
    require(actor, "manage_pilot", initiative)
    _require_supported(initiative)
    connection = Connection(
        municipality=initiative.municipality,
        initiative=initiative,
        with_whom=with_whom,
        note=note,
        made_on=made_on or timezone.localdate(),
    )
    connection.full_clean()
    connection.save()
    _activate(initiative)
    return connection


def budget_committed(hackathon: Hackathon) -> Decimal:
    return Grant.objects.filter(initiative__hackathon=hackathon).aggregate(s=Sum("amount"))[
        "s"
    ] or Decimal(0)


@transaction.atomic
def grant_record(*, actor, initiative: Initiative, amount: Decimal, note: str = "") -> Grant:
    """Commit money to an initiative, through the grant gate: only a selected initiative still supported,
    and only within what is left of the pilot budget, unless the manager or HQ opened the gate for this
    initiative with a written reason (kehila.gates); such a grant is marked over budget.

    The hackathon row is locked so that two grants recorded at once cannot both fit into the same remainder."""
    require(actor, "manage_pilot", initiative)
    hackathon = Hackathon.objects.select_for_update().get(pk=initiative.hackathon_id)
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    remaining = hackathon.pilot_budget - budget_committed(hackathon)
    opened = gate_check(
        gate=gates.GRANT_PAY,
        obj=initiative,
        missing=gates.grant_pay_missing(initiative, amount, remaining),
    )
    over = amount > remaining
    grant = Grant(
        municipality=initiative.municipality,
        initiative=initiative,
        amount=amount,
        note=note,
        over_budget=over,
        created_by=actor,
    )
    grant.full_clean()
    grant.save()
    log_action(
        actor=actor,
        action="pilots.grant_over_budget" if over else "pilots.grant_record",
        obj=grant,
        data={
            "amount": str(amount),
            "remaining_before": str(remaining),
            "gate_override": opened.pk if opened else None,
        },
    )
    _activate(initiative)
    return grant


@transaction.atomic
def disbursement_record(
    *, actor, grant: Grant, amount: Decimal, paid_on: date | None = None, note: str = ""
) -> Disbursement:
    require(actor, "manage_pilot", grant)
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    paid = grant.disbursements.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    if paid + amount > grant.amount:
        raise ValidationError(
            {
                "amount": _("Payments cannot exceed the grant: %(left)s is left to pay.")
                % {"left": grant.amount - paid}
            }
        )
    disbursement = Disbursement(
        municipality=grant.municipality,
        grant=grant,
        amount=amount,
        paid_on=paid_on or timezone.localdate(),
        note=note,
    )
    disbursement.full_clean()
    disbursement.save()
    log_action(
        actor=actor,
        action="pilots.disbursement_record",
        obj=disbursement,
        data={"amount": str(amount)},
    )
    return disbursement


# --- progress and reviews ------------------------------------------------------------------------


@transaction.atomic
def progress_report(*, initiative: Initiative, text: str) -> ProgressReport:
    """The lead reports through the personal link, once the initiative was selected."""
    if not initiative.reports_progress:
        raise ValidationError(_("Progress can be reported once the initiative has been selected."))
    report = ProgressReport(municipality=initiative.municipality, initiative=initiative, text=text)
    report.full_clean()
    report.save()
    _activate(initiative)
    return report


@transaction.atomic
def indicator_add(
    *, actor, hackathon: Hackathon, track: str, name: str, unit: str = ""
) -> Indicator:
    require(actor, "manage_pilot", hackathon)
    indicator = Indicator(
        municipality=hackathon.municipality, hackathon=hackathon, track=track, name=name, unit=unit
    )
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def measurement_record(
    *, actor, initiative: Initiative, indicator: Indicator, value: Decimal, learning: str = ""
) -> Measurement:
    require(actor, "manage_pilot", initiative)
    if initiative.status not in REACHED_SELECTED:
        raise ValidationError(_("Only selected initiatives are measured."))
    measurement = Measurement.objects.filter(initiative=initiative, indicator=indicator).first()
    if measurement is None:
        measurement = Measurement(
            municipality=initiative.municipality, initiative=initiative, indicator=indicator
        )
    measurement.value = value
    measurement.learning = learning
    measurement.full_clean()
    measurement.save()
    return measurement


@transaction.atomic
def initiative_review(
    *, actor, initiative: Initiative, keep_going: bool, reason: str, objectives: str = ""
) -> Initiative:
    """The nine-month review: continue into year two, or stop, with the reason on record."""
    require(actor, "manage_pilot", initiative)
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if initiative.status not in SUPPORTED:
        raise ValidationError(_("Only supported initiatives are reviewed, and only once."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    initiative.status = InitiativeStatus.CONTINUED if keep_going else InitiativeStatus.STOPPED
    initiative.year_two = keep_going
    initiative.review_reason = reason.strip()
    initiative.review_objectives = objectives.strip()
    initiative.reviewed_at = timezone.now()
    initiative.full_clean()
    initiative.save()
    log_action(
        actor=actor,
        action="pilots.initiative_review",
        obj=initiative,
        data={"status": initiative.status, "reason": initiative.review_reason},
    )
    return initiative
