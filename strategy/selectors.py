"""Reads of the strategy app, each with its joins and prefetches so pages stay at a fixed query count."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import mean, pstdev

from django.db.models import Exists, OuterRef, Prefetch

from .models import (
    Agreement,
    AgreementSection,
    AgreementSignature,
    AgreementVersion,
    Candidate,
    Competency,
    CompetencyScore,
    HiringDecision,
    KickoffStep,
    KickoffStepKind,
    Plan,
    PlanSignature,
    PlanVersion,
    ScoreSheet,
    SectionComment,
    VersionStatus,
)
from .signed import signature_check


def versions_with_content():
    return AgreementVersion.objects.select_related(
        "municipality", "created_by", "submitted_by", "decided_by"
    ).prefetch_related(
        Prefetch(
            "sections", queryset=AgreementSection.objects.select_related("owner").order_by("topic")
        ),
        "budget_lines",
        "milestones",
        "signatures__signed_by",
    )


def agreement_for(municipality) -> Agreement | None:
    return Agreement.objects.filter(municipality=municipality).first()


def agreement_versions(agreement: Agreement):
    return list(
        AgreementVersion.objects.filter(agreement=agreement)
        .select_related("created_by", "decided_by")
        .prefetch_related("signatures__signed_by")
        .order_by("-number")
    )


def latest_version(agreement: Agreement) -> AgreementVersion | None:
    return versions_with_content().filter(agreement=agreement).order_by("-number").first()


def in_force_version(agreement: Agreement) -> AgreementVersion | None:
    return (
        AgreementVersion.objects.filter(agreement=agreement, status=VersionStatus.IN_FORCE)
        .prefetch_related("signatures__signed_by")
        .first()
    )


def comments_by_topic(agreement: Agreement) -> dict[int, list[SectionComment]]:
    result: dict[int, list] = defaultdict(list)
    for comment in SectionComment.objects.filter(agreement=agreement).select_related(
        "author", "version"
    ):
        result[comment.topic].append(comment)
    return dict(result)


def versions_awaiting_approval(municipality):
    return list(
        AgreementVersion.objects.filter(municipality=municipality, status=VersionStatus.SUBMITTED)
        .select_related("submitted_by", "municipality")
        .order_by("submitted_at")
    )


def kickoff_steps(municipality) -> list[KickoffStep]:
    return list(KickoffStep.objects.filter(municipality=municipality).order_by("step"))


def kickoff_checklist(municipality) -> list[KickoffStep]:
    """All six steps in order: the saved ones, and an unsaved placeholder for each step not started,
    so the page shows the whole checklist without writing (the start button's POST saves them)."""
    saved = {s.step: s for s in kickoff_steps(municipality)}
    return [
        saved.get(kind.value) or KickoffStep(municipality=municipality, step=kind.value)
        for kind in KickoffStepKind
    ]


def kickoff_progress(municipality) -> dict:
    done = KickoffStep.objects.filter(municipality=municipality, done=True).count()
    total = len(KickoffStepKind.values)
    return {"done": done, "total": total, "percent": round(100 * done / total)}


def plan_of(municipality) -> Plan:
    """The municipality's plan, or an unsaved blank one while nothing of it was written: pages show
    the blank as the empty state, and the first write saves it (plan_services.plan_saved)."""
    return Plan.objects.filter(municipality=municipality).first() or Plan(municipality=municipality)


def candidates_with_counts(municipality):
    from django.db.models import Count

    return list(
        Candidate.objects.filter(municipality=municipality)
        .annotate(
            sheet_count=Count("score_sheets", distinct=True),
            interview_count=Count("interviews", distinct=True),
        )
        .order_by("name")
    )


def hiring_decision(municipality) -> HiringDecision | None:
    return (
        HiringDecision.objects.filter(municipality=municipality)
        .select_related(
            "candidate", "proposed_by", "municipality_approved_by", "program_approved_by"
        )
        .first()
    )


def score_summary(candidate: Candidate) -> list[dict]:
    """Per competency: every member's score and note, the average and the spread (standard deviation,
    and lowest–highest), so the panel sees where it disagrees."""
    by_competency: dict[int, list[CompetencyScore]] = defaultdict(list)
    for score in CompetencyScore.objects.filter(sheet__candidate=candidate).select_related(
        "sheet__member"
    ):
        by_competency[score.competency].append(score)
    rows = []
    for competency in Competency:
        scores = by_competency.get(competency.value, [])
        values = [s.score for s in scores]
        rows.append(
            {
                "competency": competency.label,
                "number": competency.value,
                "scores": scores,
                "average": round(mean(values), 2) if values else None,
                "stdev": round(pstdev(values), 2) if values else None,
                "low": min(values) if values else None,
                "high": max(values) if values else None,
            }
        )
    return rows


def score_sheets(candidate: Candidate):
    return list(
        ScoreSheet.objects.filter(candidate=candidate).select_related("member").order_by("side")
    )


# --- signed documents ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureMismatch:
    document: str  # "agreement" or "plan"
    municipality: str
    slug: str
    number: int
    version_id: int
    computed: str
    signed: str


@dataclass
class SignatureReport:
    checked: int = 0
    mismatches: list[SignatureMismatch] = field(default_factory=list)


def signed_documents_verify(*, chunk_size: int = 200) -> SignatureReport:
    """Re-compute the hash of every signed version of every municipality (agreements with their rows,
    plan versions with their frozen content) and list those that no longer match their signatures.
    In chunks, each with its prefetches, so a national install is read in a fixed number of passes."""
    report = SignatureReport()
    agreements = (
        versions_with_content()
        .filter(Exists(AgreementSignature.objects.filter(version=OuterRef("pk"))))
        .order_by("municipality__name", "pk")
    )
    plans = (
        PlanVersion.objects.filter(Exists(PlanSignature.objects.filter(version=OuterRef("pk"))))
        .select_related("municipality")
        .prefetch_related("signatures")
        .order_by("municipality__name", "pk")
    )
    for document, versions in (("agreement", agreements), ("plan", plans)):
        for version in versions.iterator(chunk_size=chunk_size):
            check = signature_check(version, where="verify_signatures")
            report.checked += 1
            if check is not None and not check.ok:
                report.mismatches.append(
                    SignatureMismatch(
                        document=document,
                        municipality=version.municipality.name,
                        slug=version.municipality.slug,
                        number=version.number,
                        version_id=version.pk,
                        computed=check.computed,
                        signed=check.signed_hash,
                    )
                )
    return report
