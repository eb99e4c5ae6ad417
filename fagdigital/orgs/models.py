"""The organisation's structure: units (a materialised-path tree), people, job functions, engagements."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fagdigital.core.models import TenantModel

# Each tree level adds one fixed-width base-36 step to the path: "0001", "00010003", ...
PATH_STEP = 4
PATH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PATH_MAX_LENGTH = 255


def path_step(index: int) -> str:
    """The path segment of the index-th child (1-based)."""
    if index < 1 or index >= len(PATH_ALPHABET) ** PATH_STEP:
        raise ValueError(f"child index {index} out of range")
    digits = []
    while index:
        index, rest = divmod(index, len(PATH_ALPHABET))
        digits.append(PATH_ALPHABET[rest])
    return "".join(reversed(digits)).rjust(PATH_STEP, "0")


class OrgUnit(TenantModel):
    """A unit (enhed) in the organisation tree.

    The path makes subtree queries one indexed prefix match (`path__startswith`), which every rollup,
    scope and count needs; `parent` keeps the tree easy to walk and to validate.
    """

    name = models.CharField(_("navn"), max_length=200)
    external_id = models.CharField(_("enheds-id"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("overordnet"),
    )
    path = models.CharField(max_length=PATH_MAX_LENGTH, db_index=True)
    depth = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("enhed")
        verbose_name_plural = _("enheder")
        ordering: ClassVar = ["path"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "path"], name="unit_path_unique_per_org"),
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~Q(external_id=""),
                name="unit_external_id_unique_per_org",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ancestor_paths(self) -> list[str]:
        return [self.path[: PATH_STEP * level] for level in range(1, self.depth)]


JOB_CODE_MAX = 20


def clean_job_code(value: str) -> str:
    """A job code as stored: without any spaces (HR files write both "264 16" and "264-16 ")."""
    return "".join(value.split())


class JobFunction(TenantModel):
    """A job title (stillingsbetegnelse) as the organisation's HR system writes it."""

    name = models.CharField(_("stillingsbetegnelse"), max_length=200)
    # The HR or payroll system's code for the job (e.g. a stillingskode), when the import file has one.
    # Role profiles can follow it (frameworks.JobCodeMapping) as well as the title.
    job_code = models.CharField(_("stillingskode"), max_length=JOB_CODE_MAX, blank=True, default="")

    class Meta:
        verbose_name = _("stillingsbetegnelse")
        verbose_name_plural = _("stillingsbetegnelser")
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "name"], name="job_function_unique_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class Person(TenantModel):
    """An employee record. It may exist without a login; a login links through `user`."""

    employee_number = models.CharField(_("medarbejdernummer"), max_length=64)
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="persons"
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "employee_number"], name="employee_number_unique_per_org"
            ),
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(user__isnull=False),
                name="one_person_per_user_and_org",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Engagement(TenantModel):
    """A person's employment in a unit with a job function, over a period."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="engagements")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="engagements")
    job_function = models.ForeignKey(JobFunction, on_delete=models.PROTECT, related_name="engagements")
    start_date = models.DateField(_("startdato"))
    end_date = models.DateField(_("slutdato"), null=True, blank=True)
    is_primary = models.BooleanField(_("primær"), default=True)

    class Meta:
        verbose_name = _("ansættelse")
        verbose_name_plural = _("ansættelser")
        indexes: ClassVar = [
            models.Index(fields=["unit", "end_date"], name="engagement_unit_end"),
            models.Index(fields=["person", "end_date"], name="engagement_person_end"),
        ]
        constraints: ClassVar = [
            # An engagement replaced on the day it started ends the day before: it never ran a day, and
            # its record stays (engagements are never deleted; decision 0011).
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date") - dt.timedelta(days=1)),
                name="engagement_ends_at_most_a_day_before_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.unit}"


class UnitLeader(TenantModel):
    """A person who leads a unit (and, through it, its subtree)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="leaders")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="led_units")

    class Meta:
        verbose_name = _("leder af enhed")
        verbose_name_plural = _("ledere af enheder")
        constraints: ClassVar = [models.UniqueConstraint(fields=["unit", "person"], name="unit_leader_once")]

    def __str__(self) -> str:
        return f"{self.person} leder {self.unit}"


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Kontrolleres")
    VALIDATED = "validated", _("Klar til indlæsning")
    INVALID = "invalid", _("Fejl i filen")
    QUEUED = "queued", _("I kø")
    APPLYING = "applying", _("Indlæser")
    DONE = "done", _("Indlæst")
    FAILED = "failed", _("Mislykkedes")
    CANCELLED = "cancelled", _("Annulleret")
    EXPIRED = "expired", _("Udløbet")
    UNDOING = "undoing", _("Fortrydes")
    UNDONE = "undone", _("Fortrudt")


class ImportMode(models.TextChoices):
    FULL = "full", _("Hele organisationen")
    PARTIAL = "partial", _("Delfil")


class ImportSource(models.TextChoices):
    WEB = "web", _("Browser")
    COMMAND = "command", _("Kommandolinje")


class PeopleImport(TenantModel):
    """One people file: kept from upload to apply (and deleted then, or when it fails or is abandoned),
    with its progress, preview, outcome and, once applied, the counts the history shows."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(max_length=16, choices=ImportStatus.choices)
    mode = models.CharField(max_length=16, choices=ImportMode.choices, default=ImportMode.FULL)
    source = models.CharField(max_length=16, choices=ImportSource.choices, default=ImportSource.WEB)
    row_count = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    # Preview (counts, thresholds, problems) and outcome, as computed by the import service.
    preview = models.JSONField(default=dict)
    outcome = models.JSONField(default=dict)
    # What the person applying confirmed: the number of people ended (typed), and that employee
    # numbers that now name another person are right.
    confirmed_ending = models.PositiveIntegerField(null=True, blank=True)
    accepted_number_reuse = models.BooleanField(default=False)
    # Once applied: the counts (ImportSummary) and when; once undone: when and by whom.
    summary = models.JSONField(default=dict)
    applied_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("personimport")
        verbose_name_plural = _("personimporter")
        ordering: ClassVar = ["-created_at"]
        indexes: ClassVar = [
            models.Index(fields=["organisation", "applied_at"], name="people_import_applied"),
            models.Index(fields=["status", "created_at"], name="people_import_status_created"),
        ]

    def __str__(self) -> str:
        return self.filename


class PreviewKind(models.TextChoices):
    NEW = "new", _("Ny")
    CHANGED = "changed", _("Ændres")
    ENDING = "ending", _("Afsluttes")


class PeopleImportItem(models.Model):
    """One person in an import's preview, with every field that changes (old and new value).

    Personal data from the file: deleted with the file (applied, failed, cancelled or abandoned).
    """

    people_import = models.ForeignKey(PeopleImport, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=8, choices=PreviewKind.choices)
    employee_number = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    number_reused = models.BooleanField(default=False)
    leader_ending = models.BooleanField(default=False)
    changes = models.JSONField(default=list)  # [[field, old, new], ...]

    class Meta:
        ordering: ClassVar = ["name", "employee_number"]
        indexes: ClassVar = [
            models.Index(fields=["people_import", "kind", "name"], name="people_import_item_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_number})"


class PeopleImportLog(models.Model):
    """What an applied import changed, with the rows as they were before: what undo restores.

    Kept only while the import can be undone (the last import, for IMPORT_UNDO_DAYS).
    """

    people_import = models.OneToOneField(
        PeopleImport, on_delete=models.CASCADE, primary_key=True, related_name="log"
    )
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"log {self.people_import_id}"
