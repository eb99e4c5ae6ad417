"""url_for_actor: menus and home pages offer only pages the reader's roles open."""

from __future__ import annotations

import pytest

from fagdigital.conftest import actor_for
from fagdigital.tenancy.access import url_for_actor
from fagdigital.testing.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_page_is_offered_only_to_the_roles_its_view_admits() -> None:
    hr = MembershipFactory(roles=["competence_admin"])
    employee = MembershipFactory(roles=["employee"], organisation=hr.organisation)
    hr_actor = actor_for(hr.user, hr.organisation)
    employee_actor = actor_for(employee.user, employee.organisation)
    assert url_for_actor(hr_actor, "orgs:roles") == "/struktur/roller/"
    assert url_for_actor(employee_actor, "orgs:roles") == ""
    # Views open to every member are offered to all, with their arguments.
    assert url_for_actor(employee_actor, "orgs:me") == "/struktur/mig/"
    assert url_for_actor(employee_actor, "orgs:person", 7) == "/struktur/personer/7/"


def test_unknown_pages_and_missing_readers_get_no_link() -> None:
    hr = MembershipFactory(roles=["competence_admin"])
    assert url_for_actor(actor_for(hr.user, hr.organisation), "orgs:no_such_page") == ""
    assert url_for_actor(None, "orgs:roles") == ""
