"""A member's own page: their committees, invitations, action items and minutes (public_views shows
it by its secret link too)."""

from django.shortcuts import render
from django.urls import reverse

from kehila.tenancy import municipality_view

from .. import links, selectors, services
from ..forms import CorrectionForm


@municipality_view("view_committees")
def my_page(request):
    person = (
        selectors.member_person()
        .filter(municipality=request.municipality, user=request.user)
        .order_by("pk")
        .first()
    )
    return render(request, "committees/member_page.html", _member_context(person, public=False))


def _member_context(person, *, public: bool):
    """`person` comes from selectors.member_person(), which brings the feed token along."""
    if person is None:
        return {"person": None, "public": public}
    # Most members have their feed already: read its token with the person, create it only when missing
    # (the service's transaction would cost two more round trips on every view).
    token = person.feed_token or services.member_calendar_for(person=person).token
    return {
        "person": person,
        "public": public,
        "memberships": list(selectors.member_committees(person)),
        "invitations": _with_rsvp_paths(list(selectors.member_upcoming(person))),
        "action_items": list(selectors.member_action_items(person)),
        "published_minutes": list(selectors.member_published_minutes(person)),
        "challenges": list(selectors.member_challenges(person)),
        "to_correct": list(selectors.member_minutes_for_correction(person)),
        "correction_form": CorrectionForm(),
        "feed_path": reverse("committees_public:member_feed", kwargs={"token": token}),
    }


def _with_rsvp_paths(invitations):
    for invitation in invitations:
        invitation.rsvp_path = links.rsvp_url(invitation, absolute=False)
    return invitations
