"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import factory

from fagdigital.accounts.models import User
from fagdigital.orgs.models import PATH_STEP, Engagement, JobFunction, OrgUnit, Person, UnitLeader, path_step
from fagdigital.tenancy.models import Membership, Organisation, OrganisationKind


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    kind = OrganisationKind.MUNICIPALITY
    name = factory.Sequence(lambda n: f"Testkommune {n}")
    # Codes 9000+ are not real municipalities, so they never clash with the shipped list.
    kommunekode = factory.Sequence(lambda n: f"{9000 + n % 1000:04d}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"bruger{n}@example.dk")
    full_name = factory.Faker("name", locale="da_DK")
    password = factory.django.Password("test-password-123")


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    roles = factory.LazyFunction(lambda: ["employee"])


class OrgUnitFactory(factory.django.DjangoModelFactory[OrgUnit]):
    """A unit; give `parent` to place it below another. Paths are numbered per parent."""

    class Meta:
        model = OrgUnit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Enhed {n}")
    parent = None

    @classmethod
    def _create(cls, model_class: type[OrgUnit], *args: Any, **kwargs: Any) -> OrgUnit:
        parent: OrgUnit | None = kwargs.get("parent")
        if parent is not None:
            kwargs["organisation"] = parent.organisation
        siblings = OrgUnit.objects.filter(organisation=kwargs["organisation"], parent=parent)
        prefix = parent.path if parent else ""
        kwargs.setdefault("path", prefix + path_step(siblings.count() + 1))
        kwargs.setdefault("depth", len(kwargs["path"]) // PATH_STEP)
        return cast(OrgUnit, super()._create(model_class, *args, **kwargs))


class JobFunctionFactory(factory.django.DjangoModelFactory[JobFunction]):
    class Meta:
        model = JobFunction
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Social- og sundhedsassistent"


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    employee_number = factory.Sequence(lambda n: f"{100000 + n}")
    name = factory.Faker("name", locale="da_DK")
    email = factory.LazyAttribute(lambda p: f"m{p.employee_number}@example.dk")


class EngagementFactory(factory.django.DjangoModelFactory[Engagement]):
    class Meta:
        model = Engagement

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("person.organisation")
    unit = factory.SubFactory(OrgUnitFactory, organisation=factory.SelfAttribute("..organisation"))
    job_function = factory.SubFactory(
        JobFunctionFactory, organisation=factory.SelfAttribute("..organisation")
    )
    start_date = dt.date(2020, 1, 1)
    end_date = None
    is_primary = True


class UnitLeaderFactory(factory.django.DjangoModelFactory[UnitLeader]):
    class Meta:
        model = UnitLeader

    unit = factory.SubFactory(OrgUnitFactory)
    organisation = factory.SelfAttribute("unit.organisation")
    person = factory.SubFactory(PersonFactory, organisation=factory.SelfAttribute("..organisation"))
