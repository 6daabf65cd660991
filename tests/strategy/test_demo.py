from strategy import demo
from strategy.models import AgreementVersion, BudgetLine, Candidate, KickoffStep


def test_the_demo_loads_a_signed_agreement_once(municipality, users_by_role):
    program = municipality.program
    demo.load(program, users_by_role)
    counts = (
        AgreementVersion.objects.count(),
        BudgetLine.objects.count(),
        KickoffStep.objects.filter(done=True).count(),
        Candidate.objects.count(),
    )
    demo.load(program, users_by_role)
    assert counts == (1, 5, 3, 2)
    assert (
        AgreementVersion.objects.count(),
        BudgetLine.objects.count(),
        KickoffStep.objects.filter(done=True).count(),
        Candidate.objects.count(),
    ) == counts
    version = AgreementVersion.objects.get()
    # It obeys the submit gate: all eleven topics agreed with a text.
    assert version.sections.exclude(text="").filter(status="agreed").count() == 11
    assert version.status == "in_force"  # the scope decision, and all after it, wait for this
