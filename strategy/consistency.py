"""Strategy's rules of data that never contradicts itself: the agreements document, the
strategic plan, its objectives, actions and readings, and the approvals and signatures of both documents.

Every check reads one municipality with a fixed number of queries (one per kind of row it needs) and
decides in Python. A version counts as sent once its status is anything but draft: submitting is the only
way out of draft, and a returned or superseded version was sent before it was returned or replaced.
Checks that guard a gate (strategy.gates) skip the versions that gate was opened for.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kehila.consistency import Contradiction, local_date, overridden_ids, register_check

from . import gates
from .models import (
    Action,
    ActionBudget,
    AgreementSection,
    AgreementSignature,
    AgreementVersion,
    BudgetLine,
    IndicatorReading,
    Objective,
    PlanSignature,
    PlanVersion,
    SignatureSide,
    VersionStatus,
)

APPROVED_OR_LATER = (VersionStatus.APPROVED, VersionStatus.IN_FORCE)
# Statuses a signature cannot coexist with: nobody signs what the mayor's office has not approved.
UNAPPROVED = (VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.RETURNED)


def _agreement_url(municipality, version_id: int) -> str:
    return reverse("strategy:version", kwargs={"slug": municipality.slug, "version_id": version_id})


def _plan_version_url(municipality, version_id: int) -> str:
    return reverse(
        "strategy:plan_version",
        kwargs={"slug": municipality.slug, "plan_version_id": version_id},
    )


def _documents(municipality, *, with_signatures: bool = True):
    """Both documents' versions, oldest first, with their signatures by version id: two queries per
    document (one without the signatures). Yields (url of a version, versions, signatures)."""
    for model, signature_model, url in (
        (AgreementVersion, AgreementSignature, _agreement_url),
        (PlanVersion, PlanSignature, _plan_version_url),
    ):
        versions = list(
            model.objects.filter(municipality=municipality)
            .only("id", "number", "status", "submitted_at", "decided_at")
            .order_by("number", "id")
        )
        signatures = defaultdict(list)
        if with_signatures:
            for signature in signature_model.objects.filter(municipality=municipality).only(
                "id", "version_id", "side", "signed_at"
            ):
                signatures[signature.version_id].append(signature)
        yield url, versions, signatures


# --- the gates' conditions, for versions that went past them -----------------------------------------


def _agreement_sent_incomplete(municipality, today: date):
    """No agreements version past draft with a topic not written (nor marked not applicable with a
    reason) or an incomplete budget appendix, unless its submit gate was opened. Four queries."""
    versions = list(
        AgreementVersion.objects.filter(municipality=municipality)
        .exclude(status=VersionStatus.DRAFT)
        .only("id", "number", "status")
        .order_by("number")
    )
    if not versions:
        return
    opened = overridden_ids(municipality, gates.AGREEMENT_SUBMIT, AgreementVersion)
    versions = [v for v in versions if str(v.pk) not in opened]
    ids = [v.pk for v in versions]
    sections = defaultdict(list)
    for section in AgreementSection.objects.filter(version_id__in=ids).only(
        "id", "version_id", "topic", "text", "status"
    ):
        sections[section.version_id].append(section)
    amounts = defaultdict(list)
    for version_id, amount in BudgetLine.objects.filter(version_id__in=ids).values_list(
        "version_id", "amount"
    ):
        amounts[version_id].append(amount)
    for version in versions:
        url = _agreement_url(municipality, version.pk)
        missing = gates.agreement_missing_in(
            sections[version.pk],
            amounts[version.pk],
            section_url=lambda _section_id, url=url: url,
            budget_url=url + "#budget",
        )
        for item in missing:
            yield Contradiction(
                "strategy.agreement_sent_incomplete",
                gettext("%(version)s is “%(status)s”, but %(missing)s")
                % {
                    "version": str(version),
                    "status": version.get_status_display(),
                    "missing": item.text,
                },
                item.url,
            )


def _plan_sent_before_design_5(municipality, today: date):
    """No plan version past draft while the design committee's fifth meeting has not been held (the
    gate's own test, strategy.gates.design_meeting_5_held), unless its gate was opened. Three queries."""
    versions = list(
        PlanVersion.objects.filter(municipality=municipality)
        .exclude(status=VersionStatus.DRAFT)
        .only("id", "number", "status")
        .order_by("number")
    )
    if not versions or gates.design_meeting_5_held(municipality.pk):
        return
    opened = overridden_ids(municipality, gates.PLAN_TO_STEERING, PlanVersion)
    url = reverse("kehila:timeline", kwargs={"slug": municipality.slug})
    for version in versions:
        if str(version.pk) in opened:
            continue
        yield Contradiction(
            "strategy.plan_sent_before_design_5",
            gettext(
                "%(version)s is “%(status)s”, but the design committee's fifth meeting has not "
                "been held yet"
            )
            % {"version": str(version), "status": version.get_status_display()},
            url,
        )


# --- approvals and signatures ------------------------------------------------------------------------


