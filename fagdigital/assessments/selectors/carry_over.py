"""Levels across framework versions: which earlier competences a version takes people's levels from.

Evidence and estimates stay tied to the competence rows of the version they were given in (so a level
can always be traced to the round and the version it came from). A newer version reads them by code at
read time: a competence continues from the version before when that version has the same code and the
newer one does not mark it as a material change (`frameworks.selectors.material_changes`); the chain
goes back version by version until a version lacks the code or marks it. Nothing is rewritten when HR
publishes a version (decision 0015).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from fagdigital.frameworks.models import Competence, Framework, FrameworkStatus


@dataclass(frozen=True)
class CarryOver:
    """A framework version and the earlier competence rows whose levels count in it."""

    framework: Framework
    # Competence id in an earlier version → the competence id in this version it counts for.
    earlier: dict[int, int]
    # Competence id in an earlier version → the version number it belongs to.
    version_of: dict[int, int]
    # Codes this version marks as material changes: levels from before it do not count for them.
    material: frozenset[str]

    def sources_of(self, competence_ids: set[int]) -> list[int]:
        """Every competence id whose evidence counts for these competences of this version."""
        return [*competence_ids, *(old for old, new in self.earlier.items() if new in competence_ids)]

    def current(self, competence_id: int) -> int:
        """The competence of this version that evidence on `competence_id` counts for."""
        return self.earlier.get(competence_id, competence_id)

    def version(self, competence_id: int) -> int:
        return self.version_of.get(competence_id, self.framework.version)

    def carried(self, competence_id: int) -> bool:
        """Whether evidence on this competence row comes from an earlier version."""
        return competence_id in self.earlier


def carry_over(*, framework: Framework) -> CarryOver:
    """The carry-over into `framework` from the earlier versions of the same framework (same key).

    One query when there is no earlier version, two otherwise; drafts never count. Which codes a version
    marks is `Competence.material_change`, the field `frameworks.selectors.material_changes` reads, read
    here for every version of the chain in the one query (test_profile_versions checks they agree).
    """
    versions = list(
        Framework.objects.filter(
            organisation_id=framework.organisation_id, key=framework.key, version__lt=framework.version
        )
        .exclude(status=FrameworkStatus.DRAFT)
        .order_by("-version")
    )
    if not versions:
        # Nothing to carry over, and so nothing a material change could hold back.
        return CarryOver(framework=framework, earlier={}, version_of={}, material=frozenset())
    chain = [framework, *versions]  # newest first
    rows: dict[int, dict[str, int]] = defaultdict(dict)
    material: dict[int, set[str]] = defaultdict(set)
    for pk, code, framework_id, changed in Competence.objects.filter(framework__in=chain).values_list(
        "pk", "code", "framework_id", "material_change"
    ):
        rows[framework_id][code] = pk
        if changed:
            material[framework_id].add(code)
    earlier: dict[int, int] = {}
    version_of: dict[int, int] = {}
    for code, current in rows[framework.pk].items():
        for newer, older in pairwise(chain):
            if code in material[newer.pk]:
                break  # the newer version says the level means something else now
            previous = rows[older.pk].get(code)
            if previous is None:
                break  # the competence did not exist then: the chain stops
            earlier[previous] = current
            version_of[previous] = older.version
    return CarryOver(
        framework=framework,
        earlier=earlier,
        version_of=version_of,
        material=frozenset(material[framework.pk]),
    )
