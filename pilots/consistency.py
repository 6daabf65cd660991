"""The pilot's rules of consistency, registered with kehila.consistency from apps.ready().

Each check reads one municipality with a fixed number of queries. The selection and grant checks skip the
initiatives whose gate (pilots.gates) was opened with a reason: the exception is on record.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kehila.consistency import Contradiction, local_date, overridden_ids, register_check

from .gates import GRANT_PAY, INITIATIVE_SELECT, counted
from .models import (
    REACHED_SELECTED,
    Connection,
    Disbursement,
    Grant,
    Initiative,
    InitiativeStatus,
    Measurement,
    ProgressReport,
    Score,
)

REVIEWED = (InitiativeStatus.CONTINUED, InitiativeStatus.STOPPED)


def _day(moment: datetime) -> str:
    return local_date(timezone.localdate(moment))


def _money(amount: Decimal) -> str:
    return floatformat(amount, "0g")  # as the pilot's pages show money


def _tomorrow(today: date) -> datetime:
    """The first moment after `today` in the municipality's (the site's) time zone."""
    return datetime.combine(
        today + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
    )


def _initiative_url(municipality, initiative_id: int, anchor: str = "") -> str:
    url = reverse(
        "pilots:initiative", kwargs={"slug": municipality.slug, "initiative_id": initiative_id}
    )
    return f"{url}#{anchor}" if anchor else url


def _hackathon_url(municipality, name: str, hackathon_id: int) -> str:
    return reverse(
        f"pilots:{name}", kwargs={"slug": municipality.slug, "hackathon_id": hackathon_id}
    )


# --- scores --------------------------------------------------------------------------------------


def scores_in_their_window(municipality, today):
    """score_record's window, after the fact: from the submission close (every team is judged on the same
    footing) until the decision, and never before the initiative itself."""
    scores = (
        Score.objects.filter(municipality=municipality)
        .filter(
            Q(created_at__lt=F("initiative__submitted_at"))
            | Q(created_at__lt=F("initiative__hackathon__submission_deadline"))
            | Q(initiative__decided_at__isnull=False, created_at__gt=F("initiative__decided_at"))
        )
        .select_related("initiative", "initiative__hackathon")
        .order_by("initiative_id", "pk")
    )
    for score in scores:
        initiative = score.initiative
        deadline = initiative.hackathon.submission_deadline
        if score.created_at < deadline and score.created_at >= initiative.submitted_at:
            text = gettext(
                'A score for "%(initiative)s" was given on %(date)s, before submissions closed on '
                "%(deadline)s"
            ) % {
                "initiative": initiative.title,
                "date": _day(score.created_at),
                "deadline": _day(deadline),
            }
        elif score.created_at < initiative.submitted_at:
            text = gettext(
                'A score for "%(initiative)s" was given on %(date)s, before the initiative was '
                "submitted on %(submitted)s"
            ) % {
                "initiative": initiative.title,
                "date": _day(score.created_at),
                "submitted": _day(initiative.submitted_at),
            }
        else:
            text = gettext(
                'A score for "%(initiative)s" was given on %(date)s, after the initiative was '
                "decided on %(decided)s"
            ) % {
                "initiative": initiative.title,
                "date": _day(score.created_at),
                "decided": _day(initiative.decided_at),
            }
        yield Contradiction(
            "pilots.score_window",
            text,
            _initiative_url(municipality, initiative.pk, "scores-heading"),
        )


# --- submissions and decisions -------------------------------------------------------------------


def submitted_before_the_deadline(municipality, today):
    late = (
        Initiative.objects.filter(
            municipality=municipality, submitted_at__gt=F("hackathon__submission_deadline")
        )
        .select_related("hackathon")
        .order_by("pk")
    )
    for initiative in late:
        yield Contradiction(
            "pilots.submitted_after_deadline",
            gettext(
                '"%(initiative)s" was submitted on %(date)s, after the submission deadline of '
                "%(deadline)s"
            )
            % {
                "initiative": initiative.title,
                "date": _day(initiative.submitted_at),
                "deadline": _day(initiative.hackathon.submission_deadline),
            },
            _initiative_url(municipality, initiative.pk),
        )


def decided_when_ready(municipality, today):
    """The selection gate, after the fact: a decision after submissions closed, with the required
    counted scorers (conflicted members not counted, as the gate counts them)."""
    opened = overridden_ids(municipality, INITIATIVE_SELECT, Initiative)
    scored = dict(
        counted(Score.objects.filter(municipality=municipality))
        .values("initiative_id")
        .annotate(n=Count("pk"))
        .values_list("initiative_id", "n")
    )
    decided = (
        Initiative.objects.filter(municipality=municipality)
        .exclude(status=InitiativeStatus.SUBMITTED)
        .select_related("hackathon")
        .order_by("pk")
    )
    for initiative in decided:
        if str(initiative.pk) in opened:
            continue
        hackathon = initiative.hackathon
        url = _initiative_url(municipality, initiative.pk, "decision-heading")
        names = {"initiative": initiative.title, "status": initiative.get_status_display()}
        if initiative.decided_at is None:
            yield Contradiction(
                "pilots.decided_when_ready",
                gettext(
                    '"%(initiative)s" is recorded as %(status)s without the date of the decision'
                )
                % names,
                url,
            )
        elif initiative.decided_at < hackathon.submission_deadline:
            yield Contradiction(
                "pilots.decided_when_ready",
                gettext(
                    '"%(initiative)s" was decided on %(decided)s, before submissions closed on '
                    "%(deadline)s"
                )
                % {
                    **names,
                    "decided": _day(initiative.decided_at),
                    "deadline": _day(hackathon.submission_deadline),
                },
                url,
            )
        count = scored.get(initiative.pk, 0)
        if count < hackathon.required_scorers:
            yield Contradiction(
                "pilots.decided_when_ready",
                gettext(
                    '"%(initiative)s" was decided with %(scored)s of the %(required)s required '
                    "scorers"
                )
                % {**names, "scored": count, "required": hackathon.required_scorers},
                url,
            )


def reviews_agree_with_status(municipality, today):
    initiatives = (
        Initiative.objects.filter(municipality=municipality)
        .filter(
            Q(status__in=REVIEWED, reviewed_at__isnull=True)
            | Q(
                reviewed_at__isnull=False, decided_at__isnull=False, reviewed_at__lt=F("decided_at")
            )
            | Q(reviewed_at__isnull=False) & ~Q(status__in=REVIEWED)
            | Q(year_two=True) & ~Q(status=InitiativeStatus.CONTINUED)
            | Q(year_two=False, status=InitiativeStatus.CONTINUED)
        )
        .order_by("pk")
    )
    for initiative in initiatives:
        url = _initiative_url(municipality, initiative.pk, "review-heading")
        names = {"initiative": initiative.title, "status": initiative.get_status_display()}
        if initiative.reviewed_at is None:
            if initiative.status in REVIEWED:
                yield Contradiction(
                    "pilots.review_status",
                    gettext(
                        '"%(initiative)s" is recorded as %(status)s without the date of its review'
                    )
                    % names,
                    url,
                )
        elif initiative.status not in REVIEWED:
            yield Contradiction(
                "pilots.review_status",
                gettext('"%(initiative)s" was reviewed on %(reviewed)s but is still %(status)s')
                % {**names, "reviewed": _day(initiative.reviewed_at)},
                url,
            )
        elif initiative.decided_at and initiative.reviewed_at < initiative.decided_at:
            yield Contradiction(
                "pilots.review_status",
                gettext(
                    '"%(initiative)s" was reviewed on %(reviewed)s, before it was decided on '
                    "%(decided)s"
                )
                % {
                    **names,
                    "reviewed": _day(initiative.reviewed_at),
                    "decided": _day(initiative.decided_at),
                },
                url,
            )
        if initiative.year_two and initiative.status != InitiativeStatus.CONTINUED:
            yield Contradiction(
                "pilots.review_status",
                gettext(
                    '"%(initiative)s" is marked as carried into year two, but its status is '
                    "%(status)s"
                )
                % names,
                url,
            )
        elif not initiative.year_two and initiative.status == InitiativeStatus.CONTINUED:
            yield Contradiction(
                "pilots.review_status",
                gettext(
                    '"%(initiative)s" continues into year two but is not marked as carried into it'
                )
                % names,
                url,
            )


# --- money ---------------------------------------------------------------------------------------


def grants_for_selected(municipality, today):
    """The grant gate's first condition, after the fact: money only for an initiative that was selected,
    and not before it was."""
    opened = overridden_ids(municipality, GRANT_PAY, Initiative)
    grants = (
        Grant.objects.filter(municipality=municipality)
        .select_related("initiative")
        .order_by("initiative_id", "created_at", "pk")
    )
    for grant in grants:
        initiative = grant.initiative
        if str(initiative.pk) in opened:
            continue
        url = _initiative_url(municipality, initiative.pk, "grants")
        if initiative.status not in REACHED_SELECTED:
            yield Contradiction(
                "pilots.grant_for_selected",
                gettext(
                    'A grant of %(amount)s ₪ was recorded for "%(initiative)s", which is not '
                    "selected (%(status)s)"
                )
                % {
                    "amount": _money(grant.amount),
                    "initiative": initiative.title,
                    "status": initiative.get_status_display(),
                },
                url,
            )
        elif initiative.decided_at and grant.created_at < initiative.decided_at:
            yield Contradiction(
                "pilots.grant_for_selected",
                gettext(
                    'A grant of %(amount)s ₪ for "%(initiative)s" was recorded on %(date)s, before '
                    "the initiative was selected on %(decided)s"
                )
                % {
                    "amount": _money(grant.amount),
                    "initiative": initiative.title,
                    "date": _day(grant.created_at),
                    "decided": _day(initiative.decided_at),
                },
                url,
            )
    payments = (
        Disbursement.objects.filter(
            municipality=municipality,
            grant__initiative__status__in=REACHED_SELECTED,
            grant__initiative__decided_at__isnull=False,
        )
        .select_related("grant__initiative")
        .order_by("paid_on", "pk")
    )
    for payment in payments:
        initiative = payment.grant.initiative
        if str(initiative.pk) in opened or payment.paid_on >= timezone.localdate(
            initiative.decided_at
        ):
            continue
        yield Contradiction(
            "pilots.grant_for_selected",
            gettext(
                'A payment of %(amount)s ₪ to "%(initiative)s" is dated %(date)s, before the '
                "initiative was selected on %(decided)s"
            )
            % {
                "amount": _money(payment.amount),
                "initiative": initiative.title,
                "date": local_date(payment.paid_on),
                "decided": _day(initiative.decided_at),
            },
            _initiative_url(municipality, initiative.pk, "grants"),
        )


def grants_within_budget(municipality, today):
    """The grant gate's second condition, after the fact: in the order they were recorded, each grant
    fitted into what was left of its hackathon's pilot budget, or its gate was opened."""
    opened = overridden_ids(municipality, GRANT_PAY, Initiative)
    grants = (
        Grant.objects.filter(municipality=municipality)
        .select_related("initiative__hackathon")
        .order_by("initiative__hackathon_id", "created_at", "pk")
    )
    committed: dict[int, Decimal] = {}
    for grant in grants:
        hackathon = grant.initiative.hackathon
        total = committed.get(hackathon.pk, Decimal(0)) + grant.amount
        committed[hackathon.pk] = total
        if total <= hackathon.pilot_budget or str(grant.initiative_id) in opened:
            continue
        yield Contradiction(
            "pilots.grant_within_budget",
            gettext(
                'The grant of %(amount)s ₪ for "%(initiative)s" brings the grants of %(hackathon)s '
                "to %(total)s ₪, beyond its pilot budget of %(budget)s ₪"
            )
            % {
                "amount": _money(grant.amount),
                "initiative": grant.initiative.title,
                "hackathon": hackathon.title,
                "total": _money(total),
                "budget": _money(hackathon.pilot_budget),
            },
            _hackathon_url(municipality, "hackathon_edit", hackathon.pk),
        )


