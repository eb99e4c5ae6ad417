"""Job functions follow a role profile by their job code (stillingskode) as well as by their title."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.http import HttpResponse
from django.test import Client

from fagdigital.accounts.models import User
from fagdigital.frameworks import selectors, services
from fagdigital.frameworks.models import Framework, JobCodeMapping, JobFunctionMapping
from fagdigital.orgs.models import JobFunction, clean_job_code
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import EngagementFactory, JobFunctionFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(organisation: Organisation) -> Framework:
    return services.default_framework_install(organisation=organisation)


@pytest.fixture
def admin(
    client_for: Callable[[User], Client], make_member: Callable[..., User], organisation: Organisation
) -> Client:
    return client_for(make_member(organisation, "competence_admin"))


def body(response: HttpResponse) -> str:
    return response.content.decode()


def job(organisation: Organisation, name: str, code: str = "", people: int = 0) -> JobFunction:
    job_function = JobFunctionFactory(organisation=organisation, name=name, job_code=code)
    for _ in range(people):
        EngagementFactory(person=PersonFactory(organisation=organisation), job_function=job_function)
    return job_function


def mappings(organisation: Organisation) -> dict[str, str]:
    return {
        JobFunction.objects.get(pk=jf).name: code
        for jf, code in JobFunctionMapping.objects.filter(organisation=organisation).values_list(
            "job_function_id", "role_profile_code"
        )
    }


def test_a_job_code_in_the_table_suggests_its_role_profile_before_the_title(
    organisation: Organisation, published: Framework
) -> None:
    # "Pædagog" by title, but the code says these work on a botilbud.
    job(organisation, "Pædagog", code="9901")
    job(organisation, "Sygeplejerske", code="9902")
    JobCodeMapping.objects.create(
        organisation=organisation,
        framework_key=published.key,
        job_code="9901",
        role_profile_code="socialpaedagog",
    )
    rows = {
        r.job_function.name: r
        for r in selectors.job_function_rows(organisation=organisation, framework=published)
    }
    assert (rows["Pædagog"].suggested_code, rows["Pædagog"].suggestion_source) == (
        "socialpaedagog",
        "job_code",
    )
    assert (rows["Sygeplejerske"].suggested_code, rows["Sygeplejerske"].suggestion_source) == (
        "sygeplejerske",
        "title",
    )


def test_a_code_whose_role_profile_is_not_in_the_version_falls_back_to_the_title(
    organisation: Organisation, published: Framework
) -> None:
    job(organisation, "Lærer", code="77")
    JobCodeMapping.objects.create(
        organisation=organisation, framework_key=published.key, job_code="77", role_profile_code="forsvundet"
    )
    [row] = selectors.job_function_rows(organisation=organisation, framework=published)
    assert (row.suggested_code, row.suggestion_source) == ("laerer", "title")


def test_setting_the_table_maps_job_functions_without_a_mapping_and_never_changes_one(
    organisation: Organisation, published: Framework
) -> None:
    job(organisation, "Pædagog, Kløverhuset", code="9901")
    job(organisation, "Pædagog, Lyngbo", code="9901")
    chosen = job(organisation, "Pædagog, Bakken", code="9901")
    job(organisation, "Pædagog", code="9900")
    services.job_function_mappings_set(
        organisation=organisation, framework=published, mappings={chosen.pk: "paedagog"}
    )
    result = services.job_code_mappings_set(
        organisation=organisation, framework=published, mappings={" 99 01 ": "socialpaedagog"}
    )
    assert (result.changed, result.job_functions_mapped) == (1, 2)
    assert mappings(organisation) == {
        "Pædagog, Kløverhuset": "socialpaedagog",
        "Pædagog, Lyngbo": "socialpaedagog",
        "Pædagog, Bakken": "paedagog",
    }
    assert selectors.job_code_table(organisation=organisation, framework=published) == {
        "9901": "socialpaedagog"
    }
    # Changing and removing codes: the job functions keep the mapping they got.
    assert services.job_code_mappings_set(
        organisation=organisation, framework=published, mappings={"9901": None}
    ) == services.JobCodeResult(changed=1, job_functions_mapped=0)
    assert JobCodeMapping.objects.count() == 0
    assert mappings(organisation)["Pædagog, Lyngbo"] == "socialpaedagog"


@pytest.mark.parametrize(
    "bad",
    [{"9901": "findes-ikke"}, {"": "laerer"}, {"1" * 21: "laerer"}],
)
def test_a_bad_table_changes_nothing(
    organisation: Organisation, published: Framework, bad: dict[str, str]
) -> None:
    job(organisation, "Lærer", code="9901")
    with pytest.raises(ValueError):
        services.job_code_mappings_set(organisation=organisation, framework=published, mappings=bad)
    assert not JobCodeMapping.objects.exists() and not JobFunctionMapping.objects.exists()


def test_the_table_is_per_organisation_and_holds_for_new_versions(
    organisation: Organisation, published: Framework
) -> None:
    other = Organisation.objects.create(kind="municipality", name="Anden", kommunekode="9997")
    other_framework = services.default_framework_install(organisation=other)
    services.job_code_mappings_set(organisation=other, framework=other_framework, mappings={"12": "laerer"})
    job(organisation, "Underviser", code="12")
    [row] = selectors.job_function_rows(organisation=organisation, framework=published)
    assert row.suggested_code is None
    services.job_code_mappings_set(organisation=organisation, framework=published, mappings={"12": "laerer"})
    draft = services.framework_new_version(framework=published)
    assert selectors.job_code_table(organisation=organisation, framework=draft) == {"12": "laerer"}


def test_onboarding_maps_by_job_code_and_by_title(organisation: Organisation, published: Framework) -> None:
    job(organisation, "Medarbejder, Bostedet", code="9901")
    job(organisation, "Sygeplejerske")
    job(organisation, "Kantineassistent", code="555")
    JobCodeMapping.objects.create(
        organisation=organisation,
        framework_key=published.key,
        job_code="9901",
        role_profile_code="socialpaedagog",
    )
    result = services.organisation_onboard(organisation=organisation)
    assert result.job_functions_mapped == 2
    assert mappings(organisation) == {
        "Medarbejder, Bostedet": "socialpaedagog",
        "Sygeplejerske": "sygeplejerske",
    }


def test_job_codes_are_stored_without_spaces() -> None:
    assert clean_job_code(" 264 16\t") == "26416"
    assert clean_job_code("264-16") == "264-16"


# --- The pages ---------------------------------------------------------------------------------------------


def test_the_job_code_page_lists_codes_with_titles_and_people_and_saves(
    admin: Client, organisation: Organisation, published: Framework
) -> None:
    job(organisation, "Pædagog, Kløverhuset", code="9901", people=3)
    job(organisation, "Pædagog, Lyngbo", code="9901", people=2)
    job(organisation, "Dagplejer", code="9903", people=1)
    url = f"/rammer/{published.pk}/stillingskoder/"
    text = body(admin.get(url))
    assert "2 stillingskoder har ingen rolleprofil." in text
    assert "Pædagog, Kløverhuset" in text and ">5</td>" in text
    response = admin.post(
        url,
        {"jc-9901": "socialpaedagog", "jc-9903": "", "new_code": "88 01", "new_role": "dagplejer"},
        follow=True,
    )
    text = body(response)
    assert "2 stillingskoder er gemt." in text
    assert "2 stillingsbetegnelser uden rolleprofil følger nu deres stillingskode." in text
    assert selectors.job_code_table(organisation=organisation, framework=published) == {
        "9901": "socialpaedagog",
        "8801": "dagplejer",
    }
    # The job functions page shows the codes and where a suggestion comes from.
    job(organisation, "Pædagog, Engen", code="9901")
    text = body(admin.get(f"/rammer/{published.pk}/stillinger/"))
    assert "Forslag ud fra stillingskoden" in text and "9901" in text


def test_the_job_code_page_refuses_a_new_code_without_role_and_unknown_roles(
    admin: Client, organisation: Organisation, published: Framework
) -> None:
    url = f"/rammer/{published.pk}/stillingskoder/"
    text = body(admin.post(url, {"new_code": "123", "new_role": ""}))
    assert "Vælg den rolleprofil, som stillingskoden skal følge." in text
    text = body(admin.post(url, {"new_code": "123", "new_role": "findes-ikke"}))
    assert "Vælg en af rammens rolleprofiler på listen." in text
    text = body(admin.post(url, {"new_code": "1" * 21, "new_role": "laerer"}))
    assert "En stillingskode må højst være 20 tegn." in text
    assert not JobCodeMapping.objects.exists()


def test_only_competence_admins_of_the_organisation_see_the_job_code_page(
    client_for: Callable[[User], Client],
    make_member: Callable[..., User],
    organisation: Organisation,
    published: Framework,
) -> None:
    url = f"/rammer/{published.pk}/stillingskoder/"
    assert client_for(make_member(organisation, "employee")).get(url).status_code == 403
    other = Organisation.objects.create(kind="municipality", name="Anden", kommunekode="9997")
    assert client_for(make_member(other, "competence_admin")).get(url).status_code == 404
