from strategy import demo
from strategy.models import Action, ActionBudget, FocusChallenge, IndicatorReading, PlanVersion


def counts():
    return (
        FocusChallenge.objects.count(),
        Action.objects.count(),
        ActionBudget.objects.count(),
        IndicatorReading.objects.count(),
        PlanVersion.objects.count(),
    )


def test_the_demo_plan_loads_once_and_is_published(municipality, users_by_role, client):
    demo.load(municipality.program, users_by_role)
    first = counts()
    demo.load(municipality.program, users_by_role)
    assert counts() == first == (5, 3, 6, 4, 1)
    assert PlanVersion.objects.get().status == "in_force"
    page = client.get(f"/public/strategy/{municipality.slug}/plan/").content.decode()
    assert "מועדון שכונתי לוותיקים" in page