def paid_within_grant(municipality, today):
    grants = (
        Grant.objects.filter(municipality=municipality)
        .annotate(paid=Sum("disbursements__amount"))
        .filter(paid__gt=F("amount"))
        .select_related("initiative")
        .order_by("pk")
    )
    for grant in grants:
        yield Contradiction(
            "pilots.paid_within_grant",
            gettext(
                "Payments of %(paid)s ₪ were made against the grant of %(amount)s ₪ for "
                '"%(initiative)s"'
            )
            % {
                "paid": _money(grant.paid),
                "amount": _money(grant.amount),
                "initiative": grant.initiative.title,
            },
            _initiative_url(municipality, grant.initiative_id, "grants"),
        )


# --- measurement ---------------------------------------------------------------------------------


def measured_on_its_track(municipality, today):
    measurements = (
        Measurement.objects.filter(municipality=municipality)
        .filter(
            ~Q(indicator__track=F("initiative__track"))
            | ~Q(indicator__hackathon_id=F("initiative__hackathon_id"))
        )
        .select_related("initiative", "indicator")
        .order_by("pk")
    )
    for measurement in measurements:
        initiative, indicator = measurement.initiative, measurement.indicator
        if indicator.hackathon_id != initiative.hackathon_id:
            text = gettext(
                '"%(initiative)s" is measured on %(indicator)s, an indicator of another hackathon'
            )
        else:
            text = gettext(
                '"%(initiative)s" is measured on %(indicator)s, an indicator of another track'
            )
        yield Contradiction(
            "pilots.measured_on_its_track",
            text % {"initiative": initiative.title, "indicator": indicator.name},
            _hackathon_url(municipality, "measurement", initiative.hackathon_id),
        )


