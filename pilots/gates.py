"""The pilot's gates: what an initiative's decision and a grant wait for.

Each function returns the missing items, with the page where each is mended; the services pass them to
kehila.gates.gate_check, which refuses unless the manager or HQ opened the gate for that initiative with a
reason. The pages call the same functions to show what is missing before anyone presses the button.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kehila.gates import Missing, register_gate

from .models import SUPPORTED, Score, ScoringConflict

INITIATIVE_SELECT = register_gate(
    "initiative_select", _("Decide on an initiative (after submissions close, once fully scored)")
)
GRANT_PAY = register_gate(
    "grant_pay", _("Record a grant (for a selected initiative, within the pilot budget)")
)


def counted(scores):
    """Scores that count towards the required number: a member who declared a conflict is not counted,
    even if a score of theirs exists from before (the declaration wins). The consistency checks count a
    whole municipality's scores with the same rule."""
    conflict = ScoringConflict.objects.filter(
        initiative_id=OuterRef("initiative_id"), member_id=OuterRef("member_id")
    )
    return scores.exclude(Exists(conflict))


def counted_scores(initiative):
    return counted(Score.objects.filter(initiative=initiative))


def initiative_select_missing(initiative, now=None) -> list[Missing]:
    hackathon = initiative.hackathon
    slug = initiative.municipality.slug
    missing = []
    if not hackathon.submissions_closed(now):
        missing.append(
            Missing(
                gettext("submissions are open until %(deadline)s")
                % {"deadline": _local(hackathon.submission_deadline)},
                reverse(
                    "pilots:hackathon_edit", kwargs={"slug": slug, "hackathon_id": hackathon.pk}
                ),
            )
        )
    scored = counted_scores(initiative).count()
    if scored < hackathon.required_scorers:
        missing.append(
            Missing(
                gettext("%(scored)s of the %(required)s required scorers have scored it")
                % {"scored": scored, "required": hackathon.required_scorers},
                reverse("pilots:committee", kwargs={"slug": slug, "hackathon_id": hackathon.pk}),
            )
        )
    return missing


def grant_pay_missing(initiative, amount: Decimal, remaining: Decimal) -> list[Missing]:
    slug = initiative.municipality.slug
    missing = []
    if initiative.status not in SUPPORTED:
        missing.append(
            Missing(
                gettext("the initiative is not selected (or its support has ended)"),
                reverse("pilots:initiative", kwargs={"slug": slug, "initiative_id": initiative.pk})
                + "#decision-heading",
            )
        )
    if amount > remaining:
        missing.append(
            Missing(
                gettext("the grant is more than what is left of the pilot budget (%(remaining)s)")
                % {"remaining": remaining},
                reverse("pilots:dashboard", kwargs={"slug": slug}) + "#budget-heading",
            )
        )
    return missing


def _local(moment) -> str:
    from django.utils import formats, timezone

    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
