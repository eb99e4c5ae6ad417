"""Competence frameworks: versioned, with areas, competences, level descriptors and role profiles.

Texts are stored in Danish and English side by side (`*_da`, `*_en`); `.t("name")` picks the active
language and falls back to Danish.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from fagdigital.core.models import TenantModel

LEVEL_COUNT = 4


class BilingualMixin:
    def t(self, field: str) -> str:
        """The field in the active language, falling back to Danish when the translation is empty."""
        if translation.get_language() == "en":
            english = getattr(self, f"{field}_en", "")
            if english:
                return str(english)
        return str(getattr(self, f"{field}_da"))


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    PUBLISHED = "published", _("Udgivet")
    RETIRED = "retired", _("Udgået")


class CompetenceKind(models.TextChoices):
    DIGITAL = "digital", _("Digital")
    PROFESSIONAL = "professional", _("Faglig")
    INTEGRATED = "integrated", _("Integreret (digital og faglig)")


class Criticality(models.TextChoices):
    CRITICAL = "kritisk", _("Kritisk")
    IMPORTANT = "vigtig", _("Vigtig")
    USEFUL = "nyttig", _("Nyttig")


class Framework(BilingualMixin, TenantModel):
    """One version of a competence framework. Published versions are never changed."""

    key = models.SlugField(_("nøgle"), max_length=100)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=16, choices=FrameworkStatus.choices, default="draft")
    name_da = models.CharField(_("navn (dansk)"), max_length=200)
    name_en = models.CharField(_("navn (engelsk)"), max_length=200, blank=True)
    description_da = models.TextField(_("beskrivelse (dansk)"), blank=True)
    description_en = models.TextField(_("beskrivelse (engelsk)"), blank=True)
    # [{"number": 1, "name": {"da": ..., "en": ...}, "digcomp_levels": [1, 2]}, ...] — one per level.
    levels = models.JSONField(_("niveauer"), default=list)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bygger på"),
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kompetenceramme")
        verbose_name_plural = _("kompetencerammer")
        ordering: ClassVar = ["key", "-version"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "key", "version"], name="framework_version_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation", "key"], condition=Q(status="draft"), name="one_draft_per_framework"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_da} v{self.version}"

    @property
    def is_editable(self) -> bool:
        return self.status == FrameworkStatus.DRAFT

    def level_name(self, number: int) -> str:
        for level in self.levels:
            if level.get("number") == number:
                names = level.get("name", {})
                language = translation.get_language() or "da"
                return str(names.get(language) or names.get("da") or number)
        return str(number)


class Area(BilingualMixin, TenantModel):
    """A focus area (e.g. Data- og informationssikkerhed)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("kode"), max_length=50)
    name_da = models.CharField(_("navn (dansk)"), max_length=200)
    name_en = models.CharField(_("navn (engelsk)"), max_length=200, blank=True)
    description_da = models.TextField(_("beskrivelse (dansk)"), blank=True)
    description_en = models.TextField(_("beskrivelse (engelsk)"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområder")
        ordering: ClassVar = ["position", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["framework", "code"], name="area_code_unique_in_framework")
        ]

    def __str__(self) -> str:
        return self.name_da


class Competence(BilingualMixin, TenantModel):
    """A competence, optionally below another competence (Moodle frameworks can be deep trees)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competences")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="competences")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("overordnet"),
    )
    code = models.CharField(_("kode"), max_length=100)
    name_da = models.CharField(_("navn (dansk)"), max_length=300)
    name_en = models.CharField(_("navn (engelsk)"), max_length=300, blank=True)
    description_da = models.TextField(_("beskrivelse (dansk)"), blank=True)
    description_en = models.TextField(_("beskrivelse (engelsk)"), blank=True)
    kind = models.CharField(_("type"), max_length=16, choices=CompetenceKind.choices, default="integrated")
    digcomp = models.JSONField(_("DigComp 2.2-referencer"), default=list, blank=True)
    # Dimensions and parts of KL's digital competence wheel (frameworks.kl_wheel), where they correspond.
    kl_wheel = models.JSONField(_("KL's kompetencehjul"), default=list, blank=True)
    it_system_categories = models.JSONField(_("it-systemkategorier"), default=list, blank=True)
    related: models.ManyToManyField[Competence, Competence] = models.ManyToManyField(
        "self", blank=True, verbose_name=_("relaterede kompetencer")
    )
    position = models.PositiveIntegerField(default=0)
    # Set by HR when a level descriptor changed so much since the version this one is based on that
    # people's current level cannot be carried over by code (selectors.material_changes). Never copied.
    material_change = models.BooleanField(_("væsentlig ændring"), default=False)

    class Meta:
        verbose_name = _("kompetence")
        verbose_name_plural = _("kompetencer")
        ordering: ClassVar = ["position", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["framework", "code"], name="competence_code_unique_in_framework")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_da}"


class LevelDescriptor(BilingualMixin, TenantModel):
    """What a person at this level does in their own work."""

    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="descriptors")
    level = models.PositiveSmallIntegerField(_("niveau"))
    text_da = models.TextField(_("beskrivelse (dansk)"))
    text_en = models.TextField(_("beskrivelse (engelsk)"), blank=True)

    class Meta:
        verbose_name = _("niveaubeskrivelse")
        verbose_name_plural = _("niveaubeskrivelser")
        ordering: ClassVar = ["level"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["competence", "level"], name="one_descriptor_per_level"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=LEVEL_COUNT), name="descriptor_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competence.code} {self.level}"


class ITSystem(BilingualMixin, TenantModel):
    """An IT system (or category of systems) that competences concern and job functions use."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="it_systems")
    code = models.SlugField(_("kode"), max_length=100)
    category = models.SlugField(_("kategori"), max_length=100)
    name_da = models.CharField(_("navn (dansk)"), max_length=200)
    name_en = models.CharField(_("navn (engelsk)"), max_length=200, blank=True)
    vendor = models.CharField(_("leverandør"), max_length=200, blank=True)
    job_function_names = models.JSONField(
        _("stillingsbetegnelser, der bruger systemet"), default=list, blank=True
    )

    class Meta:
        verbose_name = _("it-system")
        verbose_name_plural = _("it-systemer")
        ordering: ClassVar = ["category", "name_da"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["framework", "code"], name="it_system_code_unique_in_framework")
        ]

    def __str__(self) -> str:
        return self.name_da


