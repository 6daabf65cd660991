from kehila.models import Program
from pilots import demo
from pilots.models import Grant, Hackathon, Initiative, InitiativeStatus, Score


def test_the_demo_adds_a_hebrew_hackathon_once(municipality, users_by_role):
    program = Program.objects.get(municipality=municipality)
    demo.load(program, users_by_role)
    counts = (
        Hackathon.objects.count(),
        Initiative.objects.count(),
        Score.objects.count(),
        Grant.objects.count(),
    )
    demo.load(program, users_by_role)
    assert counts == (
        Hackathon.objects.count(),
        Initiative.objects.count(),
        Score.objects.count(),
        Grant.objects.count(),
    )
    assert counts[0] == 1 and counts[1] == 4
    assert Initiative.objects.filter(status=InitiativeStatus.ACTIVE).get().grants.exists()
    assert "גינה" in Initiative.objects.order_by("id").first().title


def test_the_demo_pages_render(client_for, municipality, users_by_role):
    demo.load(Program.objects.get(municipality=municipality), users_by_role)
    client = client_for(users_by_role["manager"])
    hackathon = Hackathon.objects.get()
    assert "שכנים ירוקים" not in client.get(f"/m/{municipality.slug}/pilot/").content.decode()
    page = client.get(f"/m/{municipality.slug}/pilot/hackathons/{hackathon.pk}/").content.decode()
    assert "גינה קהילתית בין הבניינים" in page


def test_every_decision_in_the_demo_passes_the_selection_gate(municipality, users_by_role):
    from pilots.gates import counted_scores

    demo.load(Program.objects.get(municipality=municipality), users_by_role)
    decided = Initiative.objects.exclude(status=InitiativeStatus.SUBMITTED).select_related(
        "hackathon"
    )
    assert decided.exists()
    for initiative in decided:
        assert counted_scores(initiative).count() >= initiative.hackathon.required_scorers
