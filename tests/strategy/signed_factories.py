"""Signed documents, signed through the services as users sign them."""

import datetime

from strategy import plan_services, services
from strategy.models import AgreementVersion, PlanVersion, SignatureSide
from tests.strategy.factories import draft_agreement
from tests.strategy.plan_factories import a_plan_version


def a_signed_agreement(municipality, *, manager, mayor_office, hq):
    """Version 1 with text, two budget lines and a milestone, approved and signed by both sides."""
    version = draft_agreement(municipality, user=manager)
    services.milestone_add(
        version=version, user=manager, title="השקה", due_date=datetime.date(2027, 5, 1)
    )
    services.agreement_submit(version=version, user=manager)
    services.agreement_approve(version=version, user=mayor_office)
    services.agreement_sign(version=version, user=mayor_office, side=SignatureSide.MUNICIPALITY)
    services.agreement_sign(version=version, user=hq, side=SignatureSide.PROGRAM)
    return AgreementVersion.objects.get(pk=version.pk)


def a_signed_plan(municipality, *, manager, mayor_office, hq):
    version = a_plan_version(municipality)
    plan_services.plan_submit(version=version, user=manager)
    plan_services.plan_approve(version=version, user=mayor_office)
    plan_services.plan_sign(version=version, user=mayor_office, side=SignatureSide.MUNICIPALITY)
    plan_services.plan_sign(version=version, user=hq, side=SignatureSide.PROGRAM)
    return PlanVersion.objects.get(pk=version.pk)
