import datetime

import pytest

from strategy import plan_services, services
from strategy.approvals import SignatureSide
from strategy.models import AgreementVersion, PlanVersion
from tests.strategy.factories import draft_agreement
from tests.strategy.plan_factories import a_plan_version


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Password hashing dominates fixture time on a busy machine; these tests never check passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Signed through the services, as users sign (tests/strategy/test_signed*.py).
@pytest.fixture
def signed_agreement(municipality, manager, mayor_office, hq_user):
    version = draft_agreement(municipality, user=manager)
    services.milestone_add(
        version=version, user=manager, title="השקה", due_date=datetime.date(2027, 5, 1)
    )
    services.agreement_submit(version=version, user=manager)
    services.agreement_approve(version=version, user=mayor_office)
    services.agreement_sign(version=version, user=mayor_office, side=SignatureSide.MUNICIPALITY)
    services.agreement_sign(version=version, user=hq_user, side=SignatureSide.PROGRAM)
    return AgreementVersion.objects.get(pk=version.pk)


@pytest.fixture
def signed_plan(municipality, manager, mayor_office, hq_user):
    version = a_plan_version(municipality)
    plan_services.plan_submit(version=version, user=manager)
    plan_services.plan_approve(version=version, user=mayor_office)
    plan_services.plan_sign(version=version, user=mayor_office, side=SignatureSide.MUNICIPALITY)
    plan_services.plan_sign(version=version, user=hq_user, side=SignatureSide.PROGRAM)
    return PlanVersion.objects.get(pk=version.pk)
