"""The people import in the browser: upload → preview → apply → progress → outcome, and who may use it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from fagdigital.accounts.models import User
from fagdigital.orgs.models import Engagement, ImportStatus, PeopleImport, Person
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import EngagementFactory, OrganisationFactory, OrgUnitFactory, PersonFactory

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "\ufeffmedarbejdernummer;navn;e-mail;enhed;stillingsbetegnelse;leder\r\n"
    "1;Dorte Direktør;;Social og Sundhed;Direktør;ja\r\n"
    "2;Anne Andersen;anne@kommune.dk;Social og Sundhed/Hjemmeplejen/Team Nord;Teamleder;ja\r\n"
    "3;Bo Berg;;Social og Sundhed/Hjemmeplejen/Team Nord;Social- og sundhedshjælper;nej\r\n"
).encode()
BAD_CSV = (
    "medarbejdernummer;navn;e-mail;enhed;stillingsbetegnelse;leder\r\n"
    "1;Anne;anne@@kommune.dk;Team Nord;Teamleder;ja\r\n"
    "1;Bo;;Team Nord;=Hjælper;nej\r\n"
).encode()


@pytest.fixture
def admin(
    client_for: Callable[[User], Client], make_member: Callable[..., User], organisation: Organisation
) -> Client:
    return client_for(make_member(organisation, "competence_admin"))


def upload(client: Client, data: bytes, name: str = "personer.csv") -> PeopleImport:
    response = client.post(reverse("orgs:import_start"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = PeopleImport.objects.latest("created_at")
    assert response["Location"] == reverse("orgs:import_preview", args=[stored.pk])
    return stored


def text(html: str) -> str:
    """The visible text, with whitespace collapsed (templates wrap long sentences)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_upload_page_has_a_labelled_file_input_with_a_hint_and_the_format(admin: Client) -> None:
    body = admin.get(reverse("orgs:import_start")).content.decode()
    assert body.count("<h1") == 1
    assert '<label class="form-label" for="id_file">' in body
    assert 'type="file"' in body and 'aria-describedby="id_file-hint"' in body
    assert 'id="id_file-hint"' in body and "20" in body
    assert "stillingsbetegnelse" in body and "job title" in body
    assert "?hent=eksempel" in body


def test_the_example_file_is_downloadable_and_valid(admin: Client) -> None:
    response = admin.get(reverse("orgs:import_start") + "?hent=eksempel")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content.startswith(b"\xef\xbb\xbfmedarbejdernummer;")
    stored = upload(admin, response.content)
    assert stored.status == ImportStatus.VALIDATED
    assert stored.row_count == 15


def test_a_valid_upload_shows_what_will_change_with_apply_and_cancel_and_writes_no_people(
    admin: Client, organisation: Organisation
) -> None:
    stored = upload(admin, GOOD_CSV)
    assert stored.status == ImportStatus.VALIDATED
    assert not Person.objects.filter(organisation=organisation).exists()
    body = admin.get(reverse("orgs:import_preview", args=[stored.pk])).content.decode()
    visible = text(body)
    assert "Nye personer 3" in visible
    assert "Nye enheder 3" in visible
    assert "Social og Sundhed / Hjemmeplejen / Team Nord" in visible
    assert f'action="{reverse("orgs:import_apply", args=[stored.pk])}"' in body
    assert 'value="apply"' in body and ">Indlæs<" in body and ">Annullér<" in body


def test_an_invalid_upload_lists_every_problem_with_line_column_and_fix_and_offers_no_apply(
    admin: Client, organisation: Organisation
) -> None:
    stored = upload(admin, BAD_CSV)
    assert stored.status == ImportStatus.INVALID
    assert bytes(stored.content) == b""
    body = admin.get(reverse("orgs:import_preview", args=[stored.pk])).content.decode()
    visible = text(body)
    assert "Filen har 2 fejl. Intet er ændret, og filen er slettet." in visible
    assert "Linje" in body and "Kolonne" in body and "Sådan retter du det" in body
    assert '<th scope="col">' in body and "<caption>" in body
    assert "»anne@@kommune.dk« er ikke en gyldig e-mailadresse." in visible
    assert "Ret adressen, eller lad feltet være tomt." in visible
    assert "Medarbejdernummeret »1« står også på linje 2." in visible
    assert "gemmes som tekst" in visible  # the warning for "=Hjælper" is listed too
    assert 'value="apply"' not in body
    assert reverse("orgs:import_start") in body
    assert not Person.objects.filter(organisation=organisation).exists()


