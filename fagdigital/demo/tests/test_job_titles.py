"""Every job title the demo generators write follows a role profile of the bundled framework (issue 12)."""

from __future__ import annotations

import pytest

from fagdigital.demo.generator import demo_rows, generate_rows, nabo_rows
from fagdigital.frameworks import selectors, services
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import JobFunctionFactory

pytestmark = pytest.mark.django_db

# Where the title alone decides, and a reviewer would expect a specific profile.
EXPECTED = {
    "Fysioterapeut": "terapeut",
    "Ergoterapeut": "terapeut",
    "Visitator": "visitator",
    "Pædagogmedhjælper": "paedagogmedhjaelper",
    "Dagplejer": "dagplejer",
    "Socialpædagog": "socialpaedagog",
    "Familiebehandler": "familiebehandler",
    "Sundhedsplejerske": "sundhedsplejerske",
    "Skolesekretær": "skolesekretaer",
    "HR-konsulent": "konsulent",
    "Lønkonsulent": "konsulent",
    "Økonomikonsulent": "konsulent",
    "IT-supporter": "it-digitalisering",
    "Digitaliseringskonsulent": "it-digitalisering",
    "Centerchef": "fagchef",
    "Digitaliseringschef": "fagchef",
    "Direktør": "direktion",
    "Kommunaldirektør": "direktion",
    "Teamleder": "leder",
}


def test_every_demo_job_title_is_suggested_a_role_profile(organisation: Organisation) -> None:
    titles = {
        row.job_function
        for rows in (demo_rows(), nabo_rows(), generate_rows(employees=3_000, seed=1))
        for row in rows
    }
    for title in titles:
        JobFunctionFactory(organisation=organisation, name=title)
    framework = services.default_framework_install(organisation=organisation)
    rows = selectors.job_function_rows(organisation=organisation, framework=framework)
    suggested = {row.job_function.name: row.suggested_code for row in rows}
    assert [title for title, code in sorted(suggested.items()) if code is None] == []
    assert {title: suggested[title] for title in EXPECTED} == EXPECTED
    # The HR, finance and IT units have people in a profile, so their cells are not empty.
    assert {suggested[t] for t in ("HR-konsulent", "Økonomikonsulent", "IT-supporter")} <= {
        "konsulent",
        "it-digitalisering",
    }
