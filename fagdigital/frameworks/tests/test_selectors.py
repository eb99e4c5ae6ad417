from __future__ import annotations

from collections.abc import Callable

import pytest
from django.http import Http404
from django.utils import translation

from fagdigital.accounts.models import User
from fagdigital.conftest import actor_for
from fagdigital.frameworks import selectors, services
from fagdigital.frameworks.models import Framework, RoleTarget
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import (
    EngagementFactory,
    JobFunctionFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(organisation: Organisation) -> Framework:
    return services.default_framework_install(organisation=organisation)


def test_drafts_are_visible_to_competence_admins_only(
    make_member: Callable[..., User], organisation: Organisation, published: Framework
) -> None:
    draft = services.framework_new_version(framework=published)
    admin = actor_for(make_member(organisation, "competence_admin"), organisation)
    employee = actor_for(make_member(organisation, "employee", "leader"), organisation)
    assert set(selectors.visible_frameworks(actor=admin)) == {published, draft}
    assert set(selectors.visible_frameworks(actor=employee)) == {published}
    with pytest.raises(Http404):
        selectors.get_visible_framework_for_user(actor=employee, framework_id=draft.pk)
    families = selectors.framework_families(actor=admin)
    assert [f.key for f in families] == [published.key]
    assert families[0].draft == draft and families[0].published == published and families[0].newest == draft
    assert selectors.draft_version(framework=published) == draft
    assert selectors.other_versions(actor=admin, framework=draft) == [published]


def test_objects_are_only_found_in_the_actors_organisation_and_version(
    make_member: Callable[..., User], organisation: Organisation, published: Framework
) -> None:
    actor = actor_for(make_member(organisation, "competence_admin"), organisation)
    other = services.default_framework_install(organisation=OrganisationFactory())
    draft = services.framework_new_version(framework=published)
    for framework, ok in [(published, True), (draft, False)]:
        competence = published.competences.first()
        area = published.areas.first()
        role = published.role_profiles.first()
        if ok:
            assert selectors.get_competence_for_user(
                actor=actor, framework=framework, competence_id=competence.pk
            )
            assert selectors.get_area_for_user(actor=actor, framework=framework, area_id=area.pk)
            assert selectors.get_role_profile_for_user(
                actor=actor, framework=framework, role_profile_id=role.pk
            )
        else:
            with pytest.raises(Http404):
                selectors.get_competence_for_user(
                    actor=actor, framework=framework, competence_id=competence.pk
                )
    with pytest.raises(Http404):
        selectors.get_framework_for_user(actor=actor, framework_id=other.pk)
    with pytest.raises(Http404):
        selectors.get_competence_for_user(
            actor=actor, framework=other, competence_id=other.competences.first().pk
        )
    with pytest.raises(Http404):
        selectors.get_area_for_user(actor=actor, framework=other, area_id=other.areas.first().pk)
    with pytest.raises(Http404):
        selectors.get_role_profile_for_user(
            actor=actor, framework=other, role_profile_id=other.role_profiles.first().pk
        )


def test_framework_tree_orders_areas_and_nests_sub_competences(published: Framework) -> None:
    draft = services.framework_new_version(framework=published)
    area = draft.areas.get(code="DS")
    parent = area.competences.get(code="DS3")
    services.competence_create(area=area, code="DS3.1", name_da="Del", parent=parent)
    tree = selectors.framework_tree(framework=draft)
    assert [node.area.code for node in tree] == ["DL", "BK", "DS"]
    assert tree[0].is_first and tree[-1].is_last
    ds = [(n.competence.code, n.depth, n.is_first, n.is_last) for n in tree[2].competences]
    assert ds[:5] == [
        ("DS1", 0, True, False),
        ("DS2", 0, False, False),
        ("DS3", 0, False, False),
        ("DS3.1", 1, True, True),
        ("DS4", 0, False, False),
    ]
    ds3 = tree[2].competences[2]
    assert [str(ref) for ref in ds3.digcomp] == ["4.2 Beskytte personlige data og privatliv"]
    assert any("Omsorgsjournal" in label for label in ds3.it_systems)


def test_target_grid_has_a_cell_for_every_role_and_competence(published: Framework) -> None:
    grid = selectors.target_grid(framework=published)
    roles = published.role_profiles.count()
    rows = [row for area in grid.areas for row in area.rows]
    assert len(grid.role_profiles) == roles
    assert len(rows) == published.competences.count()
    assert all(len(row.cells) == roles for row in rows)
    targets = sum(1 for row in rows for cell in row.cells if cell.target is not None)
    assert targets == RoleTarget.objects.filter(role_profile__framework=published).count()
    cell = next(cell for row in rows for cell in row.cells if cell.target is not None)
    assert cell.level_value == str(cell.target.level)
    empty = next(cell for row in rows for cell in row.cells if cell.target is None)
    assert (empty.level_value, empty.criticality_value) == ("", "vigtig")


def test_competence_page_has_four_levels_in_the_active_language(published: Framework) -> None:
    competence = published.competences.get(code="DS3")
    page = selectors.competence_page(framework=published, competence=competence)
    assert [level.number for level in page.levels] == [1, 2, 3, 4]
    assert page.levels[3].name == "Ekspert"
    assert all(level.text for level in page.levels)
    assert page.targets and page.targets[0].level_name
    with translation.override("en"):
        page = selectors.competence_page(framework=published, competence=competence)
        assert page.levels[3].name == "Expert"
        assert page.levels[0].text == competence.descriptors.get(level=1).text_en


def test_my_role_lists_targets_per_area_critical_first(
    organisation: Organisation, published: Framework
) -> None:
    person = PersonFactory(organisation=organisation)
    EngagementFactory(
        person=person, job_function=JobFunctionFactory(organisation=organisation, name="Sygeplejerske")
    )
    assert selectors.my_role(person=person, framework=published).role_profile is None
    services.job_functions_map_by_suggestion(organisation=organisation, framework=published)
    role = selectors.my_role(person=person, framework=published)
    assert role.role_profile is not None and role.role_profile.code == "sygeplejerske"
    assert selectors.role_profile_for_person(person=person, framework=published) == role.role_profile
    order = {"kritisk": 0, "vigtig": 1, "nyttig": 2}
    for area in role.areas:
        ranks = [order[item.criticality] for item in area.items]
        assert ranks == sorted(ranks)
        for item in area.items:
            assert item.expected == item.competence.descriptors.get(level=item.level).text_da
            assert item.why == item.competence.description_da
    assert sum(len(area.items) for area in role.areas) == role.role_profile.targets.count()
    assert [a.area.code for a in role.areas] == sorted(
        [a.area.code for a in role.areas], key=["DL", "BK", "DS"].index
    )


def test_my_role_without_an_engagement(organisation: Organisation, published: Framework) -> None:
    role = selectors.my_role(person=PersonFactory(organisation=organisation), framework=published)
    assert role.engagement is None and role.role_profile is None and role.areas == []


def test_change_counts(published: Framework) -> None:
    draft = services.framework_new_version(framework=published)
    services.area_create(framework=draft, code="VT", name_da="Velfærdsteknologi")
    services.area_update(area=draft.areas.get(code="DS"), name_da="Sikkerhed")
    changes = selectors.framework_differences(old=published, new=draft)
    assert selectors.change_counts(changes) == {"added": 1, "removed": 0, "changed": 1}
