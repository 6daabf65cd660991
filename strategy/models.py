"""Kickoff agreements and the strategic plan.

The models live in topic modules (approvals: generic versioning and signatures; agreements; kickoff;
hiring) and are imported here so Django finds them.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehila.models import Municipality

from .agreements import (  # noqa: F401
    Agreement,
    AgreementMilestone,
    AgreementSection,
    AgreementSignature,
    AgreementVersion,
    BudgetLine,
    FundingSource,
    SectionComment,
    SectionStatus,
    Topic,
)
from .approvals import SignatureSide, VersionStatus  # noqa: F401
from .hiring import (  # noqa: F401
    Candidate,
    Competency,
    CompetencyScore,
    HiringDecision,
    Interview,
    PanelSide,
    ScoreSheet,
)
from .kickoff import KickoffStep, KickoffStepKind  # noqa: F401
from .plan import (  # noqa: F401
    Action,
    ActionBudget,
    ActionKind,
    Goal,
    IndicatorReading,
    LogicModel,
    MappingFinding,
    Objective,
    Plan,
    PlanSignature,
    PlanVersion,
    ScopeDecision,
)


class FocusChallenge(models.Model):
    """One of the design committee's five focus challenges: mapping, the plan and the pilot refer to them."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="focus_challenges",
        verbose_name=_("municipality"),
    )
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("focus challenge")
        verbose_name_plural = _("focus challenges")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number"], name="focus_challenge_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"
