"""The agreements document: a municipality's numbered versions, each with its eleven sections, the
operating model, the budget appendix, the main milestones, the parties and the exit clause.

Content lives on the version (not on the document) so that a signed version can never change: editing
happens on the one DRAFT version, and `services.agreement_new_version` copies the latest version forward.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehila.models import Municipality, TenantOwned

from ..signed import SignedContentGuard
from .approvals import ApprovableVersion, VersionSignature


class Topic(models.IntegerChoices):
    """The eleven topics the guidance says the agreements must settle, in its order."""

    GOALS = 1, _("Goals and purpose of the partnership")
    OWNERSHIP = 2, _("Responsibility and ownership")
    RECRUITING = 3, _("Recruiting key players")
    BODIES = 4, _("The collaborative bodies")
    STRATEGY = 5, _("The municipality's strategy along the four tracks")
    CONCEPTS = 6, _("Shared founding concepts")
    ROUTINES = 7, _("Shared work routines")
    EVALUATION = 8, _("Evaluation, measurement and control")
    TIMEFRAME = 9, _("Timeframe and budget")
    PARTIES = 10, _("The parties, further partners and an exit clause")
    APPENDICES = 11, _("Appendices")


class SectionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed")
    # The topic does not apply to this municipality; the section's text says why (strategy.gates).
    # "na" because the column is 10 characters, and widening it would rebuild the table on SQLite,
    # which drops its signed-content triggers (migration 0005).
    NOT_APPLICABLE = "na", _("Not applicable")


class FundingSource(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    PROGRAM = "program", _("Program")
    PARTNERS = "partners", _("Partners")


class Agreement(models.Model):
    """One per municipality: the document whose versions are drafted, approved and signed."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="agreement",
        verbose_name=_("municipality"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("agreements document")
        verbose_name_plural = _("agreements documents")

    def __str__(self):
        return str(_("Agreements document · %(name)s") % {"name": self.municipality.name})


class AgreementVersion(ApprovableVersion, TenantOwned):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    title = models.CharField(_("title"), max_length=200)
    term_start_year = models.PositiveSmallIntegerField(
        _("first year of the term"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    term_end_year = models.PositiveSmallIntegerField(
        _("last year of the term"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    operating_model = models.TextField(_("operating model"), blank=True)
    parties = models.TextField(_("the parties"), blank=True)
    partners = models.TextField(_("further partners"), blank=True)
    exit_clause = models.TextField(_("exit clause"), blank=True)

    class Meta:
        verbose_name = _("agreements document version")
        verbose_name_plural = _("agreements document versions")
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="agreement_version_number_unique"
            )
        ]

    def __str__(self):
        return str(_("Agreements document, version %(number)s") % {"number": self.number})

    def clean(self):
        if (
            self.term_start_year
            and self.term_end_year
            and self.term_end_year < self.term_start_year
        ):
            raise ValidationError({"term_end_year": _("The term cannot end before it starts.")})

    def document_label(self) -> str:
        return str(_("agreements document"))

    def get_absolute_url(self):
        return reverse(
            "strategy:version",
            kwargs={"slug": self.municipality.slug, "version_id": self.pk},
        )

    def siblings(self):
        return AgreementVersion.objects.filter(agreement_id=self.agreement_id)

    @property
    def term_years(self) -> list[int]:
        return list(range(self.term_start_year, self.term_end_year + 1))

    def snapshot(self) -> dict:
        """The exact content of this version as plain data: what is hashed, diffed and printed."""
        return {
            "document": "agreement",
            "municipality": self.municipality_id,
            "number": self.number,
            "title": self.title,
            "term": [self.term_start_year, self.term_end_year],
            "sections": [
                {
                    "topic": s.topic,
                    "text": s.text,
                    "status": s.status,
                    "owner": s.owner_id,
                }
                for s in sorted(self.sections.all(), key=lambda s: s.topic)
            ],
            "operating_model": self.operating_model,
            "parties": self.parties,
            "partners": self.partners,
            "exit_clause": self.exit_clause,
            "budget": [
                {
                    "year": b.year,
                    "source": b.source,
                    "description": b.description,
                    "amount": Decimal(b.amount),
                }
                for b in sorted(
                    self.budget_lines.all(),
                    key=lambda b: (b.year, b.source, b.description, Decimal(b.amount)),
                )
            ],
            "milestones": [
                {"title": m.title, "date": m.due_date, "timeline_key": m.timeline_key}
                for m in sorted(self.milestones.all(), key=lambda m: (m.due_date, m.title))
            ],
        }


class AgreementSection(SignedContentGuard, TenantOwned):
    version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("version"),
    )
    topic = models.PositiveSmallIntegerField(_("topic"), choices=Topic)
    text = models.TextField(_("text (Markdown)"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SectionStatus, default=SectionStatus.DRAFT
    )

    class Meta:
        verbose_name = _("agreements document section")
        verbose_name_plural = _("agreements document sections")
        ordering = ["version", "topic"]
        constraints = [
            models.UniqueConstraint(fields=["version", "topic"], name="agreement_section_unique")
        ]

    def __str__(self):
        return f"{self.topic}. {self.get_topic_display()}"

    def clean(self):
        # The reason lives in the text, so a signed version's hash covers it like any topic's text.
        if self.status == SectionStatus.NOT_APPLICABLE and not (self.text or "").strip():
            raise ValidationError(
                {"text": _("Say why this topic does not apply: write the reason in the text.")}
            )


class SectionComment(TenantOwned):
    """A comment on one topic. It belongs to the document, not the version, so a conversation about a
    section carries on across versions; `version` records which version it was written on."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="comments", verbose_name=_("document")
    )
    version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("version"),
    )
    topic = models.PositiveSmallIntegerField(_("topic"), choices=Topic)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("section comment")
        verbose_name_plural = _("section comments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:50]


class BudgetLine(SignedContentGuard, TenantOwned):
    version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.CASCADE,
        related_name="budget_lines",
        verbose_name=_("version"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("funding source"), max_length=20, choices=FundingSource)
    description = models.CharField(_("item"), max_length=200)
    amount = models.DecimalField(
        _("amount (NIS)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget appendix")
        ordering = ["year", "source", "description", "id"]

    def __str__(self):
        return f"{self.year} · {self.get_source_display()} · {self.description}"

    def clean(self):
        version = self.version if self.version_id else None
        if version and self.year is not None and self.year not in version.term_years:
            raise ValidationError(
                {
                    "year": _("The year must be within the agreement's term (%(start)s–%(end)s).")
                    % {"start": version.term_start_year, "end": version.term_end_year}
                }
            )


class AgreementMilestone(SignedContentGuard, TenantOwned):
    version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("version"),
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("date"))
    timeline_key = models.CharField(
        _("timeline milestone"),
        max_length=40,
        blank=True,
        help_text=_("The program timeline's milestone this one corresponds to, if any."),
    )

    class Meta:
        verbose_name = _("main milestone")
        verbose_name_plural = _("main milestones")
        ordering = ["due_date", "title"]

    def __str__(self):
        return self.title

    def clean(self):
        from kehila.timeline import TimelineError, parse_key

        if self.timeline_key:
            try:
                parse_key(self.timeline_key)
            except TimelineError:
                raise ValidationError(
                    {"timeline_key": _("This is not a milestone of the program timeline.")}
                ) from None

    @property
    def timeline_title(self) -> str:
        from kehila.models import milestone_title

        return milestone_title(self.timeline_key) if self.timeline_key else ""


class AgreementSignature(VersionSignature, TenantOwned):
    version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("version"),
    )

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "side"], name="agreement_signature_one_per_side"
            )
        ]

    def __str__(self):
        return f"{self.get_side_display()} · {self.signed_by} · {self.signed_at:%Y-%m-%d %H:%M}"
