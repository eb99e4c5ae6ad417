"""The framework editor: texts, areas, competences, role profiles, order and the target grid."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from fagdigital.frameworks import services
from fagdigital.frameworks.models import (
    Area,
    Competence,
    Framework,
    RoleProfile,
    RoleTarget,
)
from fagdigital.frameworks.tests.pages import HTMX, body

pytestmark = pytest.mark.django_db


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
