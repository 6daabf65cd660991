"""Stakeholder mapping: the people and organisations that matter in town."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kehila.models import TenantOwned


class MunicipalRole(models.TextChoices):
    """A person's standing inside the municipality, used to build the all-managers meeting list."""

    NONE = "", _("None")
    MAYOR = "mayor", _("Mayor")
    DEPUTY_MAYOR = "deputy_mayor", _("Deputy mayor")
    COUNCIL_MEMBER = "council_member", _("Council member")
    DIRECTOR_GENERAL = "director_general", _("Director general")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    COMPANY_HEAD = "company_head", _("Head of a municipal company")
    STAFF = "staff", _("Municipal staff")


class Person(TenantOwned):
    """A person the program works with: a resident, a role holder or a partner. Contact details are
    personal data: only the municipality's program team may see them (kehila.permissions 'view_contacts')."""

    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100, blank=True)
    # A person's job title, not a heading: "title" alone is a heading in the other apps' catalogues.
    title = models.CharField(pgettext_lazy("job title", "title"), max_length=200, blank=True)
    is_resident = models.BooleanField(_("resident"), default=False)
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="he"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("user account"),
    )
    languages = models.CharField(
        _("languages"),
        max_length=100,
        blank=True,
        help_text=_("The languages the person speaks, separated by commas."),
    )
    municipal_role = models.CharField(
        _("standing in the municipality"),
        max_length=20,
        choices=MunicipalRole,
        blank=True,
    )
    notes = models.TextField(_("notes"), blank=True)
    organisations = models.ManyToManyField(
        "Organisation",
        through="Affiliation",
        blank=True,
        related_name="people",
        verbose_name=_("organisations"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set once, by services.person_erase: the person asked to be forgotten. Final: nothing re-fills them.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        indexes = [models.Index(fields=["municipality", "full_name"])]

    def __str__(self):
        return self.full_name


class Organisation(TenantOwned):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Municipal department")
        MUNICIPAL_COMPANY = "municipal_company", _("Municipal company")
        BUSINESS = "business", _("Business or factory")
        ACADEMIA = "academia", _("Academia or college")
        PHILANTHROPY = "philanthropy", _("Philanthropy")
        CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")
        GOVERNMENT = "government", _("Government office")
        COMMUNITY_CENTRE = "community_centre", _("Community centre")
        SCHOOL = "school", _("School")
        RESIDENT_GROUP = "resident_group", _("Resident group or community")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="organisation_unique_name_per_municipality"
            )
        ]

    def __str__(self):
        return self.name


class Affiliation(TenantOwned):
    """A person's place in an organisation; one person can sit in several."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role in the organisation"), max_length=200, blank=True)
    is_head = models.BooleanField(_("heads the organisation"), default=False)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"], name="affiliation_once_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.organisation}"


class Sector(models.TextChoices):
    SOCIAL = "social", _("Social")
    PUBLIC = "public", _("Public")
    BUSINESS = "business", _("Business")
    ACADEMIA = "academia", _("Academia")
    PHILANTHROPY = "philanthropy", _("Philanthropy")
    RESIDENTS = "residents", _("Residents and communities")
    GOVERNMENT = "government", _("Government")


class Circle(models.TextChoices):
    RESIDENTS = "residents", _("Residents, communities and activists")
    ROLE_HOLDERS = "role_holders", _("Role holders in the municipality")
    INFLUENCE = "influence", _("Centres of influence")


class Consent(models.TextChoices):
    OPPOSED = "opposed", _("Opposed")
    PASSIVE = "passive", _("Passive")
    ACTIVE = "active", _("Active")


class InfluenceKind(models.TextChoices):
    FORMAL = "formal", _("Formal (by role)")
    INFORMAL = "informal", _("Informal (by personality)")


class EngagementStage(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    CONTACTED = "contacted", _("Contacted")
    MET = "met", _("Met")
    RECRUITED = "recruited", _("Recruited")
    ACTIVE = "active", _("Active")


class Level(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class Engagement(TenantOwned):
    """Where a person stands in the municipality's program: one row per person and program."""

    program = models.ForeignKey(
        "kehila.Program",
        on_delete=models.CASCADE,
        related_name="engagements",
        verbose_name=_("program"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="engagements", verbose_name=_("person")
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector, blank=True)
    circle = models.CharField(_("circle"), max_length=20, choices=Circle, blank=True)
    consent = models.CharField(
        _("consent"), max_length=10, choices=Consent, default=Consent.PASSIVE
    )
    influence_kind = models.CharField(
        _("kind of influence"), max_length=10, choices=InfluenceKind, default=InfluenceKind.FORMAL
    )
    influence = models.PositiveSmallIntegerField(
        _("strength of influence"), choices=Level, default=Level.MEDIUM
    )
    interest = models.PositiveSmallIntegerField(_("interest"), choices=Level, default=Level.MEDIUM)
    stage = models.CharField(
        _("engagement stage"),
        max_length=12,
        choices=EngagementStage,
        default=EngagementStage.IDENTIFIED,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact owner"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person"], name="engagement_once_per_program"
            )
        ]
        indexes = [models.Index(fields=["municipality", "stage"])]

    def __str__(self):
        return f"{self.person} · {self.get_stage_display()}"

    @property
    def is_informal(self) -> bool:
        return self.influence_kind == InfluenceKind.INFORMAL