@override_settings(FAGDIGITAL_IMPORT_MAX_BYTES=100)
def test_a_file_over_the_limit_is_refused_at_the_field_and_not_stored(admin: Client) -> None:
    response = admin.post(reverse("orgs:import_start"), {"file": SimpleUploadedFile("p.csv", GOOD_CSV)})
    body = response.content.decode()
    assert response.status_code == 200
    assert "men der er højst plads til 100" in body
    assert 'aria-invalid="true"' in body and "id_file-error-1" in body
    assert not PeopleImport.objects.exists()


def test_uploading_without_a_file_says_so(admin: Client) -> None:
    body = admin.post(reverse("orgs:import_start"), {}).content.decode()
    assert "Vælg filen med medarbejdere." in body
    assert not PeopleImport.objects.exists()


def test_apply_runs_the_task_and_the_page_then_shows_the_outcome(
    admin: Client, organisation: Organisation
) -> None:
    stored = upload(admin, GOOD_CSV)
    response = admin.post(reverse("orgs:import_apply", args=[stored.pk]), {"action": "apply"})
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:import_preview", args=[stored.pk])
    stored.refresh_from_db()
    assert stored.status == ImportStatus.DONE  # the tests' task backend runs tasks at once
    assert set(Person.objects.filter(organisation=organisation).values_list("name", flat=True)) == {
        "Dorte Direktør",
        "Anne Andersen",
        "Bo Berg",
    }
    body = admin.get(reverse("orgs:import_preview", args=[stored.pk])).content.decode()
    assert "Importen er indlæst" in body
    assert "Nye personer 3" in text(body)
    assert "hx-trigger" not in body


def test_the_status_partial_polls_while_running_and_stops_when_done(
    admin: Client, organisation: Organisation
) -> None:
    stored = PeopleImport.objects.create(
        organisation=organisation,
        filename="p.csv",
        status=ImportStatus.APPLYING,
        row_count=45000,
        processed=12000,
        outcome={"phase": "reading"},
    )
    url = reverse("orgs:import_status", args=[stored.pk])
    partial = admin.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert f'hx-get="{url}"' in partial and 'hx-trigger="every 1s"' in partial
    assert '<progress id="import-progress" max="45000" value="12000">' in partial
    assert "12.000 af 45.000 rækker" in text(partial)
    page = admin.get(reverse("orgs:import_preview", args=[stored.pk])).content.decode()
    assert 'role="status" aria-live="polite"' in page and 'hx-trigger="every 1s"' in page

    PeopleImport.objects.filter(pk=stored.pk).update(outcome={"phase": "writing"})
    writing = admin.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Gemmer ændringerne" in writing and 'hx-trigger="every 1s"' in writing

    PeopleImport.objects.filter(pk=stored.pk).update(
        status=ImportStatus.DONE, outcome={"summary": {"people_created": 45000}, "seconds": 6.1}
    )
    done = admin.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done and "hx-get" not in done
    assert "Importen er indlæst" in done and "Nye personer 45.000" in text(done)


def test_a_failed_import_says_nothing_changed_and_asks_for_the_file_again(
    admin: Client, organisation: Organisation
) -> None:
    stored = PeopleImport.objects.create(
        organisation=organisation,
        filename="p.csv",
        content=b"",
        status=ImportStatus.FAILED,
        row_count=3,
        outcome={"error": "exception"},
    )
    body = admin.get(reverse("orgs:import_preview", args=[stored.pk])).content.decode()
    assert "Importen mislykkedes" in body and "intet er ændret" in body
    assert "Filen er slettet. Upload den igen" in body
    assert 'value="apply"' not in body
    admin.post(reverse("orgs:import_apply", args=[stored.pk]), {"action": "apply"})
    stored.refresh_from_db()
    assert stored.status == ImportStatus.FAILED
    assert not Person.objects.filter(organisation=organisation).exists()


