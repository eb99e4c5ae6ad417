from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from fagdigital.frameworks import selectors, services
from fagdigital.frameworks.formats import read_framework_json, write_framework_json
from fagdigital.frameworks.models import Framework, FrameworkStatus, JobFunctionMapping, RoleTarget
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import JobFunctionFactory

pytestmark = pytest.mark.django_db


def test_default_framework_installs_published_and_idempotently(organisation: Organisation) -> None:
    framework = services.default_framework_install(organisation=organisation)
    assert framework.status == FrameworkStatus.PUBLISHED
    assert services.default_framework_install(organisation=organisation) == framework
    assert Framework.objects.filter(organisation=organisation).count() == 1
    data = selectors.framework_as_data(framework=framework)
    assert [a.code for a in data.areas] == ["DL", "BK", "DS"]
    assert len(data.all_competences()) >= 18
    assert len(data.role_profiles) >= 11
    assert all(len(c.descriptors) == 4 for c in data.all_competences())


def test_default_framework_round_trips_through_json(organisation: Organisation) -> None:
    framework = services.default_framework_install(organisation=organisation)
    data = selectors.framework_as_data(framework=framework)
    parsed, problems = read_framework_json(write_framework_json(data))
    assert problems == []
    assert parsed is not None
    other = Organisation.objects.create(kind="municipality", name="Anden", kommunekode="9998")
    copy = services.framework_create_from_data(organisation=other, data=parsed)
    assert selectors.framework_as_data(framework=copy) == data


def test_published_framework_refuses_edits_and_new_version_copies_it(organisation: Organisation) -> None:
    framework = services.default_framework_install(organisation=organisation)
    role = framework.role_profiles.get(code="sosu-hjaelper")
    competence = framework.competences.exclude(targets__role_profile=role).first()
    with pytest.raises(services.FrameworkLockedError, match="Opret en ny version"):
        services.role_target_set(role_profile=role, competence=competence, level=4, criticality="kritisk")

    draft = services.framework_new_version(framework=framework)
    assert draft.version == 2 and draft.status == FrameworkStatus.DRAFT
    draft_role = draft.role_profiles.get(code=role.code)
    draft_competence = draft.competences.get(code=competence.code)
    services.role_target_set(
        role_profile=draft_role, competence=draft_competence, level=4, criticality="kritisk"
    )
    changes = selectors.framework_differences(old=framework, new=draft)
    assert [(c.kind, c.what, c.field, c.before, c.after) for c in changes] == [
        ("changed", f"Rolleprofil {role.code}", f"mål {competence.code}", "", "4 (kritisk)")
    ]
    assert RoleTarget.objects.get(role_profile=draft_role, competence=draft_competence).level == 4

    services.framework_publish(framework=draft)
    framework.refresh_from_db()
    assert framework.status == FrameworkStatus.RETIRED


def test_onboarding_a_new_municipality_installs_the_default_framework_and_maps_job_functions(
    organisation: Organisation,
) -> None:
    nurse = JobFunctionFactory(organisation=organisation, name="Sygeplejerske")
    odd = JobFunctionFactory(organisation=organisation, name="Kantineassistent")
    call_command("onboard_organisation", "--org", organisation.kommunekode, stdout=StringIO())
    framework = Framework.objects.get(organisation=organisation)
    assert framework.status == FrameworkStatus.PUBLISHED
    mappings = dict(JobFunctionMapping.objects.values_list("job_function_id", "role_profile_code"))
    assert mappings == {nurse.pk: "sygeplejerske"}
    assert odd.pk not in mappings
    again = services.organisation_onboard(organisation=organisation)
    assert again.framework == framework and again.job_functions_mapped == 0
