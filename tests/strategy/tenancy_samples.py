"""Sample objects for the URL parameters of the strategy app (see tests/kehila/test_tenancy.py)."""

from strategy.models import AgreementMilestone, BudgetLine
from tests.strategy.factories import a_candidate, a_kickoff_step, draft_agreement


def _version(municipality):
    from strategy.models import AgreementVersion

    existing = AgreementVersion.objects.filter(municipality=municipality).first()
    return existing or draft_agreement(municipality)


def _section(municipality):
    return _version(municipality).sections.first().pk


def _line(municipality):
    version = _version(municipality)
    line = BudgetLine.objects.filter(version=version).first()
    if line is None:
        line = BudgetLine.objects.create(
            municipality=municipality,
            version=version,
            year=version.term_start_year,
            source="municipality",
            description="x",
            amount=1,
        )
    return line.pk


def _milestone(municipality):
    import datetime

    version = _version(municipality)
    return AgreementMilestone.objects.get_or_create(
        municipality=municipality,
        version=version,
        title="השקה",
        defaults={"due_date": datetime.date(2027, 3, 1)},
    )[0].pk


SAMPLES = {
    "version_id": lambda municipality: _version(municipality).pk,
    "section_id": _section,
    "line_id": _line,
    "milestone_id": _milestone,
    "step_id": lambda municipality: a_kickoff_step(municipality).pk,
    "candidate_id": lambda municipality: a_candidate(municipality).pk,
}