def test_a_reimport_lists_the_people_whose_engagements_end_and_ends_them_only_on_apply(
    admin: Client, organisation: Organisation
) -> None:
    unit = OrgUnitFactory(organisation=organisation, name="Borgerservice")
    leaving = EngagementFactory(
        person=PersonFactory(organisation=organisation, name="Gitte Går", employee_number="77"), unit=unit
    )
    stored = upload(admin, GOOD_CSV)
    body = admin.get(reverse("orgs:import_preview", args=[stored.pk])).content.decode()
    visible = text(body)
    assert "1 person står ikke i filen og får sin ansættelse afsluttet" in visible
    assert "Gitte Går" in visible and "77" in visible
    leaving.refresh_from_db()
    assert leaving.end_date is None
    # 1 of 1 active engagements is over the 10 % threshold: the number must be typed.
    refused = admin.post(reverse("orgs:import_apply", args=[stored.pk]), {"action": "apply"})
    assert refused.status_code == 400
    refusal = text(refused.content.decode())
    assert "Skriv antallet af personer, der får deres ansættelser afsluttet (1), for at bekræfte." in refusal
    wrong = admin.post(
        reverse("orgs:import_apply", args=[stored.pk]), {"action": "apply", "confirm_ending": "2"}
    )
    assert wrong.status_code == 400
    assert "Du skrev »2«, men antallet af personer, hvis ansættelser afsluttes, er 1." in text(
        wrong.content.decode()
    )
    leaving.refresh_from_db()
    assert leaving.end_date is None
    admin.post(reverse("orgs:import_apply", args=[stored.pk]), {"action": "apply", "confirm_ending": "1"})
    leaving.refresh_from_db()
    assert leaving.end_date is not None
    assert not Engagement.objects.filter(pk=leaving.pk, end_date__isnull=True).exists()


def test_cancel_deletes_the_import_and_changes_nothing(admin: Client, organisation: Organisation) -> None:
    stored = upload(admin, GOOD_CSV)
    response = admin.post(reverse("orgs:import_apply", args=[stored.pk]), {"action": "cancel"}, follow=True)
    assert "Importen er annulleret" in response.content.decode()
    stored.refresh_from_db()
    assert (stored.status, bytes(stored.content)) == (ImportStatus.CANCELLED, b"")
    assert not stored.items.exists()
    assert not Person.objects.filter(organisation=organisation).exists()


def test_apply_only_accepts_post(admin: Client) -> None:
    stored = upload(admin, GOOD_CSV)
    assert admin.get(reverse("orgs:import_apply", args=[stored.pk])).status_code == 405
    stored.refresh_from_db()
    assert stored.status == ImportStatus.VALIDATED


def test_an_invalid_import_cannot_be_applied(admin: Client, organisation: Organisation) -> None:
    stored = upload(admin, BAD_CSV)
    admin.post(reverse("orgs:import_apply", args=[stored.pk]), {"action": "apply"})
    stored.refresh_from_db()
    assert stored.status == ImportStatus.INVALID
    assert not Person.objects.filter(organisation=organisation).exists()


def test_another_organisations_import_is_not_found(admin: Client) -> None:
    other: Organisation = OrganisationFactory()
    theirs = PeopleImport.objects.create(
        organisation=other,
        filename="hemmelig.csv",
        content=GOOD_CSV,
        status=ImportStatus.VALIDATED,
    )
    for name in ("orgs:import_preview", "orgs:import_status"):
        assert admin.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert admin.post(reverse("orgs:import_apply", args=[theirs.pk]), {"action": "apply"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ImportStatus.VALIDATED


@pytest.mark.parametrize("roles", [("employee",), ("employee", "leader"), ("top_management",)])
def test_only_competence_admins_may_import(
    client_for: Callable[[User], Client],
    make_member: Callable[..., User],
    organisation: Organisation,
    roles: tuple[str, ...],
) -> None:
    stored = PeopleImport.objects.create(
        organisation=organisation, filename="p.csv", content=GOOD_CSV, status=ImportStatus.VALIDATED
    )
    client = client_for(make_member(organisation, *roles))
    assert client.get(reverse("orgs:import_start")).status_code == 403
    assert (
        client.post(reverse("orgs:import_start"), {"file": SimpleUploadedFile("p.csv", GOOD_CSV)}).status_code
        == 403
    )
    assert client.get(reverse("orgs:import_preview", args=[stored.pk])).status_code == 403
    assert client.get(reverse("orgs:import_status", args=[stored.pk])).status_code == 403
    assert client.post(reverse("orgs:import_apply", args=[stored.pk])).status_code == 403
    stored.refresh_from_db()
    assert stored.status == ImportStatus.VALIDATED
    assert PeopleImport.objects.count() == 1


def test_anonymous_users_are_sent_to_login(client: Client) -> None:
    response = client.get(reverse("orgs:import_start"))
    assert response.status_code == 302
    assert "log-ind" in response["Location"]


def test_recent_imports_are_listed_on_the_upload_page(admin: Client) -> None:
    upload(admin, GOOD_CSV, name="januar.csv")
    body = admin.get(reverse("orgs:import_start")).content.decode()
    assert "januar.csv" in body and "Klar til indlæsning" in body
