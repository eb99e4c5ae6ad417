"""What the planner needs from the database: framework, items, participants, chiefs and their logins."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection

from fagdigital.accounts.models import User
from fagdigital.assessments.models import (
    Campaign,
    Participant,
    RespondentType,
    TestItem,
)
from fagdigital.frameworks.models import Competence, Framework, RoleTarget
from fagdigital.orgs.models import Engagement, OrgUnit, Person, UnitLeader
from fagdigital.orgs.selectors import active_engagements_q
from fagdigital.tenancy.models import Membership, Organisation, Role

from .planner import CHIEF_FUNCTIONS, CHIEF_TYPES, CompetenceInfo, ItemInfo, Member

# --- reading what the model needs -------------------------------------------------------------------


def _framework_info(framework: Framework) -> tuple[list[CompetenceInfo], dict[str, dict[int, int]]]:
    competences = [
        CompetenceInfo(pk=pk, code=code, area=area)
        for pk, code, area in Competence.objects.filter(framework=framework, parent__isnull=True).values_list(
            "pk", "code", "area__code"
        )
    ]
    targets: dict[str, dict[int, int]] = defaultdict(dict)
    top = {c.pk for c in competences}
    for code, competence_id, level in RoleTarget.objects.filter(
        role_profile__framework=framework
    ).values_list("role_profile__code", "competence_id", "level"):
        if competence_id in top:
            targets[code][competence_id] = level
    return competences, dict(targets)


def _item_info(organisation: Organisation, framework: Framework) -> list[ItemInfo]:
    return [
        ItemInfo(
            pk=item.pk,
            competence_code=item.competence_code,
            difficulty=item.difficulty,
            kind=item.kind,
            keys=tuple(str(option["key"]) for option in item.options),
            correct=item.correct_keys,
            role_codes=frozenset(item.role_codes),
        )
        for item in TestItem.objects.filter(
            organisation=organisation, framework_key=framework.key, active=True
        )
    ]


def _members(campaign: Campaign) -> list[Member]:
    """The campaign's participants with their unit's names, whether they lead it, and who rates them."""
    units = {
        path: (pk, parent_id, name)
        for pk, path, parent_id, name in OrgUnit.objects.filter(
            organisation_id=campaign.organisation_id
        ).values_list("pk", "path", "parent_id", "name")
    }
    leaders: dict[int, list[int]] = defaultdict(list)
    for unit_id, person_id in (
        UnitLeader.objects.filter(organisation_id=campaign.organisation_id)
        .order_by("person_id")
        .values_list("unit_id", "person_id")
    ):
        leaders[unit_id].append(person_id)
    rows = Participant.objects.filter(campaign=campaign).values_list(
        "person_id", "person__employee_number", "unit_id", "unit_path", "role_profile_code"
    )
    members: list[Member] = []
    for person_id, number, unit_id, path, code in rows:
        leads = person_id in leaders.get(unit_id, [])
        rater_unit: int | None = unit_id
        if leads:
            rater_unit = units[path][1] if path in units else None
        rater = next(iter(leaders.get(rater_unit, [])), None) if rater_unit is not None else None
        names = frozenset(units[path[:end]][2] for end in range(4, len(path) + 1, 4) if path[:end] in units)
        members.append(
            Member(
                person_id=person_id,
                employee_number=number,
                unit_path=path,
                role_profile_code=code,
                leads=leads,
                rater_id=rater if rater != person_id else None,
                unit_names=names,
            )
        )
    return members


def _chief_types(organisation: Organisation, chiefs: Sequence[int]) -> dict[int, str]:
    """The kind of chief each chief answers as: by job function, a fagchef unless CHIEF_TYPES says else."""
    functions = dict(
        Engagement.objects.filter(active_engagements_q(), organisation=organisation, person_id__in=chiefs)
        .order_by("is_primary", "start_date")  # the primary engagement last, so it wins in the dict
        .values_list("person_id", "job_function__name")
    )
    fallback = RespondentType.SERVICE_AREA.value
    return {chief: CHIEF_TYPES.get(functions.get(chief, ""), fallback) for chief in chiefs}


def _chiefs(organisation: Organisation, members: Sequence[Member]) -> list[int]:
    """Top management: the leaders of the top units and the directors and digitalisation chief."""
    by_function = set(
        Engagement.objects.filter(
            active_engagements_q(),
            organisation=organisation,
            job_function__name__in=CHIEF_FUNCTIONS,
        ).values_list("person_id", flat=True)
    )
    top_leaders = {m.person_id for m in members if m.leads and len(m.unit_path) == 4}
    present = {m.person_id for m in members}
    return sorted((by_function | top_leaders) & present)


# --- users for the people who answered --------------------------------------------------------------


def _users_for(
    organisation: Organisation,
    person_ids: Iterable[int],
    *,
    leaders: set[int],
    chiefs: set[int],
) -> tuple[dict[int, int], int]:
    """User ids for these people, and how many logins were created.

    Whoever has no login gets one, as the sign-in link in their invitation would have made: no usable
    password, the employee role, and the leader and top-management roles where they are leaders or
    chiefs. Existing logins and their roles are left as they are.
    """
    people = list(Person.objects.filter(pk__in=set(person_ids)).values_list("pk", "user_id", "email", "name"))
    users = {pk: user_id for pk, user_id, _email, _name in people if user_id is not None}
    missing = [(pk, (email or "").strip().lower(), name) for pk, user, email, name in people if user is None]
    if not missing:
        return users, 0
    wanted = {email for _pk, email, _name in missing if email}
    linked = set(
        Person.objects.filter(organisation=organisation, user__email__in=wanted).values_list(
            "user__email", flat=True
        )
    )
    existing = dict(User.objects.filter(email__in=wanted).values_list("email", "pk"))
    new_users: list[tuple[int, User]] = []
    for pk, email, name in missing:
        if email in existing and email not in linked:
            users[pk] = existing[email]  # a login made for this person before (an earlier seed)
            linked.add(email)
            continue
        address = email
        if not address or address in existing:
            address = f"person-{pk}@{organisation.kommunekode or organisation.pk}.demo.invalid"
        # An unusable password, as for users made by a sign-in link (nothing to hash; one random
        # suffix per user, as make_password(None) makes it, but 40 times cheaper).
        password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)
        new_users.append((pk, User(email=address, full_name=name, password=password)))
    User.objects.bulk_create([user for _pk, user in new_users], batch_size=5000)
    created = {pk: user.pk for pk, user in new_users}
    users.update(created)
    # One statement per person, pipelined (bulk_update's CASE per row costs more than the update).
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {Person._meta.db_table} SET user_id = %s WHERE id = %s",  # noqa: S608 -- table name
            [(users[pk], pk) for pk, _email, _name in missing],
        )
    memberships = []
    for person_id, user_id in created.items():
        roles = {Role.EMPLOYEE.value}
        if person_id in leaders:
            roles.add(Role.LEADER.value)
        if person_id in chiefs:
            roles.add(Role.TOP_MANAGEMENT.value)
        memberships.append(Membership(user_id=user_id, organisation=organisation, roles=sorted(roles)))
    Membership.objects.bulk_create(memberships, batch_size=5000)
    return users, len(created)
