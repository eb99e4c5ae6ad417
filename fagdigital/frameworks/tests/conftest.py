"""Fixtures of the framework page tests: the bundled framework, a draft of its next version, clients."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fagdigital.accounts.models import User
from fagdigital.frameworks import services
from fagdigital.frameworks.models import (
    Framework,
)
from fagdigital.tenancy.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(organisation: Organisation) -> Framework:
    return services.default_framework_install(organisation=organisation)


@pytest.fixture
def draft(published: Framework) -> Framework:
    return services.framework_new_version(framework=published)


@pytest.fixture
def member(
    client_for: Callable[[User], Client], make_member: Callable[..., User], organisation: Organisation
) -> Callable[..., Client]:
    """A client logged in as a new member of the organisation with the given roles."""

    def make(*roles: str) -> Client:
        return client_for(make_member(organisation, *roles))

    return make


@pytest.fixture
def admin(
    client_for: Callable[[User], Client], make_member: Callable[..., User], organisation: Organisation
) -> Client:
    return client_for(make_member(organisation, "competence_admin"))
