"""Import (upload → preview → load as draft) and export pages, for competence admins of the organisation."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fagdigital.accounts.models import User
from fagdigital.frameworks import selectors, services
from fagdigital.frameworks.formats.moodle import read_moodle_csv
from fagdigital.frameworks.models import Framework, FrameworkImport, FrameworkStatus
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"
IMPORT_URL = "/rammer/import/"


@pytest.fixture
def admin(
    client_for: Callable[[User], Client], make_member: Callable[..., User], organisation: Organisation
) -> Client:
    return client_for(make_member(organisation, "competence_admin"))


def upload(client: Client, name: str, content: bytes, file_format: str) -> FrameworkImport:
    response = client.post(
        IMPORT_URL, {"file": SimpleUploadedFile(name, content), "file_format": file_format}
    )
    assert response.status_code == 302
    framework_import = FrameworkImport.objects.latest("pk")
    assert response["Location"] == reverse("frameworks:import_preview", args=[framework_import.pk])
    return framework_import


def test_only_competence_admins_may_import(
    client: Client,
    client_for: Callable[[User], Client],
    make_member: Callable[..., User],
    organisation: Organisation,
) -> None:
    assert client.get(IMPORT_URL).status_code == 302  # to login
    employee = client_for(make_member(organisation, "employee", "leader"))
    assert employee.get(IMPORT_URL).status_code == 403
    assert employee.post(IMPORT_URL).status_code == 403


def test_the_import_page_has_one_heading_and_the_format_choice(admin: Client) -> None:
    body = admin.get(IMPORT_URL).content.decode()
    assert body.count("<h1") == 1
    assert 'type="radio"' in body and 'value="moodle-csv"' in body and "<legend" in body
    assert 'enctype="multipart/form-data"' in body


def test_a_valid_json_file_is_previewed_then_loaded_as_a_draft_once(
    admin: Client, organisation: Organisation
) -> None:
    framework_import = upload(admin, "ramme.json", (EXAMPLES / "framework-minimal.json").read_bytes(), "json")
    assert framework_import.status == "valid"
    assert not Framework.objects.exists()

    preview = admin.get(reverse("frameworks:import_preview", args=[framework_import.pk])).content.decode()
    assert "IT-sikkerhed i hjemmeplejen" in preview
    assert "bliver en ny ramme" in preview and "Indlæs som kladde" in preview
    assert '<th scope="row">Kompetencer</th>' in preview and "<td>3</td>" in preview

    response = admin.post(reverse("frameworks:import_preview", args=[framework_import.pk]))
    framework = Framework.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("frameworks:detail", args=[framework.pk])
    assert framework.organisation == organisation and framework.status == FrameworkStatus.DRAFT
    assert framework.version == 1 and framework.key == "it-sikkerhed-hjemmeplejen"
    framework_import.refresh_from_db()
    assert framework_import.status == "applied" and framework_import.framework == framework

    again = admin.post(reverse("frameworks:import_preview", args=[framework_import.pk]))
    assert again["Location"] == response["Location"]
    assert Framework.objects.count() == 1
    assert (
        "Rammen er indlæst"
        in admin.get(reverse("frameworks:import_preview", args=[framework_import.pk])).content.decode()
    )


def test_a_file_with_errors_shows_every_problem_and_saves_nothing(admin: Client) -> None:
    raw = (EXAMPLES / "moodle-framework.csv").read_bytes().replace(b"DK2,DK2.1,", b"DK2.1.1,DK2.1,")
    framework_import = upload(admin, "moodle.csv", raw, "moodle-csv")
    assert framework_import.status == "invalid"
    url = reverse("frameworks:import_preview", args=[framework_import.pk])
    body = admin.get(url).content.decode()
    assert "Filen kan ikke indlæses" in body and "Linje 7" in body and "løkke" in body
    assert "Indlæs som kladde" not in body

    response = admin.post(url, follow=True)
    assert "Filen har fejl og kan ikke indlæses" in response.content.decode()
    assert not Framework.objects.exists()


def test_a_moodle_file_is_previewed_with_its_warnings(admin: Client) -> None:
    framework_import = upload(
        admin, "moodle.csv", (EXAMPLES / "moodle-framework.csv").read_bytes(), "moodle-csv"
    )
    assert framework_import.status == "valid"
    body = admin.get(reverse("frameworks:import_preview", args=[framework_import.pk])).content.decode()
    assert "competency_rule_all" in body and "Bemærk" in body
    admin.post(reverse("frameworks:import_preview", args=[framework_import.pk]))
    framework = Framework.objects.get()
    assert [area.code for area in framework.areas.all()] == ["DK1", "DK2"]
    deep = framework.competences.get(code="DK2.1.1")  # three levels down in Moodle: flattened, path kept
    assert deep.parent is None and deep.area.code == "DK2"
    assert "Placering i Moodle: Sikkerhed \u203a Phishing \u203a Falske links" in deep.description_da


TWO_VALUE_FILE = (
    b"Parent ID number,ID number,Short name,Description,Description format,Scale values,"
    b"Scale configuration,Rule type (optional),Rule outcome (optional),Rule config (optional),"
    b"Cross-referenced competency ID numbers,Exported ID (optional),Is framework,Taxonomy\n"
    b',DD,Digital dannelse,,1,"Not yet competent,Competent",'
    b'"[{""scaleid"":""2""},{""id"":2,""scaledefault"":1,""proficient"":1}]",,,,,,1,"competency,competency"\n'
    b",SIK,Sikkerhed,,1,,,,0,null,,1,,\n"
    b"SIK,SIK-1,Phishing,,1,,,,0,null,,2,,\n"
)


def test_the_preview_maps_a_moodle_scale_and_the_user_can_change_it(admin: Client) -> None:
    framework_import = upload(admin, "moodle.csv", TWO_VALUE_FILE, "moodle-csv")
    url = reverse("frameworks:import_preview", args=[framework_import.pk])
    body = admin.get(url).content.decode()
    assert "Rammen bruger i Moodle en skala med 2 værdier: Not yet competent, Competent." in body
    assert 'name="scale_0"' in body and 'name="scale_1"' in body
    # The default: "Competent", the proficient value, on level 3; "Not yet competent" below it.
    assert re.search(r'name="scale_0".*?<option value="1"\s+selected>', body, re.S)
    assert re.search(r'name="scale_1".*?<option value="3"\s+selected>', body, re.S)

    # A mapping that puts a higher value lower is refused, saying which, and nothing is kept.
    response = admin.post(url, {"scale_0": "3", "scale_1": "2", "action": "mapping"})
    assert response.status_code == 400
    assert "»Competent« står højere i Moodles skala end »Not yet competent«" in response.content.decode()
    framework_import.refresh_from_db()
    assert framework_import.scale_mapping == [1, 3]

    # "Gem fordelingen" keeps the mapping and shows the levels it gives.
    response = admin.post(url, {"scale_0": "2", "scale_1": "4", "action": "mapping"}, follow=True)
    assert "Fordelingen af skalaen er gemt" in response.content.decode()
    framework_import.refresh_from_db()
    assert framework_import.scale_mapping == [2, 4]
    assert not Framework.objects.exists()

    # "Indlæs som kladde" uses what the selects say when it is pressed.
    admin.post(url, {"scale_0": "1", "scale_1": "4", "action": "apply"})
    framework = Framework.objects.get()
    assert [level.get("moodle_values", []) for level in framework.levels] == [
        ["Not yet competent"],
        [],
        [],
        ["Competent"],
    ]
    framework_import.refresh_from_db()
    assert framework_import.scale_mapping == [1, 4] and framework_import.status == "applied"
    detail = admin.get(reverse("frameworks:detail", args=[framework.pk])).content.decode()
    assert "Værdier i Moodle" in detail and "Not yet competent" in detail


def test_an_existing_key_becomes_the_next_draft_version(admin: Client, organisation: Organisation) -> None:
    published = services.default_framework_install(organisation=organisation)
    exported = admin.get(reverse("frameworks:export", args=[published.pk, "json"])).content
    framework_import = upload(admin, "ny.json", exported, "json")
    body = admin.get(reverse("frameworks:import_preview", args=[framework_import.pk])).content.decode()
    assert "findes allerede" in body and "version 2" in body

    admin.post(reverse("frameworks:import_preview", args=[framework_import.pk]))
    draft = Framework.objects.get(status=FrameworkStatus.DRAFT)
    assert draft.version == 2 and draft.based_on == published and draft.key == published.key
    assert selectors.framework_as_data(framework=draft) == dataclasses.replace(
        selectors.framework_as_data(framework=published), version=2
    )


def test_an_existing_draft_blocks_the_import(admin: Client, organisation: Organisation) -> None:
    published = services.default_framework_install(organisation=organisation)
    services.framework_new_version(framework=published)
    exported = admin.get(reverse("frameworks:export", args=[published.pk, "json"])).content
    framework_import = upload(admin, "ny.json", exported, "json")
    assert framework_import.status == "invalid"
    assert "allerede en kladde (version 2)" in framework_import.problems[0]["message"]
    assert Framework.objects.count() == 2


def test_a_missing_file_is_a_form_error(admin: Client) -> None:
    response = admin.post(IMPORT_URL, {"file_format": "json"})
    assert response.status_code == 400
    assert "Vælg en fil." in response.content.decode()
    assert not FrameworkImport.objects.exists()


def test_export_downloads_json_and_moodle_csv(admin: Client, organisation: Organisation) -> None:
    framework = services.default_framework_install(organisation=organisation)
    response = admin.get(reverse("frameworks:export", args=[framework.pk, "json"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="digital-faglighed-i-velfaerden-v1.json"'
    assert json.loads(response.content)["framework"]["key"] == framework.key

    response = admin.get(reverse("frameworks:export", args=[framework.pk, "moodle-csv"]))
    assert response["Content-Disposition"] == 'attachment; filename="digital-faglighed-i-velfaerden-v1.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    result = read_moodle_csv(response.content)
    assert result.problems == [] and result.data is not None and result.data.key == framework.key


def test_export_refuses_other_organisations_unknown_formats_and_other_roles(
    admin: Client,
    client_for: Callable[[User], Client],
    make_member: Callable[..., User],
    organisation: Organisation,
) -> None:
    other = services.default_framework_install(organisation=OrganisationFactory())
    assert admin.get(reverse("frameworks:export", args=[other.pk, "json"])).status_code == 404
    own = services.default_framework_install(organisation=organisation)
    assert admin.get(reverse("frameworks:export", args=[own.pk, "xml"])).status_code == 404
    assert admin.post(reverse("frameworks:export", args=[own.pk, "json"])).status_code == 405
    employee = client_for(make_member(organisation, "employee"))
    assert employee.get(reverse("frameworks:export", args=[own.pk, "json"])).status_code == 403


def test_export_explains_what_stops_a_moodle_file(admin: Client, organisation: Organisation) -> None:
    framework = services.default_framework_install(organisation=organisation)
    data = selectors.framework_as_data(framework=framework)
    clash = dataclasses.replace(
        data, key="sammenfald", areas=(dataclasses.replace(data.areas[0], code="DL1"), *data.areas[1:])
    )
    draft = services.framework_create_from_data(organisation=organisation, data=clash)
    response = admin.get(reverse("frameworks:export", args=[draft.pk, "moodle-csv"]))
    assert response.status_code == 422
    assert "»DL1« bruges både af et fokusområde og en kompetence" in response.content.decode()


def test_another_organisations_import_is_not_found(admin: Client) -> None:
    stranger: Organisation = OrganisationFactory()
    other = FrameworkImport.objects.create(
        organisation=stranger,
        filename="hemmelig.json",
        file_format="json",
        content=b"{}",
        status="valid",
    )
    url = reverse("frameworks:import_preview", args=[other.pk])
    assert admin.get(url).status_code == 404
    assert admin.post(url).status_code == 404
    assert not Framework.objects.exists()


def test_the_import_list_shows_only_the_organisations_own_imports(admin: Client) -> None:
    stranger: Organisation = OrganisationFactory()
    FrameworkImport.objects.create(
        organisation=stranger,
        filename="hemmelig.json",
        file_format="json",
        content=b"{}",
        status="valid",
    )
    upload(admin, "min.json", (EXAMPLES / "framework-minimal.json").read_bytes(), "json")
    body = admin.get(IMPORT_URL).content.decode()
    assert "min.json" in body and "hemmelig.json" not in body
