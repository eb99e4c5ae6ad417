"""The bundled framework's content (docs/content/framework-2026.md): role profiles for the people
municipalities employ, level descriptors that describe proficiency one behaviour at a time, references to
DigComp 2.2 and KL's competence wheel, and a file that still validates and round-trips when cut down."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fagdigital.frameworks import selectors, services
from fagdigital.frameworks.digcomp import DIGCOMP_COMPETENCES
from fagdigital.frameworks.formats import (
    MOODLE_CSV,
    read_framework_file,
    read_framework_json,
    write_framework_file,
    write_framework_json,
)
from fagdigital.frameworks.formats.interchange import FrameworkData, RoleProfileData
from fagdigital.frameworks.kl_wheel import KL_WHEEL_CODES, KL_WHEEL_DIMENSIONS
from fagdigital.frameworks.models import Criticality, RoleTarget
from fagdigital.frameworks.services import DEFAULT_FRAMEWORK_JSON
from fagdigital.tenancy.models import Organisation

from .test_json_format import schema_errors


def _default() -> FrameworkData:
    data, problems = read_framework_json(DEFAULT_FRAMEWORK_JSON.read_bytes())
    assert problems == [] and data is not None
    return data


DEFAULT = _default()
PROFILES = {role.code: role for role in DEFAULT.role_profiles}
COMPETENCES = {c.code: c for c in DEFAULT.all_competences()}
NEW_PROFILES = (
    "terapeut",
    "visitator",
    "paedagogmedhjaelper",
    "dagplejer",
    "socialpaedagog",
    "familiebehandler",
    "sundhedsplejerske",
    "skolesekretaer",
    "fagchef",
    "direktion",
    "konsulent",
    "it-digitalisering",
    "drift-service",
)


def _targets(code: str) -> dict[str, tuple[int, str]]:
    return {t.competence: (t.level, t.criticality) for t in PROFILES[code].targets}


# --- Role profiles ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", NEW_PROFILES)
def test_each_new_profile_has_a_target_and_criticality_for_every_competence_it_holds(code: str) -> None:
    role = PROFILES[code]
    assert role.name.da and role.name.en and role.description.da and role.description.en
    assert role.job_function_names, "a profile names the job titles it is for"
    assert len(role.targets) >= 6, "a profile holds the competences the work needs, not one or two"
    held = [t.competence for t in role.targets]
    assert len(held) == len(set(held)), "one target per competence"
    for target in role.targets:
        assert target.competence in COMPETENCES
        assert 1 <= target.level <= 4
        assert target.criticality in Criticality.values
    # Everyone handles data: every profile holds the security basics as critical.
    assert {"DS1", "DS2", "DS6"} <= set(held)
    assert all(_targets(code)[ds][1] == Criticality.CRITICAL for ds in ("DS1", "DS2", "DS6"))


def test_no_profile_is_a_copy_of_another() -> None:
    seen: dict[tuple[tuple[str, int, str], ...], str] = {}
    for role in DEFAULT.role_profiles:
        key = tuple(sorted((t.competence, t.level, t.criticality) for t in role.targets))
        assert key not in seen, f"{role.code} has the same targets as {seen.get(key)}"
        seen[key] = role.code


def test_implementation_belongs_to_fagchefer_and_leaders_and_direction_to_the_direktion() -> None:
    fagchef, direktion, leder = _targets("fagchef"), _targets("direktion"), _targets("leder")
    assert fagchef["DL4"] == (4, Criticality.CRITICAL)
    assert leder["DL4"][1] == Criticality.CRITICAL and leder["DL4"][0] >= 3
    assert direktion["DL4"][0] < fagchef["DL4"][0] and direktion["DL4"][1] != Criticality.CRITICAL
    # The direktion sets the direction and makes the strategic technology choices.
    assert direktion["DL1"] == (4, Criticality.CRITICAL) and direktion["DL3"] == (4, Criticality.CRITICAL)
    assert fagchef["DL1"][0] < direktion["DL1"][0]
    assert "chef-direktoer" not in PROFILES


def test_profiles_follow_the_work() -> None:
    """A few targets a domain reviewer checks first (the reasons are in the content review note)."""
    assert _targets("socialpaedagog")["BK5"] == (3, Criticality.CRITICAL)  # residents' Digital Post, MitID
    assert _targets("familiebehandler")["DS8"] == (3, Criticality.CRITICAL)  # recording conversations
    assert _targets("terapeut")["BK6"] == (3, Criticality.CRITICAL)  # assistive technology
    assert _targets("visitator")["DS7"] == (3, Criticality.CRITICAL)  # access to many citizens
    assert _targets("sundhedsplejerske")["DS4"] == (3, Criticality.CRITICAL)  # health data to doctors
    assert _targets("skolesekretaer")["DS1"] == (3, Criticality.CRITICAL)  # invoice and CEO fraud
    assert _targets("it-digitalisering")["DS2"] == (4, Criticality.CRITICAL)  # resets and privileges
    assert "DS7" not in _targets("dagplejer")  # no access to case systems
    assert _targets("paedagogmedhjaelper")["BK3"][0] <= _targets("paedagog")["BK3"][0]


def test_installed_profiles_have_their_targets_in_the_database(organisation: Organisation) -> None:
    framework = services.default_framework_install(organisation=organisation)
    for code in NEW_PROFILES:
        role = framework.role_profiles.get(code=code)
        rows = RoleTarget.objects.filter(role_profile=role)
        assert rows.count() == len(PROFILES[code].targets)
        assert not rows.exclude(criticality__in=Criticality.values).exists()
        assert not rows.exclude(level__gte=1, level__lte=4).exists()


# --- Level descriptors ------------------------------------------------------------------------------

SUPER_USER_WORDS = re.compile(
    r"superbruger|ressourceperson|hjælper kolleger|lærer kolleger op", re.IGNORECASE
)
HELP_WORDS = re.compile(
    r"med hjælp fra|med støtte fra|spørger (en|sin) (kollega|leder)|får hjælp fra", re.IGNORECASE
)


def test_level_four_describes_proficiency_not_a_super_user_role() -> None:
    assert DEFAULT.levels[3].name.da == "Ekspert"
    for competence in COMPETENCES.values():
        level_four = next(d for d in competence.descriptors if d.level == 4)
        assert not SUPER_USER_WORDS.search(level_four.text.da), competence.code


def test_compliance_behaviours_are_never_written_with_help_from_a_colleague() -> None:
    security = next(area for area in DEFAULT.areas if area.code == "DS")
    compliance = [*security.competences, COMPETENCES["BK5"], COMPETENCES["BK2"]]
    for competence in compliance:
        for descriptor in competence.descriptors:
            assert not HELP_WORDS.search(descriptor.text.da), (competence.code, descriptor.level)


def test_one_behaviour_per_step() -> None:
    """Each level is one sentence about one thing the person does, in Danish and in English."""
    for competence in COMPETENCES.values():
        assert [d.level for d in competence.descriptors] == [1, 2, 3, 4], competence.code
        for descriptor in competence.descriptors:
            for text in (descriptor.text.da, descriptor.text.en):
                assert text.endswith("."), (competence.code, descriptor.level)
                sentence = text.rstrip(".").replace("e.g. ", "").replace("i.e. ", "")
                assert ". " not in sentence, (competence.code, descriptor.level, text)
                assert len(text) <= 230, (competence.code, descriptor.level)


def test_every_competence_refers_to_digcomp_and_health_and_well_being_is_used() -> None:
    for competence in COMPETENCES.values():
        assert competence.digcomp, competence.code
        assert set(competence.digcomp) <= set(DIGCOMP_COMPETENCES)
    with_health = {c.code for c in COMPETENCES.values() if "4.3" in c.digcomp}
    assert {"BK3", "BK5", "BK6", "BK7"} <= with_health


def test_kl_wheel_references_are_known_and_security_is_in_the_wheels_security_part() -> None:
    for competence in COMPETENCES.values():
        assert set(competence.kl_wheel) <= set(KL_WHEEL_CODES), competence.code
    security = next(area for area in DEFAULT.areas if area.code == "DS")
    assert all("anvendelse.data-informationssikkerhed" in c.kl_wheel for c in security.competences)
    used = {code.partition(".")[0] for c in COMPETENCES.values() for code in c.kl_wheel}
    assert used == set(KL_WHEEL_DIMENSIONS)


def test_the_competence_page_shows_the_kl_wheel(organisation: Organisation) -> None:
    framework = services.default_framework_install(organisation=organisation)
    page = selectors.competence_page(framework=framework, competence=framework.competences.get(code="DL4"))
    [ref] = page.kl_wheel
    assert (ref.dimension, ref.part) == ("Udvikling og implementering", "Implementering og anskaffelse")


# --- The file still validates and round-trips ---------------------------------------------------------


@st.composite
def cut_down(draw: st.DrawFn) -> FrameworkData:
    """The default framework with some competences and role profiles left out (targets follow)."""
    areas = []
    for area in DEFAULT.areas:
        kept = draw(
            st.lists(st.sampled_from(area.competences), unique_by=lambda c: c.code, min_size=1, max_size=9)
        )
        order = {c.code: i for i, c in enumerate(area.competences)}
        areas.append(dataclasses.replace(area, competences=tuple(sorted(kept, key=lambda c: order[c.code]))))
    codes = {c.code for area in areas for c in area.competences}
    roles = draw(st.lists(st.sampled_from(DEFAULT.role_profiles), unique_by=lambda r: r.code, max_size=6))
    return dataclasses.replace(
        DEFAULT,
        areas=tuple(areas),
        role_profiles=tuple(
            RoleProfileData(
                code=r.code,
                name=r.name,
                description=r.description,
                job_function_names=r.job_function_names,
                targets=tuple(t for t in r.targets if t.competence in codes),
            )
            for r in roles
        ),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=cut_down())
def test_the_default_framework_cut_down_still_validates_and_round_trips(data: FrameworkData) -> None:
    raw = write_framework_json(data)
    assert schema_errors(json.loads(raw)) == []
    parsed, problems = read_framework_json(raw)
    assert problems == [] and parsed == data
    moodle = read_framework_file(write_framework_file(data, MOODLE_CSV), MOODLE_CSV)
    assert moodle.problems == [] and moodle.warnings == []
    assert moodle.data == dataclasses.replace(data, role_profiles=(), it_systems=())
