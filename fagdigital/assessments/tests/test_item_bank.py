"""The item bank: the bundled items are valid and follow the roles, the draw follows the person's role,
and updates of the bundled bank never change an item somebody has been asked (docs/decisions/0016)."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fagdigital.assessments import evidence_rule as rule
from fagdigital.assessments import services
from fagdigital.assessments.models import Campaign, Instrument, ItemOrigin, Participant, TestItem
from fagdigital.assessments.tests.conftest import Team
from fagdigital.frameworks.models import RoleProfile, RoleTarget

pytestmark = pytest.mark.django_db

BANK = services.bundled_bank()
DEFAULT_FRAMEWORK = (
    Path(services.ITEM_BANK_PATH).parents[2] / "frameworks" / "data" / "default_framework.json"
)
ROLE_CODES = [profile["code"] for profile in json.loads(DEFAULT_FRAMEWORK.read_text())["role_profiles"]]

# Words that place a scenario in one kind of work; an item using them must be tagged with those roles.
CARE_WORDS = re.compile(r"hjemmepleje|omsorgsjournal|medicin|plejecenter|faldalarm|\bsår\b", re.IGNORECASE)
CARE_ROLES = {"sosu-hjaelper", "sosu-assistent", "sygeplejerske", "leder", "chef-direktoer"}
CHILDREN_WORDS = re.compile(r"\bAula\b|\belev|dagtilbud|lejrskole|børnefaglig", re.IGNORECASE)
CHILDREN_ROLES = {"paedagog", "laerer", "socialraadgiver"}
ROLE_STEMS = {  # "Du er …" / "Du arbejder i …" → the roles it may be shown to
    "administrativ medarbejder": {"administrativ-sagsbehandler"},
    "social- og sundhedshjælper": {"sosu-hjaelper"},
    "social- og sundhedsassistent": {"sosu-assistent"},
    "sygeplejerske": {"sygeplejerske"},
    "lærer": {"laerer"},
    "pædagog": {"paedagog"},
    "socialrådgiver": {"socialraadgiver"},
    "skolesekretær": set(),
}


def _texts(item: services.ItemInput) -> str:
    return " ".join([item.scenario_da, item.question_da, *(o.text_da for o in item.options)])


def test_every_bundled_item_meets_the_editors_rules() -> None:
    framework = json.loads(DEFAULT_FRAMEWORK.read_text())
    codes = {c["code"] for area in framework["areas"] for c in area["competences"]}
    for bundled in BANK.items:
        errors = services.item_input_errors(bundled.data, competence_codes=codes, role_codes=ROLE_CODES)
        assert errors == {}, f"{bundled.key}: {errors}"
        assert bundled.data.question_en and bundled.data.explanation_en, bundled.key
    assert len({b.key for b in BANK.items}) == len(BANK.items)


def test_the_rules_name_each_problem_of_an_item() -> None:
    item = BANK.items[0].data
    two_options = services.ItemInput(
        competence_code=item.competence_code,
        kind="single",
        difficulty=1,
        question_da="Hvad gør du?",
        explanation_da="Fordi.",
        options=(services.OptionInput("Ja", correct=True), services.OptionInput("Nej")),
    )
    errors = services.item_input_errors(two_options, competence_codes=[item.competence_code], role_codes=[])
    assert errors == {"options": ["Skriv mindst 3 svarmuligheder på dansk."]}
    all_right = services.ItemInput(
        competence_code="DS1",
        kind="multiple",
        difficulty=1,
        question_da="Hvad gør du?",
        explanation_da="Fordi.",
        options=tuple(services.OptionInput(t, correct=True) for t in ("A", "B", "C")),
    )
    errors = services.item_input_errors(all_right, competence_codes=["DS1"], role_codes=[])
    assert errors == {"options": ["Mindst én svarmulighed skal være forkert."]}


def test_every_bundled_role_has_four_fitting_items_in_every_competence_it_targets() -> None:
    framework = json.loads(DEFAULT_FRAMEWORK.read_text())
    for profile in framework["role_profiles"]:
        for target in profile["targets"]:
            fitting = [
                b
                for b in BANK.items
                if b.data.competence_code == target["competence"]
                and (not b.data.role_codes or profile["code"] in b.data.role_codes)
            ]
            assert len(fitting) >= rule.MIN_ITEMS_FOR_TEST_LEVEL, (profile["code"], target["competence"])


def test_every_security_competence_has_four_role_neutral_items_for_people_without_a_role() -> None:
    for code in (f"DS{n}" for n in range(1, 9)):
        neutral = [b for b in BANK.items if b.data.competence_code == code and not b.data.role_codes]
        assert len(neutral) >= rule.MIN_ITEMS_FOR_TEST_LEVEL, code


def test_a_scenario_that_names_a_kind_of_work_is_shown_only_to_roles_in_it() -> None:
    for bundled in BANK.items:
        text, roles = _texts(bundled.data), set(bundled.data.role_codes)
        if CARE_WORDS.search(text):
            assert roles and roles <= CARE_ROLES, f"{bundled.key} is about care work: {roles or 'all roles'}"
        if CHILDREN_WORDS.search(text):
            assert roles and roles <= CHILDREN_ROLES, (
                f"{bundled.key} is about children: {roles or 'all roles'}"
            )
        for stem, allowed in ROLE_STEMS.items():
            if re.search(rf"\bDu er {stem}", text, re.IGNORECASE):
                assert roles and roles <= allowed, f"{bundled.key} says »Du er {stem}« to {roles or 'all'}"


def test_the_fixed_items_say_what_the_content_review_says() -> None:
    by_key = {b.key: b for b in BANK.items}
    ds3 = by_key["DS3-01"].data.explanation_da
    assert "§ 11" in ds3 and "ingen særlig regel" in ds3
    ds1 = by_key["DS1-03"]
    assert "Klik på knappen" in ds1.data.scenario_da
    assert ds1.revision == 2
    for key in ("DS1-08", "DS1-09", "DS1-10", "DS1-11", "DS3-07", "DS3-08", "DS8-07"):
        assert key in by_key
    assert "§ 8" in by_key["DS3-07"].data.explanation_da and "artikel 10" in by_key["DS3-07"].data.question_da
    assert not any("NIS" in _texts(b.data) + b.data.explanation_da for b in BANK.items)


# --- Installing and updating the bank -----------------------------------------------------------


def _bank_file(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    raw = json.loads(Path(services.ITEM_BANK_PATH).read_text())
    change(raw)
    path = tmp_path / "bank.json"
    path.write_text(json.dumps(raw, ensure_ascii=False))
    return path


def _revise(key: str, explanation: str) -> Callable[[dict[str, Any]], None]:
    def change(raw: dict[str, Any]) -> None:
        item = next(i for i in raw["items"] if i["key"] == key)
        item["revision"] += 1
        item["explanation"]["da"] = explanation

    return change


def test_the_bundled_bank_installs_once_with_role_codes(team: Team) -> None:
    org, key = team.organisation, team.framework.key
    assert services.item_bank_install(organisation=org, framework_key=key) == len(BANK.items)
    assert services.item_bank_install(organisation=org, framework_key=key) == 0
    ds1_01 = TestItem.objects.get(organisation=org, key="DS1-01")
    assert set(ds1_01.role_codes) == {"sosu-hjaelper", "sosu-assistent", "sygeplejerske"}
    assert TestItem.objects.get(organisation=org, key="DS1-03").revision == 2


def test_a_newer_bundled_revision_replaces_an_unasked_item_in_place(team: Team, tmp_path: Path) -> None:
    org, key = team.organisation, team.framework.key
    services.item_bank_install(organisation=org, framework_key=key)
    before = TestItem.objects.get(organisation=org, key="DS2-01")
    path = _bank_file(tmp_path, _revise("DS2-01", "Ny forklaring."))
    assert services.item_bank_install(organisation=org, framework_key=key, path=path) == 1
    after = TestItem.objects.get(organisation=org, key="DS2-01")
    assert (after.pk, after.revision, after.explanation_da) == (before.pk, 2, "Ny forklaring.")


def test_a_newer_bundled_revision_of_an_asked_item_becomes_a_new_revision(
    team: Team, make_campaign: Callable[..., Campaign], tmp_path: Path
) -> None:
    campaign = make_campaign(instruments=(Instrument.TEST,))
    response = services.response_get_or_create(
        campaign=campaign, instrument=Instrument.TEST, respondent=team.users[0], subject=team.members[0]
    )
    asked = services.test_start(response=response)[0].item
    old_text = asked.explanation_da
    path = _bank_file(tmp_path, _revise(asked.key, "Ny forklaring."))
    services.item_bank_install(organisation=team.organisation, framework_key=team.framework.key, path=path)
    asked.refresh_from_db()
    assert (asked.active, asked.explanation_da) == (False, old_text)
    new = TestItem.objects.get(organisation=team.organisation, key=asked.key, active=True)
    assert (new.revision, new.explanation_da) == (asked.revision + 1, "Ny forklaring.")


def test_an_item_the_organisation_took_over_is_left_alone(team: Team, tmp_path: Path) -> None:
    org, key = team.organisation, team.framework.key
    services.item_bank_install(organisation=org, framework_key=key)
    retired = services.test_item_retire(item=TestItem.objects.get(organisation=org, key="DS2-02"))
    path = _bank_file(tmp_path, _revise("DS2-02", "Ny forklaring."))
    assert services.item_bank_install(organisation=org, framework_key=key, path=path) == 0
    retired.refresh_from_db()
    assert (retired.active, retired.origin) == (False, ItemOrigin.ORGANISATION)
    assert not TestItem.objects.filter(organisation=org, key="DS2-02", active=True).exists()


# --- The draw follows the role --------------------------------------------------------------------


def _set_role(campaign: Campaign, person_id: int, code: str) -> None:
    Participant.objects.filter(campaign=campaign, person_id=person_id).update(role_profile_code=code)


@pytest.fixture
def test_round(team: Team, make_campaign: Callable[..., Campaign]) -> Campaign:
    return make_campaign(instruments=(Instrument.TEST,), test_area_codes=["DL", "BK", "DS"])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    role=st.sampled_from(["", *ROLE_CODES, "ukendt-rolle"]), seed=st.integers(min_value=0, max_value=2**32)
)
def test_every_drawn_item_belongs_to_a_competence_the_role_targets_and_fits_the_role(
    team: Team, test_round: Campaign, role: str, seed: int
) -> None:
    person = team.members[0]
    _set_role(test_round, person.pk, role)
    profile = RoleProfile.objects.filter(framework=test_round.framework, code=role).first()
    targeted = (
        set(RoleTarget.objects.filter(role_profile=profile).values_list("competence__code", flat=True))
        if profile is not None
        else None
    )
    fits_as = role if profile is not None else ""  # an unknown code counts as no role
    rng = random.Random(seed)
    drawn = [
        item
        for pool in services.draw_pools(campaign=test_round, person_id=person.pk)
        for item in pool.draw(test_round.test_items_per_competence, rng)
    ]
    assert drawn
    for item in drawn:
        if targeted is not None:
            assert item.competence_code in targeted, (role, item.key)
        assert not item.role_codes or fits_as in item.role_codes, (role, item.key, item.role_codes)
    if targeted is not None:
        # Every competence the role targets is tested, with enough items for a level.
        counts = {code: sum(1 for i in drawn if i.competence_code == code) for code in targeted}
        assert all(n == test_round.test_items_per_competence for n in counts.values()), counts


def test_a_paedagog_gets_no_care_items_and_a_home_care_helper_no_office_stems(
    team: Team, test_round: Campaign
) -> None:
    person = team.members[0]
    for role, forbidden in (
        ("paedagog", CARE_WORDS),
        ("sosu-hjaelper", re.compile(r"Du er administrativ medarbejder|Du godkender fakturaer|\bAula\b")),
    ):
        _set_role(test_round, person.pk, role)
        for pool in services.draw_pools(campaign=test_round, person_id=person.pk):
            for item in pool.fresh:
                text = " ".join([item.scenario_da, item.question_da])
                assert not forbidden.search(text), (role, item.key, text)


def test_the_test_a_person_starts_follows_their_role(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign(instruments=(Instrument.TEST,), test_area_codes=["BK", "DS"])
    person = team.members[0]
    _set_role(campaign, person.pk, "paedagog")
    response = services.response_get_or_create(
        campaign=campaign, instrument=Instrument.TEST, respondent=team.users[0], subject=person
    )
    codes = {q.item.competence_code for q in services.test_start(response=response)}
    assert "BK3" in codes  # Aula, which pædagoger use
    assert not codes & {"BK1", "BK6"}  # the care record and welfare technology are not theirs
