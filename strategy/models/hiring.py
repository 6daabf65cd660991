"""Hiring the program manager: a joint selection by the municipality and the program.

Each panel member fills one score sheet per candidate (ten competencies, 1–5, with a note); the decision
needs one approval from each side and is recorded with who approved and when.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehila.models import Municipality, TenantOwned


class Competency(models.IntegerChoices):
    VALUES = 1, _("Values and personal belief in the program")
    EQUALITY = 2, _("Belief in change through equal opportunity")
    PROACTIVITY = 3, _("Proactivity, entrepreneurship, creativity")
    RESILIENCE = 4, _("Resilience under uncertainty and flexibility")
    SELF_MANAGEMENT = 5, _("Self-management, responsibility, motivation")
    SYSTEMS = 6, _("Systems thinking (micro and macro)")
    LEARNING = 7, _("Openness to learning")
    PEOPLE = 8, _("People skills: recruiting partners, teamwork")
    WRITING = 9, _("Writing: content, work plans, reports, budgets, presentations")
    PARTNERSHIP = 10, _("Managing a multi-party, multi-sector partnership")


class PanelSide(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    PROGRAM = "program", _("Program")


class Candidate(TenantOwned):
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="candidate_name_unique")
        ]

    def __str__(self):
        return self.name


class Interview(TenantOwned):
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("candidate")
    )
    starts_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "starts_at"], name="interview_unique_time")
        ]

    def __str__(self):
        return f"{self.candidate} · {self.starts_at:%Y-%m-%d %H:%M}"


class ScoreSheet(TenantOwned):
    """One panel member's scores for one candidate: exactly one per member and candidate."""

    candidate = models.ForeignKey(
        Candidate,
        on_delete=models.CASCADE,
        related_name="score_sheets",
        verbose_name=_("candidate"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("panel member"),
    )
    side = models.CharField(_("side"), max_length=20, choices=PanelSide)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "member"], name="score_sheet_one_per_member"
            )
        ]

    def __str__(self):
        return f"{self.candidate} · {self.member}"


class CompetencyScore(TenantOwned):
    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="scores", verbose_name=_("score sheet")
    )
    competency = models.PositiveSmallIntegerField(_("competency"), choices=Competency)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("competency score")
        verbose_name_plural = _("competency scores")
        ordering = ["competency"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "competency"], name="competency_score_unique"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="competency_score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.get_competency_display()}: {self.score}"


class HiringDecision(models.Model):
    """The joint decision: proposed by the team, approved once by each side, then recorded."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="hiring_decision",
        verbose_name=_("municipality"),
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="+", verbose_name=_("chosen candidate")
    )
    rationale = models.TextField(_("rationale"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    municipality_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved for the municipality by"),
    )
    municipality_approved_at = models.DateTimeField(
        _("approved for the municipality at"), null=True, blank=True
    )
    program_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved for the program by"),
    )
    program_approved_at = models.DateTimeField(
        _("approved for the program at"), null=True, blank=True
    )
    recorded_at = models.DateTimeField(_("decision recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("hiring decision")
        verbose_name_plural = _("hiring decisions")

    def __str__(self):
        return str(self.candidate)

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None
