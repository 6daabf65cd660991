"""The kickoff checklist: the six steps of starting the program in a municipality."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kehila.models import Municipality


class KickoffStepKind(models.IntegerChoices):
    INTRODUCE = 1, _("Introduce the program")
    STRATEGY = 2, _("Learn the municipality's strategy")
    STRUCTURE = 3, _("Learn its structure and role holders")
    PARTNERSHIP = 4, _("Agree on a real partnership")
    SIGN = 5, _("Sign the memorandum of understanding")
    LAUNCH = 6, _("Official launch")


# Who usually takes part in each step, by role: offered as the default list of attendees.
SUGGESTED_ATTENDEES = {
    KickoffStepKind.INTRODUCE: [
        _("Mayor"),
        _("Director general"),
        _("Program HQ"),
    ],
    KickoffStepKind.STRATEGY: [
        _("Director general"),
        _("Head of strategy"),
        _("Program HQ"),
    ],
    KickoffStepKind.STRUCTURE: [
        _("Director general"),
        _("Head of welfare"),
        _("Head of community"),
        _("Community centres' company"),
        _("Welfare ministry district supervisor"),
    ],
    KickoffStepKind.PARTNERSHIP: [
        _("Mayor"),
        _("Director general"),
        _("Head of welfare"),
        _("Program HQ"),
        _("Program team"),
    ],
    KickoffStepKind.SIGN: [
        _("Mayor"),
        _("Director general"),
        _("Program HQ"),
    ],
    KickoffStepKind.LAUNCH: [
        _("Mayor"),
        _("Director general"),
        _("Program team"),
        _("Partners"),
    ],
}


def suggested_attendees(step: int) -> str:
    return ", ".join(str(role) for role in SUGGESTED_ATTENDEES[KickoffStepKind(step)])


class KickoffStep(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="kickoff_steps",
        verbose_name=_("municipality"),
    )
    step = models.PositiveSmallIntegerField(_("step"), choices=KickoffStepKind)
    date = models.DateField(_("date"), null=True, blank=True)
    attendees = models.TextField(_("attendees"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("kickoff step")
        verbose_name_plural = _("kickoff checklist")
        ordering = ["step"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "step"], name="kickoff_step_unique")
        ]

    def __str__(self):
        return f"{self.step}. {self.get_step_display()}"

    @property
    def suggested_attendees(self) -> str:
        return suggested_attendees(self.step)