class RoleProfile(BilingualMixin, TenantModel):
    """What a role (e.g. social- og sundhedsassistent) needs: target level and criticality per competence."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="role_profiles")
    code = models.SlugField(_("kode"), max_length=100)
    name_da = models.CharField(_("navn (dansk)"), max_length=200)
    name_en = models.CharField(_("navn (engelsk)"), max_length=200, blank=True)
    description_da = models.TextField(_("beskrivelse (dansk)"), blank=True)
    description_en = models.TextField(_("beskrivelse (engelsk)"), blank=True)
    job_function_names = models.JSONField(_("typiske stillingsbetegnelser"), default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rolleprofil")
        verbose_name_plural = _("rolleprofiler")
        ordering: ClassVar = ["position", "name_da"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="role_profile_code_unique_in_framework"
            )
        ]

    def __str__(self) -> str:
        return self.name_da


class RoleTarget(TenantModel):
    role_profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="targets")
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="targets")
    level = models.PositiveSmallIntegerField(_("målniveau"))
    criticality = models.CharField(_("betydning"), max_length=16, choices=Criticality.choices)

    class Meta:
        verbose_name = _("målniveau")
        verbose_name_plural = _("målniveauer")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["role_profile", "competence"], name="one_target_per_role_and_competence"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=LEVEL_COUNT), name="target_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role_profile.code}/{self.competence.code}={self.level}"


class JobFunctionMapping(TenantModel):
    """Which role profile (by code, so it survives new framework versions) a job function follows."""

    job_function = models.ForeignKey("orgs.JobFunction", on_delete=models.CASCADE, related_name="+")
    framework_key = models.SlugField(max_length=100)
    role_profile_code = models.SlugField(max_length=100)

    class Meta:
        verbose_name = _("tilknytning af stillingsbetegnelse")
        verbose_name_plural = _("tilknytninger af stillingsbetegnelser")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["job_function", "framework_key"], name="one_mapping_per_job_function"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job_function_id} → {self.role_profile_code}"


class JobCodeMapping(TenantModel):
    """Which role profile (by code) the job functions with a job code follow, as HR keeps it.

    A job code is what the HR or payroll system calls the job (a stillingskode); titles vary between units and
    over time, the code less so. A job function's own mapping (JobFunctionMapping) always wins; the code
    suggests and fills in the mapping for job functions that have none (services.job_code_mappings_set).
    """

    framework_key = models.SlugField(max_length=100)
    job_code = models.CharField(_("stillingskode"), max_length=20)
    role_profile_code = models.SlugField(max_length=100)

    class Meta:
        verbose_name = _("tilknytning af stillingskode")
        verbose_name_plural = _("tilknytninger af stillingskoder")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "framework_key", "job_code"], name="one_mapping_per_job_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job_code} → {self.role_profile_code}"


class FrameworkImportStatus(models.TextChoices):
    VALID = "valid", _("Klar til indlæsning")
    INVALID = "invalid", _("Fejl i filen")
    APPLIED = "applied", _("Indlæst")


class FrameworkImport(TenantModel):
    """An uploaded framework file, kept from preview to confirmation."""

    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=20)  # "json" or "moodle-csv"
    content = models.BinaryField()
    status = models.CharField(max_length=16, choices=FrameworkImportStatus.choices)
    problems = models.JSONField(default=list)
    summary = models.JSONField(default=dict)
    # The level chosen in the preview for each value of a Moodle file's scale; empty: the default mapping.
    scale_mapping = models.JSONField(default=list, blank=True)
    framework = models.ForeignKey(
        Framework, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rammeimport")
        verbose_name_plural = _("rammeimporter")
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
