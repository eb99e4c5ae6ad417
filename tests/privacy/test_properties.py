"""Property: over random trees — people placed directly in units with child units, several role profiles,
two sources, two rounds and a move between them — every reader's figures are the oracle's, and no
combination of everything a reader can see (both rounds and "current level") determines a group of
fewer than k people."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fagdigital.analytics import selectors
from fagdigital.assessments.models import Instrument, Visibility
from fagdigital.orgs.models import OrgUnit
from fagdigital.testing.factories import OrganisationFactory

from . import layouts, oracle
from .disclosure import check
from .test_attacks import assert_view_is_shown_and_safe

pytestmark = pytest.mark.django_db(transaction=False)
ROLES = ("sosu-hjaelper", "sosu-assistent", "sygeplejerske")
CODES = ("DS1", "BK1")  # two competences every role profile here has targets in (keeps the check small)


@st.composite
def trees(draw: st.DrawFn) -> dict[str, object]:
    count = draw(st.integers(min_value=2, max_value=6))
    units: list[tuple[str, str | None]] = [("U0", None)]
    for index in range(1, count):
        parent = draw(st.sampled_from([name for name, _parent in units]))
        units.append((f"U{index}", parent))
    people: list[tuple[str, str, str]] = []
    for name, _parent in units:
        for role in ROLES:
            size = draw(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 8]))
            people += [(f"{name}-{role}-{i}", name, role) for i in range(size)]
    # At least one leader, who rates some of the people below them.
    leader_unit = draw(st.sampled_from([name for name, _parent in units]))
    rated_share = draw(st.sampled_from([0.0, 0.2, 0.6, 1.0]))
    mover = draw(st.integers(min_value=0, max_value=10_000))
    target_unit = draw(st.sampled_from([name for name, _parent in units]))
    seed = draw(st.integers(min_value=0, max_value=10_000))
    return {
        "units": units,
        "people": people,
        "leader_unit": leader_unit,
        "rated_share": rated_share,
        "mover": mover,
        "target_unit": target_unit,
        "seed": seed,
    }


def _below(layout: layouts.Layout, unit: str) -> list[str]:
    path = layout.units[unit].path
    return [
        name
        for name, person in layout.people.items()
        if name != "boss" and person.engagements.get(end_date__isnull=True).unit.path.startswith(path)
    ]


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=trees())
def test_no_reader_can_combine_figures_into_a_small_group(spec: dict[str, object]) -> None:
    with transaction.atomic():
        _run(spec)
        transaction.set_rollback(True)


def _run(spec: dict[str, object]) -> None:
    people: list[tuple[str, str, str]] = list(spec["people"])  # type: ignore[call-overload]
    if len(people) < 5:
        return
    organisation = OrganisationFactory()
    leader_unit = str(spec["leader_unit"])
    layout = layouts.build(
        organisation,
        units=spec["units"],  # type: ignore[arg-type]
        people=[*people, ("boss", leader_unit, "leder")],
        leaders=[(leader_unit, "boss")],
    )
    rng = random.Random(int(spec["seed"]))  # type: ignore[call-overload]
    rounds = []
    for number in (1, 2):
        campaign = layouts.open_round(
            layout,
            visibility=Visibility.DEVELOPMENT,
            instruments=(Instrument.SELF, Instrument.LEADER),
            name=f"Runde {number}",
        )
        names = [name for name, _unit, _role in people]
        answering = [n for n in names if rng.random() < 0.9]
        layouts.answer_self(layout, campaign, answering, layouts.random_levels(int(spec["seed"]) + number))  # type: ignore[call-overload]
        below = _below(layout, leader_unit)
        rated = [n for n in below if rng.random() < float(spec["rated_share"])]  # type: ignore[arg-type]
        layouts.rate(
            layout, campaign, layout.leaders[leader_unit], rated, layouts.random_levels(number + 100)
        )
        layouts.close(campaign)
        rounds.append(campaign)
        if number == 1:
            mover = names[int(spec["mover"]) % len(names)]  # type: ignore[call-overload]
            layouts.move(layout, mover, str(spec["target_unit"]))
    readers: list[tuple[object, Sequence[OrgUnit] | None]] = [
        (layout.admin, None),
        (layout.leaders[leader_unit], None),
    ]
    for user, _roots in readers:
        actor = layout.actor(user)  # type: ignore[arg-type]
        roots = selectors.dashboard_roots(actor=actor)
        units: list[OrgUnit | None] = (
            [None, *layout.units.values()]
            if roots is None
            else [u for u in layout.units.values() if any(u.path.startswith(r.path) for r in roots)]
        )
        combined = oracle.View()
        for number, campaign in enumerate(rounds, start=1):
            rnd = oracle.load_round(campaign)
            view = oracle.view_of(
                rnd,
                roots=roots,
                targets_framework=layout.framework,
                family=f"r{number}",
                competence_codes=CODES,
            )
            shown = {
                k: v
                for k, v in oracle.shown(
                    actor, campaign, units, sources=("estimate", "self", "leader")
                ).items()
                if k[4] in CODES
            }
            view_same_sources = oracle.View(
                values={k: v for k, v in view.values.items() if k[3] != "test"},
                rows=view.rows,
                targets=view.targets,
                sizes=view.sizes,
            )
            assert_view_is_shown_and_safe(view_same_sources, shown, rnd.k)
            combined.rows += view.rows
            combined.targets.update(view.targets)
            combined.sizes.update(view.sizes)
        # Current level is round 2 read against the published version: the same variables.
        current = {
            k: v for k, v in oracle.shown(actor, None, units, sources=("estimate",)).items() if k[4] in CODES
        }
        latest = oracle.view_of(
            oracle.load_round(rounds[1]),
            roots=roots,
            targets_framework=layout.framework,
            family="r2",
            competence_codes=CODES,
        )
        assert current == {k: {n: v for n, v in latest.values[k].items() if n in current[k]} for k in current}
        result = check(
            combined.rows, k=oracle.load_round(rounds[1]).k, targets=combined.targets, sizes=combined.sizes
        )
        assert result.disclosures == [], result.disclosures[:3]
