"""`manage.py import_people FILE --org KOMMUNEKODE [--dry-run]`."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fagdigital.orgs.models import Engagement, OrgUnit, Person, UnitLeader
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import EngagementFactory, PersonFactory

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "personer-eksempel.csv"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_people", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts(organisation: Organisation) -> tuple[int, ...]:
    return tuple(
        model.objects.filter(organisation=organisation).count()
        for model in (OrgUnit, Person, Engagement, UnitLeader)
    )


def test_dry_run_prints_the_preview_and_writes_nothing(organisation: Organisation) -> None:
    leaving = PersonFactory(organisation=organisation, name="Gitte Går", employee_number="77")
    EngagementFactory(person=leaving)
    before = counts(organisation)
    out, err = run(str(EXAMPLE), "--org", organisation.kommunekode, "--dry-run")
    assert counts(organisation) == before
    assert "Prøvekørsel: intet er gemt" in out
    assert "Nye personer: 15" in out
    assert "Gitte Går (77)" in out
    assert "Social og Sundhed / Hjemmeplejen / Team Nord" in out
    assert err == ""


def test_the_command_applies_the_file_with_progress_and_a_summary(organisation: Organisation) -> None:
    out, _err = run(str(EXAMPLE), "--org", organisation.kommunekode)
    assert "af 15" in out and "(100 %)" in out
    assert "Nye personer: 15" in out and "Nye enheder: 8" in out
    assert counts(organisation) == (8, 15, 15, 7)
    again, _err = run(str(EXAMPLE), "--org", organisation.kommunekode)
    assert "Personer uden ændringer: 15" in again
    assert counts(organisation) == (8, 15, 15, 7)


def test_an_invalid_file_prints_each_problem_and_exits_non_zero(
    organisation: Organisation, tmp_path: Path
) -> None:
    bad = tmp_path / "personer.csv"
    bad.write_bytes(
        b"medarbejdernummer;navn;e-mail;enhed;stillingsbetegnelse\r\n"
        b"1;Anne;anne@@kommune.dk;X;Y\r\n"
        b"2;Bo;;X;\r\n"
    )
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(
            "import_people", str(bad), "--org", organisation.kommunekode, stderr=err, stdout=StringIO()
        )
    assert failed.value.returncode != 0
    assert "2 fejl. Intet er ændret." in str(failed.value)
    lines = err.getvalue().splitlines()
    assert "Fejl: Linje 2, kolonne »e-mail«: »anne@@kommune.dk« er ikke en gyldig e-mailadresse." in lines[0]
    assert lines[1].startswith("Fejl: Linje 3, kolonne »stillingsbetegnelse«: Feltet er tomt.")
    assert counts(organisation) == (0, 0, 0, 0)


def test_an_unknown_kommunekode_or_file_is_an_error(organisation: Organisation, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="kommunekoden 9999"):
        run(str(EXAMPLE), "--org", "9999")
    with pytest.raises(CommandError, match="findes ikke"):
        run(str(tmp_path / "mangler.csv"), "--org", organisation.kommunekode)


def test_keep_missing_leaves_people_who_are_not_in_the_file(organisation: Organisation) -> None:
    staying = EngagementFactory(person=PersonFactory(organisation=organisation, employee_number="77"))
    run(str(EXAMPLE), "--org", organisation.kommunekode, "--keep-missing")
    staying.refresh_from_db()
    assert staying.end_date is None
