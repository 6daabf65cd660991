"""The mapping: the design committee's focus challenges and the findings that picture each one.

Importing findings from a spreadsheet is strategy/mapping.py.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehila.models import TenantOwned


class FocusChallenge(TenantOwned):
    """One of the design committee's five focus challenges: mapping, the plan and the pilot refer to them."""

    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("focus challenge")
        verbose_name_plural = _("focus challenges")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number"], name="focus_challenge_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class MappingFinding(TenantOwned):
    """One finding of the mapping: an indicator's value for a focus challenge, where and when, and from
    which source. The findings make the situation picture; it is published with a signed plan version."""

    challenge = models.ForeignKey(
        "strategy.FocusChallenge",
        on_delete=models.CASCADE,
        related_name="findings",
        verbose_name=_("focus challenge"),
    )
    indicator = models.CharField(_("indicator"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=200)
    measured_on = models.DateField(_("date"))
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("mapping finding")
        verbose_name_plural = _("mapping findings")
        ordering = ["challenge__number", "indicator", "neighbourhood", "measured_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "indicator", "neighbourhood", "measured_on"],
                name="mapping_finding_unique",
            )
        ]

    def __str__(self):
        return f"{self.indicator} · {self.neighbourhood} · {self.value}"