def _signatures_missing(municipality, today: date):
    """A version in force is signed by both sides; an approved one is not yet (the second signature puts
    it in force); nothing unapproved is signed; approved and signed versions were sent and decided.
    Four queries."""
    for url, versions, signatures in _documents(municipality):
        for version in versions:
            sides = {s.side for s in signatures[version.pk]}
            link = url(municipality, version.pk)
            text = None
            if version.status == VersionStatus.IN_FORCE:
                for value, label in SignatureSide.choices:
                    if value not in sides:
                        yield Contradiction(
                            "strategy.signatures_missing",
                            gettext("%(version)s is in force, but has no signature “%(side)s”")
                            % {"version": str(version), "side": label},
                            link,
                        )
            if version.status == VersionStatus.APPROVED and sides == set(SignatureSide.values):
                text = gettext("%(version)s is signed by both sides, but not in force") % {
                    "version": str(version)
                }
            elif version.status in UNAPPROVED and sides:
                text = gettext("%(version)s is signed, but its status is “%(status)s”") % {
                    "version": str(version),
                    "status": version.get_status_display(),
                }
            if text:
                yield Contradiction("strategy.signatures_missing", text, link)
            approved = version.status in APPROVED_OR_LATER or (
                sides and version.status not in UNAPPROVED
            )
            if approved and (version.submitted_at is None or version.decided_at is None):
                yield Contradiction(
                    "strategy.signatures_missing",
                    gettext(
                        "%(version)s is “%(status)s”, but there is no record of when it was sent "
                        "to the mayor's office and approved"
                    )
                    % {"version": str(version), "status": version.get_status_display()},
                    link,
                )


def _out_of_order(municipality, today: date):
    """Sent, then approved, then signed, and all on days that have come. Four queries."""
    for url, versions, signatures in _documents(municipality):
        for version in versions:
            link = url(municipality, version.pk)
            sent, decided = version.submitted_at, version.decided_at
            if sent and decided and decided < sent:
                yield Contradiction(
                    "strategy.workflow_out_of_order",
                    gettext(
                        "%(version)s was decided on %(decided)s, before it was sent on %(sent)s"
                    )
                    % {
                        "version": str(version),
                        "decided": _day(decided),
                        "sent": _day(sent),
                    },
                    link,
                )
            for moment in (sent, decided):
                if moment and timezone.localdate(moment) > today:
                    yield Contradiction(
                        "strategy.workflow_out_of_order",
                        gettext(
                            "%(version)s is recorded as sent or decided on %(date)s, which has not come yet"
                        )
                        % {"version": str(version), "date": _day(moment)},
                        link,
                    )
                    break
            for signature in sorted(signatures[version.pk], key=lambda s: s.signed_at):
                values = {
                    "version": str(version),
                    "side": signature.get_side_display(),
                    "signed": _day(signature.signed_at),
                }
                if sent and signature.signed_at < sent:
                    text = gettext(
                        "%(version)s was signed (%(side)s) on %(signed)s, before it was sent on "
                        "%(sent)s"
                    ) % {**values, "sent": _day(sent)}
                elif decided and signature.signed_at < decided:
                    text = gettext(
                        "%(version)s was signed (%(side)s) on %(signed)s, before it was approved "
                        "on %(decided)s"
                    ) % {**values, "decided": _day(decided)}
                elif timezone.localdate(signature.signed_at) > today:
                    text = (
                        gettext(
                            "%(version)s is recorded as signed (%(side)s) on %(signed)s, which has not "
                            "come yet"
                        )
                        % values
                    )
                else:
                    continue
                yield Contradiction("strategy.workflow_out_of_order", text, link)


def _two_in_force(municipality, today: date):
    """One version of a document is in force at a time: signing the next supersedes the last. Four
    queries."""
    for url, versions, _signatures in _documents(municipality, with_signatures=False):
        in_force = [v for v in versions if v.status == VersionStatus.IN_FORCE]
        for version in in_force[:-1]:
            yield Contradiction(
                "strategy.two_in_force",
                gettext("%(version)s is still in force, though %(newer)s is in force too")
                % {"version": str(version), "newer": str(in_force[-1])},
                url(municipality, version.pk),
            )


def _day(moment) -> str:
    return local_date(timezone.localdate(moment))


# --- the plan's parts --------------------------------------------------------------------------------


def _readings_in_future(municipality, today: date):
    """An indicator is read on a day that has come. One query."""
    url = reverse("strategy:plan", kwargs={"slug": municipality.slug}) + "#progress"
    for reading in (
        IndicatorReading.objects.filter(municipality=municipality, measured_on__gt=today)
        .select_related("objective")
        .order_by("measured_on", "id")
    ):
        yield Contradiction(
            "strategy.reading_in_future",
            gettext("The reading of “%(objective)s” is dated %(date)s, which has not come yet")
            % {"objective": reading.objective.title, "date": local_date(reading.measured_on)},
            url,
        )


