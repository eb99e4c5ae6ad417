"""The exact disclosure check finds the leaks of decision 0009 and passes what is safe (it can fail)."""

from __future__ import annotations

from tests.privacy.disclosure import LEVELS, Row, check, in_span


def count_row(people: list[str], family: str = "self") -> Row:
    return {(p, family, level): 1 for p in people for level in LEVELS}


def level_rows(people: list[str], family: str = "self") -> list[Row]:
    return [{(p, family, level): 1 for p in people} for level in LEVELS]


def at_row(people: list[str], targets: dict[str, int], family: str = "self") -> Row:
    return {(p, family, level): 1 for p in people for level in LEVELS if level >= targets[p]}


def test_parent_minus_children_reveals_the_people_placed_directly() -> None:
    # A department of two teams of 5 and its leader: department minus the teams is the leader.
    team_a = [f"a{i}" for i in range(5)]
    team_b = [f"b{i}" for i in range(5)]
    rows = [*level_rows([*team_a, *team_b, "leader"]), *level_rows(team_a), *level_rows(team_b)]
    result = check(rows, k=5)
    assert {d.people for d in result.disclosures} == {frozenset({"leader"})}
    assert in_span(rows, {("leader", "self", 3): 1})


def test_role_totals_minus_a_department_reveal_two_people() -> None:
    # The first example: three people placed directly in a top unit (one per role profile) and
    # two departments; two role totals minus one department's total give the two direct people.
    x = [f"x{i}" for i in range(6)]  # department 1, role X
    y = [f"y{i}" for i in range(6)]  # department 1, role Y
    z = [f"z{i}" for i in range(6)]  # department 2, role Z
    rows = [
        *level_rows([*x, *y, *z, "dx", "dy", "dz"]),  # top unit
        *level_rows([*x, *y]),  # department 1
        *level_rows(z),  # department 2
        *level_rows([*x, "dx"]),  # role X total
        *level_rows([*y, "dy"]),  # role Y total
        *level_rows([*z, "dz"]),  # role Z total
    ]
    people = {d.people for d in check(rows, k=5).disclosures}
    assert frozenset({"dx", "dy"}) in people


def test_a_distribution_and_a_share_at_target_over_mixed_targets_reveal_the_smaller_role() -> None:
    big = [f"b{i}" for i in range(6)]  # target 3
    few = ["f1", "f2"]  # target 2
    targets = {**dict.fromkeys(big, 3), **dict.fromkeys(few, 2)}
    rows = [*level_rows([*big, *few]), at_row([*big, *few], targets)]
    result = check(rows, k=5, targets={(p, "self"): t for p, t in targets.items()})
    assert any(d.people == frozenset(few) and d.kind == "level 2" for d in result.disclosures)


def test_estimate_minus_self_reveals_the_one_person_with_a_leader_rating() -> None:
    team = [f"p{i}" for i in range(6)]
    # The leader rated p0 only: p0's estimate is the leader rating, the others' their self-assessment.
    estimate = [{(p, "leader" if p == "p0" else "self", level): 1 for p in team} for level in LEVELS]
    own = level_rows(team, "self")
    leader = level_rows(["p0"], "leader")  # the leader knows their own rating
    result = check([*estimate, *own, *leader], k=5)
    assert any(d.people == frozenset({"p0"}) and d.family == "self" for d in result.disclosures)


def test_sums_over_groups_of_at_least_k_determine_nobody() -> None:
    a = [f"a{i}" for i in range(5)]
    b = [f"b{i}" for i in range(7)]
    c = [f"c{i}" for i in range(5)]
    targets = dict.fromkeys(a + b + c, 2)
    rows = [
        *level_rows(a),
        *level_rows(b),
        *level_rows([*a, *b, *c]),
        at_row([*a, *b], targets),
        *level_rows([*b, *c], "test"),
    ]
    result = check(rows, k=5, targets={(p, f): 2 for p in targets for f in ("self", "test")})
    assert result.disclosures == []
    assert result.small_atoms == 0
