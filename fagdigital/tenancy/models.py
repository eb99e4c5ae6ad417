from __future__ import annotations

from typing import ClassVar

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