def _objective_dates(municipality, today: date):
    """An objective's target comes after its baseline. One query."""
    for objective in Objective.objects.filter(municipality=municipality).order_by("id"):
        if objective.target_date < objective.baseline_date:
            yield Contradiction(
                "strategy.objective_dates",
                gettext(
                    "Objective “%(title)s” has its target on %(target)s, before its baseline on "
                    "%(baseline)s"
                )
                % {
                    "title": objective.title,
                    "target": local_date(objective.target_date),
                    "baseline": local_date(objective.baseline_date),
                },
                reverse(
                    "strategy:objective_edit",
                    kwargs={"slug": municipality.slug, "objective_id": objective.pk},
                ),
            )


def _action_dates(municipality, today: date):
    """An action ends after it starts, and its budget is spent in the years it runs. Two queries."""
    actions = {
        a.pk: a
        for a in Action.objects.filter(municipality=municipality)
        .only("id", "title", "start", "end")
        .order_by("id")
    }
    for action in actions.values():
        if action.end < action.start:
            yield Contradiction(
                "strategy.action_dates",
                gettext("Action “%(title)s” ends on %(end)s, before it starts on %(start)s")
                % {
                    "title": action.title,
                    "end": local_date(action.end),
                    "start": local_date(action.start),
                },
                _action_url(municipality, action.pk),
            )
    for line in ActionBudget.objects.filter(municipality=municipality).only(
        "id", "action_id", "year"
    ):
        action = actions.get(line.action_id)
        if (
            action
            and action.end >= action.start
            and not (action.start.year <= line.year <= action.end.year)
        ):
            yield Contradiction(
                "strategy.action_dates",
                gettext(
                    "Action “%(title)s” runs %(start)s–%(end)s, but has a budget line for %(year)s"
                )
                % {
                    "title": action.title,
                    "start": action.start.year,
                    "end": action.end.year,
                    "year": line.year,
                },
                reverse(
                    "strategy:action_budget",
                    kwargs={"slug": municipality.slug, "action_id": action.pk},
                ),
            )


def _action_url(municipality, action_id: int) -> str:
    return reverse(
        "strategy:action_edit", kwargs={"slug": municipality.slug, "action_id": action_id}
    )


def _agreement_budget_years(municipality, today: date):
    """An agreements version's term ends after it starts, and its budget lines fall within it. Two
    queries."""
    versions = {
        v.pk: v
        for v in AgreementVersion.objects.filter(municipality=municipality)
        .only("id", "number", "term_start_year", "term_end_year")
        .order_by("number")
    }
    for version in versions.values():
        if version.term_end_year < version.term_start_year:
            yield Contradiction(
                "strategy.agreement_budget_years",
                gettext("%(version)s has a term ending in %(end)s, before it starts in %(start)s")
                % {
                    "version": str(version),
                    "end": version.term_end_year,
                    "start": version.term_start_year,
                },
                _agreement_url(municipality, version.pk),
            )
    years = defaultdict(set)
    for version_id, year in BudgetLine.objects.filter(municipality=municipality).values_list(
        "version_id", "year"
    ):
        years[version_id].add(year)
    for version_id, found in years.items():
        version = versions.get(version_id)
        if version is None or version.term_end_year < version.term_start_year:
            continue
        outside = sorted(y for y in found if y not in version.term_years)
        if outside:
            yield Contradiction(
                "strategy.agreement_budget_years",
                gettext(
                    "%(version)s has budget lines for %(years)s, outside its term %(start)s–%(end)s"
                )
                % {
                    "version": str(version),
                    "years": ", ".join(str(y) for y in outside),
                    "start": version.term_start_year,
                    "end": version.term_end_year,
                },
                _agreement_url(municipality, version.pk) + "#budget",
            )


register_check(
    "strategy.agreement_sent_incomplete",
    _(
        "An agreements version goes to the mayor's office only with all eleven topics written and "
        "a complete budget appendix"
    ),
    _agreement_sent_incomplete,
)
register_check(
    "strategy.plan_sent_before_design_5",
    _(
        "A plan version goes to the steering committee only after the design committee's fifth "
        "meeting"
    ),
    _plan_sent_before_design_5,
)
register_check(
    "strategy.signatures_missing",
    _(
        "A version in force is approved and signed by both sides, and only an approved one is signed"
    ),
    _signatures_missing,
)
register_check(
    "strategy.workflow_out_of_order",
    _("A version is sent, then approved, then signed, each on a day that has come"),
    _out_of_order,
)
register_check(
    "strategy.two_in_force",
    _("One version of a document is in force at a time"),
    _two_in_force,
)
register_check(
    "strategy.reading_in_future",
    _("An indicator is read only on a day that has come"),
    _readings_in_future,
)
register_check(
    "strategy.objective_dates",
    _("An objective's target date comes after its baseline date"),
    _objective_dates,
)
register_check(
    "strategy.action_dates",
    _("An action ends after it starts, and its budget falls in the years it runs"),
    _action_dates,
)
register_check(
    "strategy.agreement_budget_years",
    _("An agreement's budget lines fall within its term"),
    _agreement_budget_years,
)