class Interaction(TenantOwned):
    class Kind(models.TextChoices):
        MET = "met", _("Met")
        CALLED = "called", _("Called")
        EMAILED = "emailed", _("E-mailed")
        ATTENDED = "attended", pgettext_lazy("a person's interaction", "Attended")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="interactions", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.person} · {self.get_kind_display()} · {self.date}"


class HistoryNote(TenantOwned):
    """The town's history of earlier similar processes, and who was burnt by them."""

    title = models.CharField(_("title"), max_length=200)
    period = models.CharField(_("when"), max_length=100, blank=True)
    body = models.TextField(_("what happened"))
    burnt = models.ManyToManyField(
        Person, blank=True, related_name="history_notes", verbose_name=_("people burnt by it")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("town-history note")
        verbose_name_plural = _("town-history notes")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class SensitiveRelationship(TenantOwned):
    """A sensitive tie between two people or bodies: each side is a person or an organisation."""

    person_a = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first person"),
    )
    organisation_a = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first organisation"),
    )
    person_b = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second person"),
    )
    organisation_b = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second organisation"),
    )
    level = models.PositiveSmallIntegerField(_("sensitivity"), choices=Level, default=Level.MEDIUM)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sensitive relationship")
        verbose_name_plural = _("sensitive relationships")
        ordering = ["-level", "-created_at"]

    def __str__(self):
        return f"{self.side_a} ↔ {self.side_b}"

    @property
    def side_a(self):
        return self.person_a or self.organisation_a

    @property
    def side_b(self):
        return self.person_b or self.organisation_b

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if bool(self.person_a_id) == bool(self.organisation_a_id):
            errors["person_a"] = _("Choose either a person or an organisation for the first side.")
        if bool(self.person_b_id) == bool(self.organisation_b_id):
            errors["person_b"] = _("Choose either a person or an organisation for the second side.")
        if not errors and (self.person_a_id, self.organisation_a_id) == (
            self.person_b_id,
            self.organisation_b_id,
        ):
            errors["person_b"] = _("A relationship needs two different sides.")
        if errors:
            raise ValidationError(errors)


class StagedImport(TenantOwned):
    """Rows read from an uploaded spreadsheet, kept between preview and confirm. Nothing reaches the
    people tables until the uploader confirms; a confirmed or abandoned import stays as a record, but its
    rows (residents' contact details) are removed STAGED_IMPORT_DAYS after the upload."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    filename = models.CharField(_("file name"), max_length=255)
    rows = models.JSONField(_("rows"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    purged_at = models.DateTimeField(_("rows removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("staged import")
        verbose_name_plural = _("staged imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename
