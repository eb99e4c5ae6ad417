from __future__ import annotations

import json
from collections.abc import Callable
from html import escape

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fagdigital.accounts.models import User
from fagdigital.frameworks import services
from fagdigital.frameworks.models import (
    Area,
    Competence,
    Framework,
    FrameworkStatus,
    JobFunctionMapping,
    LevelDescriptor,
    RoleProfile,
    RoleTarget,
)
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import (
    EngagementFactory,
    JobFunctionFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


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


def body(response: HttpResponse) -> str:
    return response.content.decode()


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


# --- Editor -------------------------------------------------------------------------------------------------


def test_edit_page_shows_the_tree_with_danish_and_english_fields(admin: Client, draft: Framework) -> None:
    text = body(admin.get(f"/rammer/{draft.pk}/rediger/"))
    assert "Redigér »Digital faglighed i velfærden«, version 2" in text
    assert 'name="name_da"' in text and 'name="name_en"' in text and 'lang="en"' in text
    assert "Versionen er klar til at blive udgivet" in text
    assert text.count("Flyt op") >= 20


def test_framework_texts_are_saved(admin: Client, draft: Framework) -> None:
    response = admin.post(
        f"/rammer/{draft.pk}/rediger/",
        {"name_da": "Vores ramme", "name_en": "Our framework", "description_da": "", "description_en": ""},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.name_da, draft.name_en) == ("Vores ramme", "Our framework")


def test_area_is_created_and_edited(admin: Client, draft: Framework) -> None:
    response = admin.post(
        f"/rammer/{draft.pk}/rediger/fokusomraader/nyt/",
        {"code": "VT", "name_da": "Velfærdsteknologi", "name_en": "Welfare technology"},
    )
    area = Area.objects.get(framework=draft, code="VT")
    assert response["Location"] == f"/rammer/{draft.pk}/rediger/#area-{area.pk}"
    assert area.position == 3
    admin.post(
        f"/rammer/{draft.pk}/rediger/fokusomraader/{area.pk}/",
        {"name_da": "Teknologi i velfærden", "name_en": "", "code": "IGNORED"},
    )
    area.refresh_from_db()
    assert (area.code, area.name_da) == ("VT", "Teknologi i velfærden")


def test_area_form_explains_what_is_wrong_and_saves_nothing(admin: Client, draft: Framework) -> None:
    response = admin.post(f"/rammer/{draft.pk}/rediger/fokusomraader/nyt/", {"code": "DS", "name_da": ""})
    text = body(response)
    assert response.status_code == 200
    assert "Koden »DS« bruges allerede i denne version. Vælg en anden kode." in text
    assert "Skriv navnet på dansk." in text
    assert 'aria-invalid="true"' in text
    response = admin.post(f"/rammer/{draft.pk}/rediger/fokusomraader/nyt/", {"code": "a b", "name_da": "X"})
    assert "Koden må kun indeholde bogstaver" in body(response)
    assert Area.objects.filter(framework=draft).count() == 3


def test_competence_is_created_with_descriptors(admin: Client, draft: Framework) -> None:
    area = draft.areas.get(code="DS")
    data = {
        "code": "DS9",
        "name_da": "Sikker brug af kunstig intelligens",
        "name_en": "Safe use of AI",
        "kind": "digital",
        "digcomp": "4.2, 1.2",
        "it_system_categories": ["ai-chat"],
        **{f"level_{n}_da": f"Gør noget på niveau {n}" for n in range(1, 5)},
        "level_1_en": "Does something at level 1",
    }
    response = admin.post(f"/rammer/{draft.pk}/rediger/fokusomraader/{area.pk}/ny-kompetence/", data)
    competence = Competence.objects.get(framework=draft, code="DS9")
    assert response["Location"] == f"/rammer/{draft.pk}/rediger/#competence-{competence.pk}"
    assert competence.digcomp == ["4.2", "1.2"]
    assert competence.it_system_categories == ["ai-chat"]
    assert competence.kind == "digital"
    descriptors = {d.level: (d.text_da, d.text_en) for d in competence.descriptors.all()}
    assert descriptors[1] == ("Gør noget på niveau 1", "Does something at level 1")
    assert sorted(descriptors) == [1, 2, 3, 4]


def test_competence_edit_shows_descriptors_side_by_side_and_saves_them(
    admin: Client, draft: Framework
) -> None:
    competence = draft.competences.get(code="DS3")
    url = f"/rammer/{draft.pk}/rediger/kompetencer/{competence.pk}/"
    text = body(admin.get(url))
    assert "Niveau 1: Begynder" in text and "Niveau 4: Ekspert" in text
    assert 'name="level_4_en"' in text
    assert competence.descriptors.get(level=2).text_da[:30] in text
    response = admin.post(
        url,
        {
            "name_da": "Personoplysninger",
            "name_en": "Personal data",
            "kind": "integrated",
            "digcomp": "4.2",
            **{f"level_{n}_da": f"Ny tekst {n}" for n in range(1, 5)},
        },
    )
    assert response.status_code == 302
    competence.refresh_from_db()
    assert competence.name_da == "Personoplysninger"
    assert competence.descriptors.get(level=3).text_da == "Ny tekst 3"
    assert competence.it_system_categories == []


def test_competence_form_rejects_unknown_digcomp_references(admin: Client, draft: Framework) -> None:
    competence = draft.competences.get(code="DS3")
    response = admin.post(
        f"/rammer/{draft.pk}/rediger/kompetencer/{competence.pk}/",
        {"name_da": "X", "kind": "integrated", "digcomp": "4.2, 9.9"},
    )
    assert "9.9 findes ikke i DigComp 2.2" in body(response)
    competence.refresh_from_db()
    assert competence.name_da != "X"


def _competence_post(competence: Competence, **changes: str) -> dict[str, str]:
    """The competence form as the browser sends it, with the saved values and `changes`."""
    data = {
        "name_da": competence.name_da,
        "name_en": competence.name_en,
        "description_da": competence.description_da,
        "description_en": competence.description_en,
        "kind": competence.kind,
        "digcomp": ", ".join(competence.digcomp),
    }
    for descriptor in competence.descriptors.all():
        data[f"level_{descriptor.level}_da"] = descriptor.text_da
        data[f"level_{descriptor.level}_en"] = descriptor.text_en
    return {**data, **changes}


def test_a_changed_descriptor_can_be_marked_as_a_material_change(
    admin: Client, published: Framework, draft: Framework
) -> None:
    competence = draft.competences.get(code="DS3")
    url = f"/rammer/{draft.pk}/rediger/kompetencer/{competence.pk}/"
    text = body(admin.get(url))
    assert 'name="material_change"' in text and "som i version 1" in text

    # Marked without a changed descriptor: refused, nothing saved.
    response = admin.post(url, _competence_post(competence, material_change="on", name_da="Nyt navn"))
    assert response.status_code == 200
    assert "Ingen niveaubeskrivelse er ændret i forhold til version 1" in body(response)
    competence.refresh_from_db()
    assert not competence.material_change and competence.name_da != "Nyt navn"

    # With a changed descriptor it is saved, listed in the editor and marked on the differences page.
    changed = _competence_post(
        competence, material_change="on", level_2_da="Vurderer selv, hvad der er følsomt."
    )
    assert admin.post(url, changed).status_code == 302
    competence.refresh_from_db()
    assert competence.material_change
    assert "Væsentlig ændring" in body(admin.get(f"/rammer/{draft.pk}/rediger/"))
    text = body(admin.get(f"/rammer/{draft.pk}/forskelle/"))
    assert text.count('class="badge badge-warning"') == 1  # the Danish descriptor of level 2 only
    assert "markerer disse kompetencer som væsentligt ændret" in text and "DS3" in text

    # Unticking it saves that too; the published version never had it.
    assert admin.post(url, _competence_post(competence)).status_code == 302
    competence.refresh_from_db()
    assert not competence.material_change
    assert not published.competences.filter(material_change=True).exists()


def test_a_new_competence_has_no_material_change_to_mark(admin: Client, draft: Framework) -> None:
    area = draft.areas.get(code="DS")
    competence = services.competence_create(area=area, code="DS9", name_da="Ny kompetence")
    assert 'name="material_change"' not in body(
        admin.get(f"/rammer/{draft.pk}/rediger/kompetencer/{competence.pk}/")
    )


def test_role_profile_is_created_and_edited(admin: Client, draft: Framework) -> None:
    admin.post(
        f"/rammer/{draft.pk}/rediger/rolleprofiler/ny/",
        {
            "code": "ergoterapeut",
            "name_da": "Ergoterapeut",
            "job_function_names": "Ergoterapeut\nFysioterapeut\n",
        },
    )
    role = RoleProfile.objects.get(framework=draft, code="ergoterapeut")
    assert role.job_function_names == ["Ergoterapeut", "Fysioterapeut"]
    response = admin.post(
        f"/rammer/{draft.pk}/rediger/rolleprofiler/ny/", {"code": "Ergo Terapeut", "name_da": "X"}
    )
    assert "Koden må kun indeholde små bogstaver" in body(response)
    admin.post(
        f"/rammer/{draft.pk}/rediger/rolleprofiler/{role.pk}/",
        {"name_da": "Terapeut", "name_en": "Therapist", "job_function_names": "Ergoterapeut"},
    )
    role.refresh_from_db()
    assert (role.name_da, role.name_en, role.job_function_names) == (
        "Terapeut",
        "Therapist",
        ["Ergoterapeut"],
    )


def test_items_are_reordered_up_and_down(admin: Client, draft: Framework) -> None:
    def codes() -> list[str]:
        area = draft.areas.get(code="DS")
        return list(
            Competence.objects.filter(area=area).order_by("position", "code").values_list("code", flat=True)
        )

    ds2 = draft.competences.get(code="DS2")
    response = admin.post(f"/rammer/{draft.pk}/rediger/kompetencer/{ds2.pk}/flyt/", {"direction": "up"})
    assert response["Location"] == f"/rammer/{draft.pk}/rediger/#competence-{ds2.pk}"
    assert codes()[:3] == ["DS2", "DS1", "DS3"]
    admin.post(f"/rammer/{draft.pk}/rediger/kompetencer/{ds2.pk}/flyt/", {"direction": "down"})
    assert codes()[:3] == ["DS1", "DS2", "DS3"]
    response = admin.post(f"/rammer/{draft.pk}/rediger/kompetencer/{ds2.pk}/flyt/", {"direction": "sideways"})
    assert codes()[:3] == ["DS1", "DS2", "DS3"]

    area = draft.areas.get(code="DS")
    admin.post(f"/rammer/{draft.pk}/rediger/fokusomraader/{area.pk}/flyt/", {"direction": "up"})
    assert list(draft.areas.order_by("position").values_list("code", flat=True)) == ["DL", "DS", "BK"]
    first_role = draft.role_profiles.order_by("position").first()
    response = admin.post(
        f"/rammer/{draft.pk}/rediger/rolleprofiler/{first_role.pk}/flyt/", {"direction": "up"}, follow=True
    )
    assert "står allerede yderst" in body(response)
    admin.post(f"/rammer/{draft.pk}/rediger/rolleprofiler/{first_role.pk}/flyt/", {"direction": "down"})
    assert draft.role_profiles.order_by("position")[1] == first_role
    assert admin.get(f"/rammer/{draft.pk}/rediger/kompetencer/{ds2.pk}/flyt/").status_code == 405


# --- Target grid --------------------------------------------------------------------------------------------


def test_grid_is_a_labelled_table_with_a_cell_form_per_role_and_competence(
    admin: Client, draft: Framework
) -> None:
    text = body(admin.get(f"/rammer/{draft.pk}/maalniveauer/"))
    roles = draft.role_profiles.count()
    competences = draft.competences.count()
    assert text.count('hx-trigger="change"') == roles * competences
    assert 'scope="col"' in text and 'scope="row"' in text and 'scope="rowgroup"' in text
    assert "Målniveau for Social- og sundhedshjælper i DS3" in text
    assert 'role="region"' in text and 'tabindex="0"' in text
    assert 'id="grid-status"' in text and 'role="status"' in text


def test_target_is_set_and_removed_with_htmx(admin: Client, draft: Framework) -> None:
    role = draft.role_profiles.get(code="sosu-hjaelper")
    competence = draft.competences.exclude(targets__role_profile=role).get(code="DL1")
    url = f"/rammer/{draft.pk}/maalniveauer/{role.pk}/{competence.pk}/"

    response = admin.post(url, {"level": "3", "criticality": "kritisk"}, headers=HTMX)
    text = body(response)
    assert response.status_code == 200
    assert text.lstrip().startswith(f'<td id="cell-{role.pk}-{competence.pk}"')
    assert "<html" not in text
    assert "Gemt" in text
    assert '<option value="3" selected>' in text
    trigger = json.loads(response["HX-Trigger"])
    assert trigger["fagdigital:status"]["message"] == (
        "Gemt: Social- og sundhedshjælper skal være på niveau 3 (Erfaren) i DL1 "
        f"{competence.name_da}, kritisk."
    )
    target = RoleTarget.objects.get(role_profile=role, competence=competence)
    assert (target.level, target.criticality) == (3, "kritisk")

    response = admin.post(url, {"level": "", "criticality": "kritisk"}, headers=HTMX)
    assert response.status_code == 200
    assert '<option value="" selected>' in body(response)
    assert "intet målniveau" in json.loads(response["HX-Trigger"])["fagdigital:status"]["message"]
    assert not RoleTarget.objects.filter(role_profile=role, competence=competence).exists()


def test_invalid_cell_input_returns_the_cell_with_an_error(admin: Client, draft: Framework) -> None:
    role = draft.role_profiles.first()
    competence = draft.competences.first()
    url = f"/rammer/{draft.pk}/maalniveauer/{role.pk}/{competence.pk}/"
    before = list(RoleTarget.objects.filter(role_profile=role, competence=competence).values("level"))
    response = admin.post(url, {"level": "9", "criticality": "kritisk"}, headers=HTMX)
    assert response.status_code == 422
    assert 'role="alert"' in body(response) and "HX-Trigger" not in response
    response = admin.post(url, {"level": "2", "criticality": ""}, headers=HTMX)
    assert "Vælg, hvor vigtigt målniveauet er" in body(response)
    assert list(RoleTarget.objects.filter(role_profile=role, competence=competence).values("level")) == before


def test_target_cell_works_without_javascript(admin: Client, draft: Framework) -> None:
    role = draft.role_profiles.get(code="laerer")
    competence = draft.competences.get(code="DS8")
    response = admin.post(
        f"/rammer/{draft.pk}/maalniveauer/{role.pk}/{competence.pk}/", {"level": "1", "criticality": "nyttig"}
    )
    text = body(response)
    assert response.status_code == 200
    assert "<html" in text and "<h1>" in text
    assert "Gemt: Lærer skal være på niveau 1 (Begynder) i DS8" in text
    assert RoleTarget.objects.get(role_profile=role, competence=competence).criticality == "nyttig"


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
