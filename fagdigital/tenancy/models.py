from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fagdigital.core.models import TimeStampedModel


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Kommune")
    EDUCATION_PROVIDER = "education_provider", _("Uddannelsesudbyder")
    NETWORK_OPERATOR = "network_operator", _("Netværksoperatør")


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Medarbejder")
    LEADER = "leader", _("Leder")
    COMPETENCE_ADMIN = "competence_admin", _("Kompetencekonsulent/HR")
    TOP_MANAGEMENT = "top_management", _("Direktion/digitaliseringschef")
    EDUCATION_PROVIDER = "education_provider", _("Uddannelsesudbyder")
    NETWORK_COORDINATOR = "network_coordinator", _("Netværkskoordinator")
    PLATFORM_ADMIN = "platform_admin", _("Platformadministrator")


class Organisation(TimeStampedModel):
    kind = models.CharField(_("type"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("navn"), max_length=200)
    # As the national address register writes it: four digits with a leading zero ("0101").
    kommunekode = models.CharField(_("kommunekode"), max_length=4, unique=True, null=True, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    # The smallest group an aggregate is shown for: never below the installation's minimum (5), only up.
    min_group_size = models.PositiveSmallIntegerField(_("mindste gruppestørrelse"), default=5)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~models.Q(kind="municipality") | models.Q(kommunekode__regex=r"^[0-9]{4}$"),
                name="municipality_has_kommunekode",
            ),
            models.CheckConstraint(
                condition=models.Q(min_group_size__gte=5), name="min_group_size_at_least_5"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    """A user's roles in one organisation. A user may belong to several organisations."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    roles = models.JSONField(_("roller"), default=list)

    class Meta:
        verbose_name = _("medlemskab")
        verbose_name_plural = _("medlemskaber")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_user_and_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class Network(TimeStampedModel):
    """Organisations that share a benchmark and a catalogue."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    coordinator = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="coordinated_networks", null=True, blank=True
    )
    members: models.ManyToManyField[Organisation, NetworkMember] = models.ManyToManyField(
        Organisation, through="NetworkMember", related_name="networks"
    )

    class Meta:
        verbose_name = _("netværk")
        verbose_name_plural = _("netværk")

    def __str__(self) -> str:
        return self.name


class NetworkMember(TimeStampedModel):
    network = models.ForeignKey(Network, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    # Other organisations are never named in benchmarks unless they chose to be.
    named_in_benchmarks = models.BooleanField(_("vis navn i benchmark"), default=False)
    # An organisation may keep its figures out of the network's figures altogether (its HR decides).
    contributes_to_benchmarks = models.BooleanField(_("bidrag til netværkets tal"), default=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["network", "organisation"], name="one_network_membership")
        ]


class RoleChangeAction(models.TextChoices):
    GRANT = "grant", _("Rolle givet")
    REVOKE = "revoke", _("Rolle fjernet")
    INVITE = "invite", _("Invitation sendt")


class AppendOnlyError(Exception):
    """Audit rows are written once and never changed or deleted."""


class RoleChangeQuerySet(models.QuerySet["RoleChange"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("role changes are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("role changes are append-only")


class RoleChange(models.Model):
    """One change of a person's roles in an organisation: who did it, what, when and from where.

    Append-only (decision 0013): rows are only ever created. Names are copied into the row so the trail
    still reads right after a user or unit is renamed or removed; the ids of the person and unit are
    kept without foreign keys, as those live in apps above this one.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="role_changes")
    created_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("udført af"), max_length=300)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject_person_id = models.BigIntegerField(null=True, blank=True)
    subject_label = models.CharField(_("person"), max_length=300)
    action = models.CharField(_("handling"), max_length=16, choices=RoleChangeAction.choices)
    role = models.CharField(_("rolle"), max_length=32, choices=Role.choices, blank=True)
    unit_id = models.BigIntegerField(null=True, blank=True)
    unit_label = models.CharField(_("enhed"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adresse"), null=True, blank=True)

    objects = RoleChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("rolleændring")
        verbose_name_plural = _("rolleændringer")
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["organisation", "-created_at"], name="role_change_org_time")
        ]

    def __str__(self) -> str:
        when = f"{self.created_at:%Y-%m-%d %H:%M}"
        return f"{when} {self.actor_label}: {self.action} {self.role} {self.subject_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("role changes are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("role changes are append-only")
