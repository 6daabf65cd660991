"""The strategy app's models, one module a topic; every model is imported here, so Django finds them and
`from strategy.models import X` is the one way to import any of them.

- approvals: the generic statuses, sides and abstract version and signature of an approvable document
- agreements: the agreements document, its versions, sections, budget, milestones and signatures
- kickoff: the kickoff checklist
- hiring: candidates, interviews, score sheets and the hiring decision
- mapping: the focus challenges and the mapping's findings
- plan: the scope decision, the strategic plan's parts, logic models and versions
"""

from .agreements import (
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
from .approvals import ApprovableVersion, SignatureSide, VersionSignature, VersionStatus
from .hiring import (
    Candidate,
    Competency,
    CompetencyScore,
    HiringDecision,
    Interview,
    PanelSide,
    ScoreSheet,
)
from .kickoff import KickoffStep, KickoffStepKind
from .mapping import FocusChallenge, MappingFinding
from .plan import (
    Action,
    ActionBudget,
    ActionKind,
    Goal,
    IndicatorReading,
    LogicModel,
    Objective,
    Plan,
    PlanSignature,
    PlanVersion,
    ScopeDecision,
)

__all__ = [
    "Action",
    "ActionBudget",
    "ActionKind",
    "Agreement",
    "AgreementMilestone",
    "AgreementSection",
    "AgreementSignature",
    "AgreementVersion",
    "ApprovableVersion",
    "BudgetLine",
    "Candidate",
    "Competency",
    "CompetencyScore",
    "FocusChallenge",
    "FundingSource",
    "Goal",
    "HiringDecision",
    "IndicatorReading",
    "Interview",
    "KickoffStep",
    "KickoffStepKind",
    "LogicModel",
    "MappingFinding",
    "Objective",
    "PanelSide",
    "Plan",
    "PlanSignature",
    "PlanVersion",
    "ScopeDecision",
    "ScoreSheet",
    "SectionComment",
    "SectionStatus",
    "SignatureSide",
    "Topic",
    "VersionSignature",
    "VersionStatus",
]
