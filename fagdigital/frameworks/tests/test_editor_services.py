"""The editor's services: every write refuses published versions, positions stay tidy, input is checked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from fagdigital.frameworks import selectors, services
from fagdigital.frameworks.models import Area, Competence, Framework, LevelDescriptor, RoleProfile, RoleTarget
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(organisation: Organisation) -> Framework:
    return services.default_framework_install(organisation=organisation)


@pytest.fixture
def draft(published: Framework) -> Framework:
    return services.framework_new_version(framework=published)


def test_every_editing_service_refuses_a_published_version(published: Framework) -> None:
    area = published.areas.get(code="DS")
    competence = published.competences.get(code="DS3")
    role = published.role_profiles.get(code="leder")
    edits: list[Callable[[], Any]] = [
        lambda: services.framework_update(framework=published, name_da="X"),
        lambda: services.area_create(framework=published, code="NY", name_da="X"),
        lambda: services.area_update(area=area, name_da="X"),
        lambda: services.competence_create(area=area, code="NY1", name_da="X"),
        lambda: services.competence_update(competence=competence, name_da="X"),
        lambda: services.descriptor_update(competence=competence, level=1, text_da="X"),
        lambda: services.role_profile_create(framework=published, code="ny", name_da="X"),
        lambda: services.role_profile_update(role_profile=role, name_da="X"),
        lambda: services.item_move(item=competence, direction="down"),
        lambda: services.role_target_set(
            role_profile=role, competence=competence, level=None, criticality=None
        ),
    ]
    for edit in edits:
        with pytest.raises(services.FrameworkLockedError, match="Opret en ny version for at redigere"):
            edit()
    assert not Area.objects.filter(code="NY").exists()
    assert Competence.objects.get(pk=competence.pk).name_da != "X"
    assert RoleTarget.objects.filter(role_profile=role, competence=competence).exists()


def test_a_stale_draft_object_is_refused_once_published_elsewhere(draft: Framework) -> None:
    area = draft.areas.get(code="DS")
    services.framework_publish(framework=Framework.objects.get(pk=draft.pk))
    # `draft` in memory still says "draft": the service reads the row under a lock and refuses.
    with pytest.raises(services.FrameworkLockedError):
        services.area_update(area=area, name_da="For sent")
    with pytest.raises(services.FrameworkLockedError):
        services.framework_update(framework=draft, name_da="For sent")


def test_new_items_are_placed_last(draft: Framework) -> None:
    area = services.area_create(framework=draft, code="VT", name_da="  Velfærdsteknologi  ")
    assert (area.position, area.name_da) == (3, "Velfærdsteknologi")
    first = services.competence_create(area=area, code="VT1", name_da="Skærmbesøg")
    second = services.competence_create(
        area=area,
        code="VT2",
        name_da="Sensorer",
        kind="digital",
        digcomp=["5.2", " 5.2", ""],
        it_system_categories=["velfaerdsteknologi", "velfaerdsteknologi"],
        descriptors={1: ("Bruger", "Uses"), 2: ("", "")},
    )
    assert (first.position, second.position) == (0, 1)
    assert second.digcomp == ["5.2"] and second.it_system_categories == ["velfaerdsteknologi"]
    assert list(second.descriptors.values_list("level", "text_da", "text_en")) == [(1, "Bruger", "Uses")]
    role = services.role_profile_create(
        framework=draft, code="tekniker", name_da="Tekniker", job_function_names=["Tekniker", " ", "Tekniker"]
    )
    assert role.position == draft.role_profiles.count() - 1
    assert role.job_function_names == ["Tekniker"]


def test_competence_checks_kind_digcomp_and_parent(draft: Framework) -> None:
    area = draft.areas.get(code="DS")
    other_area = draft.areas.get(code="BK")
    with pytest.raises(ValueError, match="kind"):
        services.competence_create(area=area, code="X1", name_da="X", kind="magisk")
    with pytest.raises(ValueError, match="DigComp"):
        services.competence_create(area=area, code="X1", name_da="X", digcomp=["9.9"])
    with pytest.raises(ValueError, match="another area"):
        services.competence_create(area=area, code="X1", name_da="X", parent=other_area.competences.first())
    parent = area.competences.get(code="DS3")
    child = services.competence_create(area=area, code="DS3.1", name_da="Delkompetence", parent=parent)
    assert (child.parent, child.position) == (parent, 0)


def test_descriptor_is_created_changed_and_removed(draft: Framework) -> None:
    competence = draft.competences.get(code="DS3")
    descriptor = services.descriptor_update(competence=competence, level=2, text_da=" Ny ", text_en="New")
    assert descriptor is not None and (descriptor.text_da, descriptor.text_en) == ("Ny", "New")
    assert competence.descriptors.count() == 4
    assert services.descriptor_update(competence=competence, level=2, text_da="", text_en=" ") is None
    assert not LevelDescriptor.objects.filter(competence=competence, level=2).exists()
    assert services.publication_problems(framework=draft) == [
        "Kompetence DS3 mangler en dansk beskrivelse af niveau 2."
    ]
    with pytest.raises(ValueError, match="level"):
        services.descriptor_update(competence=competence, level=5, text_da="X")


def test_competence_update_changes_texts_references_and_descriptors(draft: Framework) -> None:
    competence = draft.competences.get(code="DS3")
    services.competence_update(
        competence=competence,
        name_da="Personoplysninger",
        name_en="Personal data",
        kind="digital",
        digcomp=["4.2"],
        it_system_categories=["esdh"],
        descriptors={4: ("Ressourceperson for databeskyttelse", "")},
    )
    competence.refresh_from_db()
    assert (competence.name_da, competence.kind, competence.digcomp) == (
        "Personoplysninger",
        "digital",
        ["4.2"],
    )
    assert competence.descriptors.get(level=4).text_da == "Ressourceperson for databeskyttelse"
    assert competence.descriptors.get(level=1).text_da  # untouched


def test_item_move_swaps_with_the_neighbour_and_renumbers(draft: Framework) -> None:
    area = draft.areas.get(code="BK")
    # Imports may leave equal positions; moving straightens them out in the shown order.
    Competence.objects.filter(area=area).update(position=0)
    codes = list(
        Competence.objects.filter(area=area).order_by("position", "code").values_list("code", flat=True)
    )
    bk3 = area.competences.get(code="BK3")
    assert services.item_move(item=bk3, direction="up") is True
    after = list(Competence.objects.filter(area=area).order_by("position").values_list("code", "position"))
    expected = codes[:]
    index = expected.index("BK3")
    expected[index - 1], expected[index] = expected[index], expected[index - 1]
    assert after == [(code, position) for position, code in enumerate(expected)]

    first = Competence.objects.filter(area=area).order_by("position").first()
    assert services.item_move(item=first, direction="up") is False
    last_role = RoleProfile.objects.filter(framework=draft).order_by("position").last()
    assert services.item_move(item=last_role, direction="down") is False
    ds = draft.areas.get(code="DS")
    assert services.item_move(item=ds, direction="up") is True
    assert list(draft.areas.order_by("position").values_list("code", flat=True)) == ["DL", "DS", "BK"]


def test_role_target_set_checks_its_input(draft: Framework, published: Framework) -> None:
    role = draft.role_profiles.get(code="leder")
    competence = draft.competences.get(code="DS3")
    with pytest.raises(ValueError, match="invalid"):
        services.role_target_set(role_profile=role, competence=competence, level=5, criticality="kritisk")
    with pytest.raises(ValueError, match="invalid"):
        services.role_target_set(role_profile=role, competence=competence, level=2, criticality="ligegyldig")
    with pytest.raises(ValueError, match="different frameworks"):
        services.role_target_set(
            role_profile=role, competence=published.competences.get(code="DS3"), level=2, criticality="vigtig"
        )
    target = services.role_target_set(role_profile=role, competence=competence, level=2, criticality="nyttig")
    assert target is not None and target.organisation_id == draft.organisation_id


# --- Material changes ---------------------------------------------------------------------------------------


def test_a_material_change_needs_a_changed_descriptor(published: Framework, draft: Framework) -> None:
    competence = draft.competences.get(code="DS3")
    with pytest.raises(services.MaterialChangeError):
        services.competence_update(competence=competence, material_change=True)
    competence.refresh_from_db()
    assert not competence.material_change

    # Changing a descriptor and marking it in one call: both or neither.
    services.competence_update(
        competence=competence,
        descriptors={2: ("Skelner selv følsomme oplysninger fra andre.", "")},
        material_change=True,
    )
    competence.refresh_from_db()
    assert competence.material_change
    assert selectors.material_changes(draft) == {"DS3"}
    assert selectors.material_changes(published) == set()


def test_a_material_change_is_cleared_when_the_descriptors_are_as_before(draft: Framework) -> None:
    competence = draft.competences.get(code="DS3")
    before = competence.descriptors.get(level=4)
    services.competence_update(competence=competence, descriptors={4: ("Ny tekst", "")}, material_change=True)
    assert selectors.material_changes(draft) == {"DS3"}
    # An edit that leaves out the flag but puts the descriptor back clears it: the level means the same again.
    services.competence_update(competence=competence, descriptors={4: (before.text_da, before.text_en)})
    assert selectors.material_changes(draft) == set()


def test_a_new_competence_or_a_first_version_cannot_change_materially(draft: Framework) -> None:
    new = services.competence_create(area=draft.areas.get(code="DS"), code="DS9", name_da="Ny")
    services.descriptor_update(competence=new, level=1, text_da="Gør noget")
    with pytest.raises(services.MaterialChangeError):
        services.competence_update(competence=new, material_change=True)
    first = services.framework_create_from_data(
        organisation=OrganisationFactory(), data=selectors.framework_as_data(framework=draft)
    )
    assert first.based_on is None
    with pytest.raises(services.MaterialChangeError):
        services.competence_update(
            competence=first.competences.get(code="DS3"), descriptors={1: ("Ny", "")}, material_change=True
        )


def test_material_changes_belong_to_one_version_and_are_not_copied(draft: Framework) -> None:
    competence = draft.competences.get(code="DL1")
    services.competence_update(
        competence=competence, descriptors={1: ("Ændret", "Changed")}, material_change=True
    )
    services.framework_publish(framework=draft)
    assert selectors.material_changes(draft) == {"DL1"}  # kept in the published version
    third = services.framework_new_version(framework=draft)
    assert selectors.material_changes(third) == set()
    with pytest.raises(services.FrameworkLockedError):
        services.competence_update(competence=competence, material_change=False)
