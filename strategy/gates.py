"""Strategy's gates: what the agreements document and the strategic plan wait for before they
move on. kehila.gates keeps the overrides; what is missing is decided here.

"Budget appendix complete" means: at least one line, and no line of zero shekels (a placeholder). The
model already requires every line's year (within the term), funding source, item and amount, and the
appendix has no stated total to match.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kehila.gates import Missing, gate_check, register_gate

from .models import AgreementVersion, SectionStatus

AGREEMENT_SUBMIT = register_gate(
    "agreement_submit", _("Submitting the agreements document to the mayor's office")
)
PLAN_TO_STEERING = register_gate(
    "plan_to_steering", _("Sending the strategic plan to the steering committee")
)

# The design committee's meeting after which the plan goes to the steering committee (kehila.timeline).
PLAN_AFTER_MILESTONE = "design_5"


def agreement_missing(version: AgreementVersion) -> list[Missing]:
    """Each topic that is neither agreed with a text nor marked not applicable (with its reason), and
    the budget appendix if it is not complete. Two queries."""
    return agreement_missing_in(
        version.sections.order_by("topic"),
        list(version.budget_lines.values_list("amount", flat=True)),
        section_url=lambda section_id: reverse_section(version, section_id),
        # The document's page, where a draft's lines are added and removed (a version's own page is
        # read-only).
        budget_url=reverse("strategy:agreement", kwargs={"slug": version.municipality.slug})
        + "#budget",
    )


def agreement_missing_in(sections, amounts, *, section_url, budget_url) -> list[Missing]:
    """The gate's rule over rows already in hand (strategy.consistency reads them for a whole
    municipality at once): no query."""
    missing = []
    for section in sorted(sections, key=lambda s: s.topic):
        topic = f"{section.topic}. {section.get_topic_display()}"
        written = bool(section.text.strip())
        if section.status == SectionStatus.NOT_APPLICABLE and written:
            continue
        if section.status == SectionStatus.AGREED and written:
            continue
        if not written:
            text = gettext("topic %(topic)s is empty") % {"topic": topic}
        else:
            text = gettext("topic %(topic)s is still a draft") % {"topic": topic}
        missing.append(Missing(text, section_url(section.pk)))
    if not amounts:
        missing.append(Missing(gettext("the budget appendix has no lines"), budget_url))
    elif any(amount <= 0 for amount in amounts):
        missing.append(
            Missing(gettext("the budget appendix has a line of zero shekels"), budget_url)
        )
    return missing


def reverse_section(version: AgreementVersion, section_id: int) -> str:
    return reverse(
        "strategy:section",
        kwargs={"slug": version.municipality.slug, "section_id": section_id},
    )


def agreement_submit_check(version: AgreementVersion):
    return gate_check(gate=AGREEMENT_SUBMIT, obj=version, missing=agreement_missing(version))


def design_meeting_5_held(municipality_id: int) -> bool:
    """The timeline's design_5 step took place: its milestone is marked held, or the committees' meeting
    it is linked to was held (or minuted). One query."""
    from committees.models import Meeting
    from kehila.models import Milestone

    return Milestone.objects.filter(
        Q(status=Milestone.Status.HELD)
        | Q(meeting__status__in=[Meeting.Status.HELD, Meeting.Status.MINUTED]),
        municipality_id=municipality_id,
        key=PLAN_AFTER_MILESTONE,
    ).exists()


def plan_missing(version) -> list[Missing]:
    if design_meeting_5_held(version.municipality_id):
        return []
    url = reverse("kehila:timeline", kwargs={"slug": version.municipality.slug})
    return [Missing(gettext("the design committee's fifth meeting has not been held yet"), url)]


def plan_submit_check(version):
    return gate_check(gate=PLAN_TO_STEERING, obj=version, missing=plan_missing(version))
