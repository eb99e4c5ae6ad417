"""Framework pages: access, versions (list, install, publish, new version), locked versions, browsing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fagdigital.accounts.models import User
from fagdigital.frameworks import services
from fagdigital.frameworks.models import (
    Area,
    Competence,
    Framework,
    FrameworkStatus,
    LevelDescriptor,
    RoleTarget,
)
from fagdigital.frameworks.tests.pages import HTMX, body
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import (
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


# --- Access -------------------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_login(client: Client, published: Framework) -> None:
    for url in ["/rammer/", f"/rammer/{published.pk}/", "/rammer/min-rolle/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/log-ind/")


@pytest.mark.parametrize("roles", [["employee"], ["employee", "leader"], ["top_management"]])
def test_employees_and_leaders_browse_but_cannot_edit(
    member: Callable[..., Client], published: Framework, draft: Framework, roles: list[str]
) -> None:
    client = member(*roles)
    competence = published.competences.get(code="DS3")
    role = draft.role_profiles.first()
    draft_competence = draft.competences.first()
    for url in [
        "/rammer/",
        f"/rammer/{published.pk}/",
        f"/rammer/{published.pk}/kompetencer/{competence.pk}/",
        f"/rammer/{published.pk}/forskelle/",
        "/rammer/min-rolle/",
    ]:
        assert client.get(url).status_code == 200, url
    for url in [
        f"/rammer/{draft.pk}/rediger/",
        f"/rammer/{draft.pk}/maalniveauer/",
        f"/rammer/{draft.pk}/stillinger/",
        f"/rammer/{draft.pk}/rediger/fokusomraader/nyt/",
        f"/rammer/{draft.pk}/rediger/kompetencer/{draft_competence.pk}/",
        f"/rammer/{draft.pk}/udgiv/",
    ]:
        assert client.get(url).status_code == 403, url
    for url in [
        f"/rammer/{draft.pk}/maalniveauer/{role.pk}/{draft_competence.pk}/",
        f"/rammer/{draft.pk}/udgiv/",
        f"/rammer/{published.pk}/ny-version/",
        f"/rammer/{draft.pk}/rediger/kompetencer/{draft_competence.pk}/flyt/",
        "/rammer/installer-standardramme/",
    ]:
        assert (
            client.post(url, {"level": "4", "criticality": "kritisk", "direction": "up"}).status_code == 403
        )
    assert not RoleTarget.objects.filter(role_profile=role, competence=draft_competence, level=4).exists()
    assert Framework.objects.get(pk=draft.pk).status == FrameworkStatus.DRAFT


def test_drafts_are_only_shown_to_competence_admins(
    client_for: Callable[[User], Client],
    make_member: Callable[..., User],
    organisation: Organisation,
    draft: Framework,
) -> None:
    client = client_for(make_member(organisation, "employee"))
    assert client.get(f"/rammer/{draft.pk}/").status_code == 404
    assert "Version 2" not in body(client.get("/rammer/"))
    client = client_for(make_member(organisation, "competence_admin"))
    assert client.get(f"/rammer/{draft.pk}/").status_code == 200
    assert "Version 2" in body(client.get("/rammer/"))


def test_another_organisations_objects_are_not_found(admin: Client, organisation: Organisation) -> None:
    other = services.framework_new_version(
        framework=services.default_framework_install(organisation=OrganisationFactory())
    )
    competence, area, role = other.competences.first(), other.areas.first(), other.role_profiles.first()
    services.default_framework_install(organisation=organisation)
    for url in [
        f"/rammer/{other.pk}/",
        f"/rammer/{other.pk}/kompetencer/{competence.pk}/",
        f"/rammer/{other.pk}/rediger/",
        f"/rammer/{other.pk}/rediger/fokusomraader/{area.pk}/",
        f"/rammer/{other.pk}/maalniveauer/",
        f"/rammer/{other.pk}/stillinger/",
    ]:
        assert admin.get(url).status_code == 404, url
    response = admin.post(f"/rammer/{other.pk}/maalniveauer/{role.pk}/{competence.pk}/", {"level": "1"})
    assert response.status_code == 404


def test_objects_of_another_version_are_not_found_under_this_one(
    admin: Client, published: Framework, draft: Framework
) -> None:
    published_competence = published.competences.first()
    assert admin.get(f"/rammer/{draft.pk}/rediger/kompetencer/{published_competence.pk}/").status_code == 404
    assert admin.get(f"/rammer/{draft.pk}/kompetencer/{published_competence.pk}/").status_code == 404


# --- List, install, publish, new version --------------------------------------------------------------------


def test_admin_without_a_framework_is_offered_the_default(admin: Client) -> None:
    response = admin.get("/rammer/")
    assert "Installér standardrammen »Digital faglighed i velfærden«" in body(response)
    assert admin.get("/rammer/installer-standardramme/").status_code == 405
    response = admin.post("/rammer/installer-standardramme/", follow=True)
    assert "er installeret og udgivet" in body(response)
    assert Framework.objects.filter(status=FrameworkStatus.PUBLISHED).count() == 1


def test_employee_without_a_framework_is_told_so(
    client_for: Callable[[User], Client], make_member: Callable[..., User], organisation: Organisation
) -> None:
    text = body(client_for(make_member(organisation, "employee")).get("/rammer/"))
    assert "ingen kompetenceramme" in text
    assert "Installér standardrammen" not in text


def test_list_shows_versions_with_the_admin_actions(admin: Client, published: Framework) -> None:
    text = body(admin.get("/rammer/"))
    assert "Digital faglighed i velfærden" in text
    assert "Udgivet" in text
    assert f"/rammer/{published.pk}/ny-version/" in text
    assert f"/rammer/{published.pk}/eksport/json/" in text
    assert f"/rammer/{published.pk}/eksport/moodle-csv/" in text
    assert "/rammer/import/" in text
    assert f"/rammer/{published.pk}/stillinger/" in text


def test_new_version_creates_a_draft_once(admin: Client, published: Framework) -> None:
    response = admin.post(f"/rammer/{published.pk}/ny-version/")
    draft = Framework.objects.get(status=FrameworkStatus.DRAFT)
    assert response["Location"] == f"/rammer/{draft.pk}/rediger/"
    assert draft.version == 2 and draft.based_on == published
    response = admin.post(f"/rammer/{published.pk}/ny-version/", follow=True)
    assert "Der findes allerede en kladde af rammen: version 2" in body(response)
    assert Framework.objects.filter(status=FrameworkStatus.DRAFT).count() == 1
    text = body(admin.get("/rammer/"))
    assert f"/rammer/{draft.pk}/udgiv/" in text
    assert f"/rammer/{draft.pk}/forskelle/?mod={published.pk}" in text


def test_publishing_an_incomplete_draft_is_refused_with_the_problems(admin: Client, draft: Framework) -> None:
    competence = draft.competences.get(code="DS3")
    LevelDescriptor.objects.filter(competence=competence, level__in=[2, 4]).delete()
    text = body(admin.get(f"/rammer/{draft.pk}/udgiv/"))
    assert "Versionen kan ikke udgives endnu" in text
    assert "Kompetence DS3 mangler en dansk beskrivelse af niveau 2, 4." in text
    assert "Ja, udgiv version 2" not in text
    response = admin.post(f"/rammer/{draft.pk}/udgiv/", {"confirm": "udgiv"})
    assert response.status_code == 422
    assert "Kompetence DS3 mangler en dansk beskrivelse af niveau 2, 4." in body(response)
    assert Framework.objects.get(pk=draft.pk).status == FrameworkStatus.DRAFT


def test_publishing_asks_for_confirmation_saying_what_changes(
    admin: Client, published: Framework, draft: Framework
) -> None:
    competence = draft.competences.get(code="DS3")
    services.competence_update(
        competence=competence, descriptors={2: ("Skelner almindelige og følsomme oplysninger.", "")}
    )
    services.competence_update(competence=competence, material_change=True)
    text = body(admin.get(f"/rammer/{draft.pk}/udgiv/"))
    assert "Udgiv version 2 af »Digital faglighed i velfærden«?" in text
    assert "Version 1, som gælder nu, udgår." in text
    assert "I forhold til version 1: 0 tilføjet, 0 fjernet, 2 felter ændret." in text  # Danish and English
    assert f"/rammer/{draft.pk}/forskelle/?mod={published.pk}" in text
    assert "DS3 " + competence.name_da in text and "væsentligt ændret" in text
    assert 'name="confirm" value="udgiv"' in text

    # A POST without the confirmation (an old form, a double click elsewhere) only shows the question.
    response = admin.post(f"/rammer/{draft.pk}/udgiv/")
    assert response.status_code == 302 and response["Location"] == f"/rammer/{draft.pk}/udgiv/"
    assert Framework.objects.get(pk=draft.pk).status == FrameworkStatus.DRAFT


def test_publishing_a_draft_retires_the_published_version(
    admin: Client, published: Framework, draft: Framework
) -> None:
    response = admin.post(f"/rammer/{draft.pk}/udgiv/", {"confirm": "udgiv"}, follow=True)
    assert "Version 2 af »Digital faglighed i velfærden« er udgivet" in body(response)
    assert Framework.objects.get(pk=draft.pk).status == FrameworkStatus.PUBLISHED
    assert Framework.objects.get(pk=published.pk).status == FrameworkStatus.RETIRED
    # Asking again about a published version answers with the way forward.
    assert admin.get(f"/rammer/{draft.pk}/udgiv/").status_code == 409


# --- Editing a published version is refused -----------------------------------------------------------------


def test_editing_a_published_version_is_refused_with_the_way_forward(
    admin: Client, published: Framework
) -> None:
    area = published.areas.first()
    competence = published.competences.get(code="DS3")
    role = published.role_profiles.get(code="sosu-hjaelper")
    before = RoleTarget.objects.filter(role_profile__framework=published).count()

    response = admin.get(f"/rammer/{published.pk}/rediger/")
    assert response.status_code == 409
    text = body(response)
    assert "er udgivet og kan ikke ændres. Opret en ny version for at redigere." in text
    assert f'action="/rammer/{published.pk}/ny-version/"' in text

    response = admin.post(
        f"/rammer/{published.pk}/rediger/fokusomraader/{area.pk}/", {"name_da": "Ændret", "name_en": ""}
    )
    assert response.status_code == 409
    assert "Opret en ny version" in body(response)
    assert Area.objects.get(pk=area.pk).name_da != "Ændret"

    response = admin.post(
        f"/rammer/{published.pk}/maalniveauer/{role.pk}/{competence.pk}/",
        {"level": "4", "criticality": "kritisk"},
        headers=HTMX,
    )
    assert response.status_code == 409
    text = body(response)
    assert text.lstrip().startswith("<td") and "Opret en ny version" in text and 'role="alert"' in text
    assert RoleTarget.objects.filter(role_profile__framework=published).count() == before
    assert admin.post(
        f"/rammer/{published.pk}/rediger/kompetencer/{competence.pk}/flyt/", {"direction": "up"}
    )
    assert list(Competence.objects.filter(pk=competence.pk).values_list("position", flat=True)) == [
        competence.position
    ]


def test_locked_page_points_to_an_existing_draft(
    admin: Client, published: Framework, draft: Framework
) -> None:
    text = body(admin.get(f"/rammer/{published.pk}/rediger/"))
    assert "Der findes allerede en kladde af rammen: version 2" in text
    assert f'href="/rammer/{draft.pk}/rediger/"' in text


def test_published_grid_is_read_only(admin: Client, published: Framework) -> None:
    response = admin.get(f"/rammer/{published.pk}/maalniveauer/")
    text = body(response)
    assert response.status_code == 200
    assert "Opret en ny version for at redigere" in text
    assert "<select" not in text
    assert "Kritisk" in text


# --- Browse -------------------------------------------------------------------------------------------------


def test_detail_shows_areas_and_competences_with_references(
    client_for: Callable[[User], Client],
    make_member: Callable[..., User],
    organisation: Organisation,
    published: Framework,
) -> None:
    text = body(client_for(make_member(organisation, "employee")).get(f"/rammer/{published.pk}/"))
    ds3 = published.competences.get(code="DS3")
    assert "Data- og informationssikkerhed" in text
    assert f"/rammer/{published.pk}/kompetencer/{ds3.pk}/" in text
    assert "4.2 Beskytte personlige data og privatliv" in text
    assert "Omsorgsjournal" in text  # the IT system behind the category
    assert "Ekspert" in text  # level names
    assert "Integreret (digital og faglig)" in text


def test_detail_follows_the_chosen_language(admin: Client, published: Framework) -> None:
    admin.cookies["django_language"] = "en"
    text = body(admin.get(f"/rammer/{published.pk}/"))
    assert "Data and information security" in text
    assert "Expert" in text


def test_competence_page_shows_the_level_descriptors_and_targeting_role_profiles(
    client_for: Callable[[User], Client],
    make_member: Callable[..., User],
    organisation: Organisation,
    published: Framework,
) -> None:
    competence = published.competences.get(code="DS3")
    client = client_for(make_member(organisation, "employee"))
    text = body(client.get(f"/rammer/{published.pk}/kompetencer/{competence.pk}/"))
    for descriptor in competence.descriptors.all():
        assert descriptor.text_da[:40] in text
    assert "Niveau 4: Ekspert" in text
    target = RoleTarget.objects.filter(competence=competence).select_related("role_profile").first()
    assert target.role_profile.name_da in text
    assert target.get_criticality_display() in text