# --- nothing dated after today -------------------------------------------------------------------


def nothing_in_the_future(municipality, today):
    """What the pilot records as done happened on a day that has come."""
    rule = "pilots.dated_in_future"
    tomorrow = _tomorrow(today)
    for initiative in (
        Initiative.objects.filter(municipality=municipality)
        .filter(Q(decided_at__gte=tomorrow) | Q(reviewed_at__gte=tomorrow))
        .order_by("pk")
    ):
        url = _initiative_url(municipality, initiative.pk, "decision-heading")
        if initiative.decided_at and initiative.decided_at >= tomorrow:
            yield Contradiction(
                rule,
                gettext('"%(initiative)s" was decided on %(date)s, which has not come yet')
                % {"initiative": initiative.title, "date": _day(initiative.decided_at)},
                url,
            )
        if initiative.reviewed_at and initiative.reviewed_at >= tomorrow:
            yield Contradiction(
                rule,
                gettext('"%(initiative)s" was reviewed on %(date)s, which has not come yet')
                % {"initiative": initiative.title, "date": _day(initiative.reviewed_at)},
                _initiative_url(municipality, initiative.pk, "review-heading"),
            )
    for measurement in (
        Measurement.objects.filter(municipality=municipality, recorded_at__gte=tomorrow)
        .select_related("initiative", "indicator")
        .order_by("pk")
    ):
        yield Contradiction(
            rule,
            gettext(
                'The measurement of %(indicator)s for "%(initiative)s" is recorded on %(date)s, '
                "which has not come yet"
            )
            % {
                "indicator": measurement.indicator.name,
                "initiative": measurement.initiative.title,
                "date": _day(measurement.recorded_at),
            },
            _hackathon_url(municipality, "measurement", measurement.initiative.hackathon_id),
        )
    for report in (
        ProgressReport.objects.filter(municipality=municipality, created_at__gte=tomorrow)
        .select_related("initiative")
        .order_by("pk")
    ):
        yield Contradiction(
            rule,
            gettext(
                'A progress report of "%(initiative)s" is dated %(date)s, which has not come yet'
            )
            % {"initiative": report.initiative.title, "date": _day(report.created_at)},
            _initiative_url(municipality, report.initiative_id, "progress-heading"),
        )
    for grant in (
        Grant.objects.filter(municipality=municipality, created_at__gte=tomorrow)
        .select_related("initiative")
        .order_by("pk")
    ):
        yield Contradiction(
            rule,
            gettext(
                'A grant of %(amount)s ₪ for "%(initiative)s" is recorded on %(date)s, which has '
                "not come yet"
            )
            % {
                "amount": _money(grant.amount),
                "initiative": grant.initiative.title,
                "date": _day(grant.created_at),
            },
            _initiative_url(municipality, grant.initiative_id, "grants"),
        )
    for payment in (
        Disbursement.objects.filter(municipality=municipality, paid_on__gt=today)
        .select_related("grant__initiative")
        .order_by("pk")
    ):
        yield Contradiction(
            rule,
            gettext(
                'A payment of %(amount)s ₪ to "%(initiative)s" is dated %(date)s, which has not '
                "come yet"
            )
            % {
                "amount": _money(payment.amount),
                "initiative": payment.grant.initiative.title,
                "date": local_date(payment.paid_on),
            },
            _initiative_url(municipality, payment.grant.initiative_id, "grants"),
        )
    for connection in (
        Connection.objects.filter(municipality=municipality, made_on__gt=today)
        .select_related("initiative")
        .order_by("pk")
    ):
        yield Contradiction(
            rule,
            gettext(
                'The connection of "%(initiative)s" with %(with_whom)s is dated %(date)s, which has '
                "not come yet"
            )
            % {
                "initiative": connection.initiative.title,
                "with_whom": connection.with_whom,
                "date": local_date(connection.made_on),
            },
            _initiative_url(municipality, connection.initiative_id, "support-heading"),
        )


