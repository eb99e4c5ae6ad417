"""`manage.py import_framework` and `export_framework`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fagdigital.frameworks import services
from fagdigital.frameworks.formats.moodle import read_moodle_csv
from fagdigital.frameworks.models import Framework, FrameworkImport, FrameworkStatus
from fagdigital.tenancy.models import Organisation

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"


def run(*args: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(*args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_dry_run_prints_the_summary_and_writes_nothing(organisation: Organisation) -> None:
    stdout, _stderr = run(
        "import_framework",
        str(EXAMPLES / "framework-minimal.json"),
        "--org",
        organisation.kommunekode,
        "--format",
        "json",
        "--dry-run",
    )
    assert "IT-sikkerhed i hjemmeplejen (it-sikkerhed-hjemmeplejen): 1 fokusområder, 3 kompetencer" in stdout
    assert "Tørkørsel" in stdout and "en ny ramme" in stdout
    assert not Framework.objects.exists() and not FrameworkImport.objects.exists()


def test_import_creates_a_draft(organisation: Organisation) -> None:
    stdout, stderr = run(
        "import_framework",
        str(EXAMPLES / "moodle-framework.csv"),
        "--org",
        organisation.kommunekode,
        "--format",
        "moodle-csv",
    )
    framework = Framework.objects.get()
    assert framework.organisation == organisation and framework.status == FrameworkStatus.DRAFT
    assert f"id {framework.pk}" in stdout
    assert "Bemærk: Linje 7:" in stderr  # Moodle's completion rule is left out
    assert FrameworkImport.objects.get().framework == framework


def test_a_file_with_errors_prints_each_with_its_line_and_saves_nothing(
    organisation: Organisation, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_bytes((EXAMPLES / "moodle-framework.csv").read_bytes().replace(b"DK1,DK1.2,", b"DK9,DK1.2,"))
    stderr = io.StringIO()
    with pytest.raises(CommandError, match=r"Filen har 1 fejl\. Intet er gemt\."):
        call_command(
            "import_framework",
            str(broken),
            "--org",
            organisation.kommunekode,
            "--format",
            "moodle-csv",
            stdout=io.StringIO(),
            stderr=stderr,
        )
    assert "Linje 5: overordnet ID-nummer »DK9« findes ikke i filen." in stderr.getvalue()
    assert not Framework.objects.exists() and not FrameworkImport.objects.exists()


def test_json_problems_are_printed_with_their_path(organisation: Organisation, tmp_path: Path) -> None:
    document = json.loads((EXAMPLES / "framework-minimal.json").read_bytes())
    document["areas"][0]["competences"][0]["kind"] = "magisk"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_framework",
            str(broken),
            "--org",
            organisation.kommunekode,
            "--format",
            "json",
            stdout=io.StringIO(),
            stderr=stderr,
        )
    assert "$.areas[0].competences[0].kind: skal være en af" in stderr.getvalue()


def test_unknown_municipality_and_missing_file(organisation: Organisation) -> None:
    with pytest.raises(CommandError, match="kommunekoden »0000«"):
        run("import_framework", str(EXAMPLES / "framework-minimal.json"), "--org", "0000", "--format", "json")
    with pytest.raises(CommandError, match="kan ikke læses"):
        run("import_framework", "/findes/ikke.json", "--org", organisation.kommunekode, "--format", "json")


def test_export_writes_the_newest_published_version_to_stdout(organisation: Organisation) -> None:
    framework = services.default_framework_install(organisation=organisation)
    stdout, _stderr = run("export_framework", "--org", organisation.kommunekode, "--format", "json")
    assert json.loads(stdout)["framework"]["key"] == framework.key


def test_export_to_a_file_as_moodle_csv_notes_what_is_left_out(
    organisation: Organisation, tmp_path: Path
) -> None:
    framework = services.default_framework_install(organisation=organisation)
    target = tmp_path / "ramme.csv"
    _stdout, stderr = run(
        "export_framework",
        "--org",
        organisation.kommunekode,
        "--key",
        framework.key,
        "--format",
        "moodle-csv",
        "--output",
        str(target),
    )
    assert "rolleprofiler" in stderr and "it-systemer" in stderr
    result = read_moodle_csv(target.read_bytes())
    assert result.problems == [] and result.data is not None and result.data.key == framework.key


def test_export_a_draft_by_version_and_refuse_what_does_not_exist(organisation: Organisation) -> None:
    published = services.default_framework_install(organisation=organisation)
    draft = services.framework_new_version(framework=published)
    stdout, _stderr = run(
        "export_framework", "--org", organisation.kommunekode, "--version", "2", "--format", "json"
    )
    assert json.loads(stdout)["framework"]["version"] == draft.version
    with pytest.raises(CommandError, match="version 7"):
        run("export_framework", "--org", organisation.kommunekode, "--version", "7", "--format", "json")
    with pytest.raises(CommandError, match="udgivet version"):
        run("export_framework", "--org", organisation.kommunekode, "--key", "andet", "--format", "json")
