"""Differences between versions, job functions, "Min rolle" and the pages' query counts."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fagdigital.accounts.models import User
from fagdigital.frameworks import services
from fagdigital.frameworks.models import (
    Competence,
    Framework,
    JobFunctionMapping,
    LevelDescriptor,
    RoleProfile,
    RoleTarget,
)
from fagdigital.frameworks.tests.pages import body
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import (
    EngagementFactory,
    JobFunctionFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


# --- Differences --------------------------------------------------------------------------------------------


def test_diff_shows_what_changed_between_versions(
    client_for: Callable[[User], Client],
    make_member: Callable[..., User],
    organisation: Organisation,
    published: Framework,
    draft: Framework,
) -> None:
    competence = draft.competences.get(code="DS3")
    services.competence_update(
        competence=competence, name_da="Personoplysninger i hverdagen", kind=competence.kind, digcomp=["4.2"]
    )
    services.area_create(framework=draft, code="VT", name_da="Velfærdsteknologi")
    admin = client_for(make_member(organisation, "competence_admin"))
    text = body(admin.get(f"/rammer/{draft.pk}/forskelle/"))  # defaults to the version it is based on
    assert "Forskelle fra version 1 til version 2" in text
    assert "Kompetence DS3" in text and "Personoplysninger i hverdagen" in text
    assert "Fokusområde VT" in text and "Tilføjet" in text
    assert '<th scope="col">Før</th>' in text

    # Asking from the old version for the new one shows the same direction.
    text = body(admin.get(f"/rammer/{published.pk}/forskelle/?mod={draft.pk}"))
    assert "Forskelle fra version 1 til version 2" in text

    response = admin.get(f"/rammer/{published.pk}/forskelle/?mod=999999")
    assert "Vælg en af organisationens versioner på listen." in body(response)

    # Employees cannot compare with a draft they cannot see.
    employee = client_for(make_member(organisation, "employee"))
    text = body(employee.get(f"/rammer/{published.pk}/forskelle/?mod={draft.pk}"))
    assert "Personoplysninger i hverdagen" not in text


# --- Job functions ------------------------------------------------------------------------------------------


def test_job_function_page_lists_unmapped_first_with_suggestions_and_saves(
    admin: Client, organisation: Organisation, published: Framework
) -> None:
    for name, people in [("Social- og sundhedsassistent", 3), ("Pædagog", 1), ("Gartner", 2)]:
        job = JobFunctionFactory(organisation=organisation, name=name)
        for _ in range(people):
            EngagementFactory(person=PersonFactory(organisation=organisation), job_function=job)
    mapped = JobFunctionFactory(organisation=organisation, name="Pædagog")
    JobFunctionMapping.objects.create(
        organisation=organisation,
        job_function_id=mapped.pk,
        framework_key=published.key,
        role_profile_code="paedagog",
    )
    url = f"/rammer/{published.pk}/stillinger/"
    text = body(admin.get(url))
    assert "2 stillingsbetegnelser er ikke knyttet til en rolleprofil." in text
    assert text.index("Social- og sundhedsassistent</th>") < text.index("Pædagog</th>")
    assert "Forslag" in text
    assert '<option value="sosu-assistent" selected>' in text

    assistant = JobFunctionFactory(organisation=organisation, name="Social- og sundhedsassistent")
    gardener = JobFunctionFactory(organisation=organisation, name="Gartner")
    response = admin.post(
        url,
        {f"jf-{assistant.pk}": "sosu-assistent", f"jf-{gardener.pk}": "", f"jf-{mapped.pk}": "paedagog"},
        follow=True,
    )
    assert "1 tilknytning er gemt." in body(response)
    assert "1 stillingsbetegnelse er ikke knyttet til en rolleprofil." in body(response)
    assert JobFunctionMapping.objects.get(job_function_id=assistant.pk).role_profile_code == "sosu-assistent"

    # The mapping is by code, so it holds for the next version too.
    draft = services.framework_new_version(framework=published)
    assert "1 stillingsbetegnelse er ikke knyttet" in body(admin.get(f"/rammer/{draft.pk}/stillinger/"))


def test_job_function_page_refuses_unknown_role_profiles(
    admin: Client, organisation: Organisation, published: Framework
) -> None:
    job = JobFunctionFactory(organisation=organisation, name="Gartner")
    response = admin.post(f"/rammer/{published.pk}/stillinger/", {f"jf-{job.pk}": "astronaut"})
    assert response.status_code == 200
    assert "Vælg en af rammens rolleprofiler på listen." in body(response)
    assert not JobFunctionMapping.objects.exists()


# --- My role ------------------------------------------------------------------------------------------------


@pytest.fixture
def assistant(
    client_for: Callable[[User], Client], make_member: Callable[..., User], organisation: Organisation
) -> Client:
    person = PersonFactory(organisation=organisation)
    EngagementFactory(
        person=person, job_function=JobFunctionFactory(organisation=organisation, name="SOSU-assistent")
    )
    return client_for(make_member(organisation, "employee", person=person))


def test_my_role_shows_what_is_expected_critical_first(
    assistant: Client, organisation: Organisation, published: Framework
) -> None:
    services.job_functions_map_by_suggestion(organisation=organisation, framework=published)
    text = body(assistant.get("/rammer/min-rolle/"))
    assert "følger du rolleprofilen »Social- og sundhedsassistent«" in text
    role = published.role_profiles.get(code="sosu-assistent")
    ds_targets = list(
        RoleTarget.objects.filter(role_profile=role, competence__area__code="DS").select_related("competence")
    )
    critical = [t for t in ds_targets if t.criticality == "kritisk"]
    other = [t for t in ds_targets if t.criticality != "kritisk"]
    assert critical and other
    assert text.index(f"{critical[0].competence.code} ") < text.index(f"{other[0].competence.code} ")
    descriptor = LevelDescriptor.objects.get(competence=critical[0].competence, level=critical[0].level)
    assert escape(descriptor.text_da[:40]) in text
    assert escape(critical[0].competence.description_da[:40]) in text
    assert "Det gør du på niveauet" in text and "Hvorfor det betyder noget" in text


def test_my_role_explains_a_missing_mapping_person_or_framework(
    assistant: Client,
    client_for: Callable[[User], Client],
    make_member: Callable[..., User],
    organisation: Organisation,
) -> None:
    assert "ikke udgivet en kompetenceramme endnu" in body(assistant.get("/rammer/min-rolle/"))
    services.default_framework_install(organisation=organisation)
    assert "»SOSU-assistent« er endnu ikke knyttet til en rolleprofil" in body(
        assistant.get("/rammer/min-rolle/")
    )
    no_person = client_for(make_member(organisation, "employee"))
    assert "ikke registreret som medarbejder" in body(no_person.get("/rammer/min-rolle/"))


def test_menu_shows_the_framework_to_everyone_and_my_role_to_employees(
    assistant: Client,
    client_for: Callable[[User], Client],
    make_member: Callable[..., User],
    organisation: Organisation,
) -> None:
    text = body(assistant.get("/"))
    assert 'href="/rammer/"' in text and 'href="/rammer/min-rolle/"' in text
    text = body(client_for(make_member(organisation, "competence_admin")).get("/"))
    assert 'href="/rammer/"' in text and 'href="/rammer/min-rolle/"' not in text


# --- Query counts -------------------------------------------------------------------------------------------


def grow(framework: Framework, *, competences: int, roles: int) -> None:
    """Add competences (with descriptors) and role profiles (with targets) to a framework."""
    area = framework.areas.get(code="DL")
    organisation = framework.organisation
    for i in range(competences):
        competence = Competence.objects.create(
            organisation=organisation,
            framework=framework,
            area=area,
            code=f"X{i}",
            name_da=f"Ekstra {i}",
            digcomp=["1.1"],
            it_system_categories=["omsorgsjournal"],
            position=100 + i,
        )
        for level in range(1, 5):
            LevelDescriptor.objects.create(
                organisation=organisation, competence=competence, level=level, text_da=f"Tekst {level}"
            )
    for i in range(roles):
        role = RoleProfile.objects.create(
            organisation=organisation,
            framework=framework,
            code=f"rolle-{i}",
            name_da=f"Rolle {i}",
            position=100 + i,
        )
        for competence in framework.competences.all()[:5]:
            RoleTarget.objects.create(
                organisation=organisation,
                role_profile=role,
                competence=competence,
                level=2,
                criticality="vigtig",
            )


def count_queries(client: Client, url: str) -> int:
    client.get(url)  # warm up (session, caches)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_page_query_counts_do_not_grow_with_the_framework(
    client_for: Callable[[User], Client],
    make_member: Callable[..., User],
    organisation: Organisation,
    published: Framework,
) -> None:
    draft = services.framework_new_version(framework=published)
    services.job_functions_map_by_suggestion(organisation=organisation, framework=published)
    competence = draft.competences.get(code="DS3")
    admin_user = make_member(organisation, "competence_admin")
    person = PersonFactory(organisation=organisation)
    EngagementFactory(
        person=person, job_function=JobFunctionFactory(organisation=organisation, name="SOSU-assistent")
    )
    person.user = admin_user
    person.save()
    admin = client_for(admin_user)
    urls = [
        "/rammer/",
        f"/rammer/{draft.pk}/",
        f"/rammer/{draft.pk}/kompetencer/{competence.pk}/",
        f"/rammer/{draft.pk}/rediger/",
        f"/rammer/{draft.pk}/maalniveauer/",
        f"/rammer/{draft.pk}/stillinger/",
        f"/rammer/{draft.pk}/forskelle/",
        f"/rammer/{draft.pk}/rediger/kompetencer/{competence.pk}/",
        f"/rammer/{draft.pk}/udgiv/",
        "/rammer/min-rolle/",
    ]
    small = {url: count_queries(admin, url) for url in urls}
    grow(draft, competences=15, roles=8)
    grow(published, competences=15, roles=8)
    for i in range(10):
        EngagementFactory(
            person=PersonFactory(organisation=organisation),
            job_function=JobFunctionFactory(organisation=organisation, name=f"Stilling {i}"),
        )
    large = {url: count_queries(admin, url) for url in urls}
    assert large == small
    # A fixed handful per page: session (3 with its save), user, membership, the menu's person check, data.
    # The difference page reads both versions whole (about 7 queries each); the publishing page does too, and
    # checks what blocks publishing and which competences are material changes.
    publish = small.pop(f"/rammer/{draft.pk}/udgiv/")
    assert max(small.values()) <= 24, small
    assert publish <= 30, publish
