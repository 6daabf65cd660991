"""Factories of the strategy app. Agreements are built through the services, as users would."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from kehila.models import Role
from strategy import services
from strategy.models import AgreementSection, Candidate, KickoffStep, SectionStatus, Topic
from tests.factories import member


def an_editor(municipality):
    User = get_user_model()
    existing = User.objects.filter(
        memberships__municipality=municipality, memberships__role=Role.MANAGER
    ).first()
    return existing or member(municipality, Role.MANAGER)


def draft_agreement(municipality, *, user=None, with_content=True):
    """The document with its first draft; with content, all eleven topics are agreed with a text and
    the budget appendix has two lines, so that it may be submitted (strategy.gates)."""
    user = user or an_editor(municipality)
    agreement = services.agreement_start(municipality=municipality, user=user, start_year=2027)
    version = agreement.versions.get(number=1)
    if with_content:
        goals = version.sections.get(topic=Topic.GOALS)
        services.section_update(
            section=goals,
            user=user,
            text="מטרת השותפות: **קהילה מיטיבה**.",
            owner=user,
            status=SectionStatus.AGREED,
        )
        for section in version.sections.exclude(topic=Topic.GOALS):
            services.section_update(
                section=section,
                user=user,
                text=f"נוסח מוסכם לנושא {section.topic}.",
                owner=user,
                status=SectionStatus.AGREED,
            )
        services.budget_line_add(
            version=version,
            user=user,
            year=2027,
            source="municipality",
            description="רכזת",
            amount=Decimal("120000"),
        )
        services.budget_line_add(
            version=version,
            user=user,
            year=2028,
            source="program",
            description="ליווי",
            amount=Decimal("80000.50"),
        )
    return version


def a_section(municipality):
    version = draft_agreement(municipality, with_content=False)
    return AgreementSection.objects.get(version=version, topic=Topic.GOALS)


def a_candidate(municipality, name="דנה לוי"):
    return Candidate.objects.get_or_create(municipality=municipality, name=name)[0]


def a_kickoff_step(municipality):
    return services.kickoff_ensure_steps(municipality=municipality)[0]


__all__ = ["KickoffStep", "a_candidate", "a_kickoff_step", "a_section", "draft_agreement"]
