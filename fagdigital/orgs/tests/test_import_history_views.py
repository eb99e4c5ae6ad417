"""The import pages around the safeguards: background check with progress, preview of old → new values
with filters and pages, the reuse warning, the typed confirmation, the history and undo."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fagdigital.accounts.models import User
from fagdigital.orgs.models import Engagement, ImportMode, ImportStatus, PeopleImport, Person
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

HEADER = "medarbejdernummer;navn;e-mail;enhed;stillingsbetegnelse;leder\r\n"


def staff_csv(count: int, *, changes: dict[int, str] | None = None) -> bytes:
    lines = []
    for number in range(1, count + 1):
        leader = "ja" if number == 1 else "nej"
        line = f"{number};Person {number};p{number}@kommune.dk;Kommunen/Team;Assistent;{leader}"
        lines.append((changes or {}).get(number, line))
    return (HEADER + "\r\n".join(lines) + "\r\n").encode()


@pytest.fixture
def admin_user(make_member: Callable[..., User], organisation: Organisation) -> User:
    return make_member(organisation, "competence_admin")


@pytest.fixture
def admin(client_for: Callable[[User], Client], admin_user: User) -> Client:
    return client_for(admin_user)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def upload(client: Client, data: bytes, mode: str = ImportMode.FULL) -> PeopleImport:
    response = client.post(
        reverse("orgs:import_start"), {"file": SimpleUploadedFile("personer.csv", data), "mode": mode}
    )
    assert response.status_code == 302
    return PeopleImport.objects.latest("created_at")


def apply(client: Client, stored: PeopleImport, **fields: str) -> PeopleImport:
    client.post(reverse("orgs:import_apply", args=[stored.pk]), {"action": "apply", **fields})
    stored.refresh_from_db()
    return stored


def test_the_upload_stores_the_file_and_checks_it_in_the_background(admin: Client) -> None:
    stored = upload(admin, staff_csv(3))
    # The tests' task backend runs the check at once; a worker would show its progress meanwhile.
    assert stored.status == ImportStatus.VALIDATED
    checking = PeopleImport.objects.create(
        organisation=stored.organisation,
        filename="p.csv",
        status=ImportStatus.CHECKING,
        row_count=900,
        processed=300,
    )
    page = admin.get(reverse("orgs:import_preview", args=[checking.pk])).content.decode()
    assert "Kontrollerer filen" in page and 'hx-trigger="every 1s"' in page
    assert "?fra=kontrol" in page and "300 af cirka 900 rækker" in text(page)
    status_url = reverse("orgs:import_status", args=[checking.pk]) + "?fra=kontrol"
    still = admin.get(status_url, headers={"HX-Request": "true"})
    assert still.status_code == 200 and "HX-Refresh" not in still
    PeopleImport.objects.filter(pk=checking.pk).update(status=ImportStatus.INVALID)
    done = admin.get(status_url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_the_preview_shows_old_and_new_values_and_filters_and_pages(admin: Client) -> None:
    apply(admin, upload(admin, staff_csv(60)))
    changes = {
        number: f"{number};Person {number} Ny;p{number}@kommune.dk;Kommunen/Andet team;Assistent;nej"
        for number in range(2, 60)
    }
    stored = upload(admin, staff_csv(60, changes=changes))
    body = admin.get(reverse("orgs:import_preview", args=[stored.pk])).content.decode()
    visible = text(body)
    assert "Ændringer pr. person" in visible
    assert "Viser 1\u201350 af 58 personer." in visible
    assert "Person 10 Ny" in visible and "Kommunen / Team" in visible and "Kommunen / Andet team" in visible
    assert 'class="import-old">Person 10<' in body and 'class="import-new">Person 10 Ny<' in body
    assert "side=2#aendringer" in body
    second = text(admin.get(reverse("orgs:import_preview", args=[stored.pk]) + "?side=2").content.decode())
    assert "Viser 51\u201358 af 58 personer." in second
    found = text(
        admin.get(reverse("orgs:import_preview", args=[stored.pk]) + "?q=Person+33").content.decode()
    )
    assert "Viser 1\u20131 af 1 personer." in found


def test_a_reused_employee_number_is_warned_at_the_top_and_must_be_acknowledged(
    admin: Client, organisation: Organisation
) -> None:
    apply(admin, upload(admin, staff_csv(20)))
    stored = upload(
        admin, staff_csv(20, changes={7: "7;Helt Anden;anden@kommune.dk;Kommunen/Team;Assistent;nej"})
    )
    body = admin.get(reverse("orgs:import_preview", args=[stored.pk])).content.decode()
    alert = body.index('id="genbrugte-numre"')
    assert alert < body.index("Det sker, når du indlæser filen")
    assert "1 medarbejdernummer hører nu til en anden person" in text(body)
    assert "Helt Anden" in body[alert:] and "Person 7" in body[alert:]
    refused = admin.post(reverse("orgs:import_apply", args=[stored.pk]), {"action": "apply"})
    assert refused.status_code == 400
    assert "Bekræft, at du har kontrolleret de medarbejdernumre" in text(refused.content.decode())
    assert Person.objects.get(organisation=organisation, employee_number="7").name == "Person 7"
    apply(admin, stored, accept_number_reuse="on")
    assert Person.objects.get(organisation=organisation, employee_number="7").name == "Helt Anden"


def test_a_partial_upload_ends_nobody(admin: Client, organisation: Organisation) -> None:
    apply(admin, upload(admin, staff_csv(20)))
    stored = upload(admin, staff_csv(2), mode=ImportMode.PARTIAL)
    assert stored.preview["ending_count"] == 0 and stored.mode == ImportMode.PARTIAL
    assert apply(admin, stored).status == ImportStatus.DONE
    assert Engagement.objects.filter(organisation=organisation, end_date__isnull=True).count() == 20


def test_the_history_lists_imports_with_counts_and_offers_undo_of_the_last(
    admin: Client, admin_user: User, organisation: Organisation
) -> None:
    first = apply(admin, upload(admin, staff_csv(20)))
    second = apply(
        admin,
        upload(
            admin, staff_csv(20, changes={3: "3;Person 3;p3@kommune.dk;Kommunen/Andet team;Assistent;nej"})
        ),
    )
    body = admin.get(reverse("orgs:import_history")).content.decode()
    visible = text(body)
    assert visible.count("personer.csv") >= 2
    assert "Hele organisationen" in visible and admin_user.full_name in visible
    assert reverse("orgs:import_undo", args=[second.pk]) in body
    assert reverse("orgs:import_undo", args=[first.pk]) not in body
    assert second.summary["people_moved"] == 1

    page = admin.get(reverse("orgs:import_undo", args=[second.pk])).content.decode()
    assert "Fortryd import" in page and "Besvarelser, resultater og logins røres ikke" in text(page)
    unconfirmed = admin.post(reverse("orgs:import_undo", args=[second.pk]), {})
    assert (
        unconfirmed.status_code == 400
        and "Bekræft, at importen skal fortrydes." in unconfirmed.content.decode()
    )
    admin.post(reverse("orgs:import_undo", args=[second.pk]), {"confirm": "on"})
    second.refresh_from_db()
    assert second.status == ImportStatus.UNDONE and second.undone_by == admin_user
    moved = Engagement.objects.get(
        organisation=organisation, person__employee_number="3", end_date__isnull=True
    )
    assert moved.unit.name == "Team"
    done = text(admin.get(reverse("orgs:import_preview", args=[second.pk])).content.decode())
    assert "Importen er fortrudt" in done
    refused = text(admin.get(reverse("orgs:import_undo", args=[first.pk])).content.decode())
    assert "Importen kan ikke fortrydes" in refused and "Kun den seneste import kan fortrydes" in refused


def test_undo_and_history_are_for_hr_of_the_same_organisation_only(
    admin: Client,
    client_for: Callable[[User], Client],
    make_member: Callable[..., User],
    organisation: Organisation,
) -> None:
    stored = apply(admin, upload(admin, staff_csv(3)))
    for roles in (("employee",), ("employee", "leader"), ("top_management",)):
        client = client_for(make_member(organisation, *roles))
        assert client.get(reverse("orgs:import_history")).status_code == 403
        assert (
            client.post(reverse("orgs:import_undo", args=[stored.pk]), {"confirm": "on"}).status_code == 403
        )
    other: Organisation = OrganisationFactory()
    outsider = client_for(make_member(other, "competence_admin"))
    assert outsider.post(reverse("orgs:import_undo", args=[stored.pk]), {"confirm": "on"}).status_code == 404
    assert "personer.csv" not in outsider.get(reverse("orgs:import_history")).content.decode()
    stored.refresh_from_db()
    assert stored.status == ImportStatus.DONE
