"""Sample objects for the URL-map tenancy test (tests/kehila/test_tenancy.py)."""

from live.models import LiveSession
from tests.committees.factories import MeetingFactory
from tests.factories import UserFactory


def live_session(municipality) -> LiveSession:
    meeting = MeetingFactory(committee__municipality=municipality)
    return LiveSession.objects.create(
        municipality=municipality,
        meeting=meeting,
        code=f"T{meeting.pk:05d}"[:12],
        note_taker="רונית",
        opened_by=UserFactory(),
    )


SAMPLES = {
    "session_id": lambda municipality: live_session(municipality).pk,
    "action": lambda municipality: "phase",
}