CHECKS = [
    (
        "pilots.score_window",
        _("A score is given after submissions close and before its initiative is decided"),
        scores_in_their_window,
    ),
    (
        "pilots.submitted_after_deadline",
        _("An initiative is submitted by the hackathon's submission deadline"),
        submitted_before_the_deadline,
    ),
    (
        "pilots.decided_when_ready",
        _("An initiative is decided after submissions close, once its required scorers scored it"),
        decided_when_ready,
    ),
    (
        "pilots.review_status",
        _("An initiative's review, its date and its status agree"),
        reviews_agree_with_status,
    ),
    (
        "pilots.grant_for_selected",
        _("Grants and payments go to selected initiatives, from the day they were selected"),
        grants_for_selected,
    ),
    (
        "pilots.grant_within_budget",
        _("A hackathon's grants stay within its pilot budget"),
        grants_within_budget,
    ),
    (
        "pilots.paid_within_grant",
        _("The payments against a grant do not exceed it"),
        paid_within_grant,
    ),
    (
        "pilots.measured_on_its_track",
        _("An initiative is measured on indicators of its own hackathon and track"),
        measured_on_its_track,
    ),
    (
        "pilots.dated_in_future",
        _("What the pilot records as done happened on a day that has come"),
        nothing_in_the_future,
    ),
]

for _rule, _label, _check in CHECKS:
    register_check(_rule, _label, _check)
