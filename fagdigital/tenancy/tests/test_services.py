from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fagdigital.tenancy.models import Membership, Network, Organisation, OrganisationKind, Role
from fagdigital.tenancy.selectors import membership_for_user, municipality_by_code
from fagdigital.tenancy.services import (
    membership_grant,
    municipalities_load,
    network_ensure,
    organisation_ensure,
)
from fagdigital.testing.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_98_municipalities_ship_with_codes_and_regions() -> None:
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, kommunekode__lt="0900")
    assert municipalities.count() == 98
    assert municipalities.get(kommunekode="0101").name == "Københavns Kommune"
    assert municipalities.get(kommunekode="0751").region == "Region Midtjylland"
    assert municipality_by_code(kommunekode="101") == municipalities.get(kommunekode="0101")
    assert municipalities_load() == 0  # already there: nothing changes


def test_membership_grant_merges_roles_and_refuses_unknown_ones() -> None:
    user, organisation = UserFactory(), OrganisationFactory()
    membership_grant(user=user, organisation=organisation, roles=[Role.EMPLOYEE])
    membership = membership_grant(user=user, organisation=organisation, roles=[Role.LEADER])
    assert membership.roles == ["employee", "leader"]
    assert Membership.objects.filter(user=user).count() == 1
    with pytest.raises(ValueError, match="unknown roles"):
        membership_grant(user=user, organisation=organisation, roles=["superhero"])


def test_current_membership_falls_back_to_the_first_when_the_chosen_is_not_the_users() -> None:
    user = UserFactory()
    first = OrganisationFactory(name="Aaa")
    membership_grant(user=user, organisation=first, roles=[Role.EMPLOYEE])
    stranger = OrganisationFactory(name="Bbb")
    assert membership_for_user(user=user, organisation_id=stranger.pk).organisation == first


def test_organisation_and_network_ensure_are_idempotent() -> None:
    provider = organisation_ensure(kind=OrganisationKind.EDUCATION_PROVIDER, name="Professionshøjskolen")
    assert (
        organisation_ensure(kind=OrganisationKind.EDUCATION_PROVIDER, name="Professionshøjskolen") == provider
    )
    members = [OrganisationFactory(), OrganisationFactory()]
    network = network_ensure(name="Netværket", coordinator=provider, members=members)
    network_ensure(name="Netværket", coordinator=provider, members=members[:1])
    assert Network.objects.count() == 1
    assert set(network.members.all()) == set(members)


def test_k_can_be_raised_but_never_below_five(db: None) -> None:
    organisation = OrganisationFactory(kommunekode="0901")
    call_command("set_min_group_size", "--kommunekode", "0901", "--k", "8")
    organisation.refresh_from_db()
    assert organisation.min_group_size == 8
    with pytest.raises(CommandError):
        call_command("set_min_group_size", "--kommunekode", "0901", "--k", "3")
    organisation.refresh_from_db()
    assert organisation.min_group_size == 8
