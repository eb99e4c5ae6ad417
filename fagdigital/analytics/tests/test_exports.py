"""Exports of the gap dashboard: XLSX, CSV and the PDF report, under the same access and anonymity rules."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zlib
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.analytics import exports, selectors
from fagdigital.analytics.tests.conftest import Team
from fagdigital.analytics.tests.test_selectors import answer_all
from fagdigital.assessments import selectors as assessment_selectors
from fagdigital.assessments import services as assessment_services
from fagdigital.assessments.models import Campaign, Instrument
from fagdigital.conftest import actor_for
from fagdigital.core import pdf as core_pdf
from fagdigital.testing.factories import (
    EngagementFactory,
    MembershipFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PersonFactory,
    UnitLeaderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# What a spreadsheet reads as the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HIDDEN_NOTES = {"Færre end 5 personer", "Skjult, så andre skjulte tal ikke kan regnes ud"}


def export_url(file_format: str, unit_id: int | None = None) -> str:
    if unit_id is None:
        return reverse("analytics:export_heatmap", args=[file_format])
    return reverse("analytics:export_heatmap_unit", args=[unit_id, file_format])


def report_url(unit_id: int | None = None) -> str:
    if unit_id is None:
        return reverse("analytics:report_pdf")
    return reverse("analytics:report_pdf_unit", args=[unit_id])


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data[len(codecs.BOM_UTF8) :].decode("utf-8")), delimiter=";"))


def csv_table(data: bytes) -> list[dict[str, str]]:
    """The heatmap lines below the header block, as dictionaries by column header."""
    lines = read_csv(data)
    start = next(i for i, line in enumerate(lines) if line[:1] == ["Række"])
    header = lines[start]
    return [dict(zip(header, line, strict=True)) for line in lines[start + 1 :]]


def csv_table_with(data: bytes, first_header: str) -> list[dict[str, str]]:
    lines = read_csv(data)
    start = next(i for i, line in enumerate(lines) if line[:1] == [first_header])
    return [dict(zip(lines[start], line, strict=True)) for line in lines[start + 1 :]]


def read_xlsx(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def text_of_pdf(data: bytes) -> bytes:
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


@pytest.fixture
def visible(team: Team, make_campaign: Callable[..., Campaign]) -> Campaign:
    """Six answers in Nord and five silent people in Syd: Nord's figures can be shown."""
    for _index in range(5):
        EngagementFactory(
            person=PersonFactory(organisation=team.organisation),
            unit=team.other_unit,
            job_function=team.members[0].engagements.get().job_function,
        )
    campaign = make_campaign()
    answer_all(team, campaign, lambda index: 1 + index % 4)
    return campaign


@pytest.fixture
def hidden(team: Team, make_campaign: Callable[..., Campaign]) -> Campaign:
    """Six answers in Nord and one in Syd: Syd is too small, so Nord is hidden too (Kommunen minus Nord)."""
    campaign = make_campaign()
    answer_all(team, campaign, lambda index: 1 + index % 4)
    outsider = UserFactory()
    team.outsider.user = outsider
    team.outsider.save()
    competences = assessment_selectors.questionnaire_competences(
        campaign=campaign, role_profile_code="sosu-assistent"
    )
    response = assessment_services.response_get_or_create(
        campaign=campaign, instrument=Instrument.SELF, respondent=outsider, subject=team.outsider
    )
    assessment_services.answers_save(response=response, levels={c.pk: 1 for c in competences})
    assessment_services.response_submit(response=response)
    return campaign


def filters_for(campaign: Campaign, **extra: str) -> dict[str, str]:
    return {"campaign": str(campaign.pk), "source": "self", **extra}


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_is_excel_friendly_with_a_header_block_and_the_heatmap(
    team: Team, visible: Campaign, client_for: Callable[[User], Client]
) -> None:
    response = client_for(team.admin).get(export_url("csv", team.root.pk), filters_for(visible))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="kompetencegab-kommunen-{today}.csv"'
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    lines = read_csv(response.content)
    facts = {line[0]: line[1] for line in lines if len(line) == 2}
    assert facts["Organisation"] == team.organisation.name
    assert facts["Enhed"] == "Kommunen"
    assert facts["Måling"] == "Måling 2026"
    assert facts["Kilde"] == "Selvvurdering"
    assert facts["Mindste gruppe (k)"] == "5 personer"
    assert "færre end 5 personer" in facts["Anonymitet"]
    assert b"\r\n" in response.content
    rows = csv_table(response.content)
    nord = [
        r for r in rows if r["Række"] == "Hjemmeplejen Nord" and r["Personer med målniveau"] not in ("", "0")
    ]
    assert nord
    assert {r["Personer med målniveau"] for r in nord} == {"6"}
    sample = nord[0]
    assert int(sample["Andel på eller over målniveau (%)"]) == round(
        100 * int(sample["På eller over målniveau"]) / 6
    )
    syd = [r for r in rows if r["Række"] == "Hjemmeplejen Syd"]
    # Nobody in Syd answered: a known zero, shown as zero with a note, not hidden.
    assert {r["Personer med målniveau"] for r in syd} == {"0"}
    assert {r["Bemærkning"] for r in syd} == {"Ingen med målniveau i kompetencen"}


@pytest.mark.parametrize("rows", ["units", "roles"])
def test_csv_is_the_heatmap_cell_for_cell(
    team: Team, hidden: Campaign, client_for: Callable[[User], Client], rows: str
) -> None:
    actor = actor_for(team.admin, team.organisation)
    view = selectors.heatmap(
        actor=actor, unit=team.root, filters=selectors.Filters(campaign=hidden, source="self", rows=rows)
    )

    response = client_for(team.admin).get(export_url("csv", team.root.pk), filters_for(hidden, rows=rows))

    expected = [
        (
            row.label,
            cell.competence.code,
            "" if cell.people is None else str(cell.people),
            "" if cell.at_target is None else str(cell.at_target),
            "" if cell.share is None else str(cell.share),
            cell.hidden,
        )
        for row in view.rows
        for cell in row.cells
    ]
    exported = [
        (
            line["Række"],
            line["Kode"],
            line["Personer med målniveau"],
            line["På eller over målniveau"],
            line["Andel på eller over målniveau (%)"],
            line["Bemærkning"] in HIDDEN_NOTES,
        )
        for line in csv_table(response.content)
    ]
    assert exported == expected
    # By units, Nord and Syd are hidden; by role profile, all seven share one profile and show.
    assert any(hidden_cell for *_rest, hidden_cell in expected) == (rows == "units")


def test_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas(
    team: Team, visible: Campaign, client_for: Callable[[User], Client]
) -> None:
    names = ['=HYPERLINK("http://x")', "+cmd", "@SUM(1)", "-1+2", "\tTab"]
    for name in names:
        OrgUnitFactory(parent=team.root, name=name)
    dangerous = OrgUnitFactory(parent=team.root, name="=1+1")

    response = client_for(team.admin).get(export_url("csv", team.root.pk), filters_for(visible))

    cells = [cell for line in read_csv(response.content) for cell in line]
    assert cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    labels = {row["Række"] for row in csv_table(response.content)}
    assert {"'" + name for name in names} <= labels
    assert "'=1+1" in labels
    # The export of the unit itself: its name is in the header block and the total row, also neutralised.
    response = client_for(team.admin).get(export_url("csv", dangerous.pk), filters_for(visible))
    lines = read_csv(response.content)
    assert ["Enhed", "'=1+1"] in lines
    assert not [cell for line in lines for cell in line if cell.startswith(FORMULA_STARTS)]
    assert 'filename="kompetencegab-11-' in response["Content-Disposition"]


def test_csv_export_reads_a_fixed_number_of_queries(
    team: Team,
    visible: Campaign,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    for index in range(10):
        OrgUnitFactory(parent=team.root, name=f"Team {index}")
    client = client_for(team.admin)

    # Session, user, membership, the unit; the filter form; the heatmap's framework and one grouped
    # query per level of the tree: never one per row.
    with django_assert_max_num_queries(18):
        response = client.get(export_url("csv", team.root.pk), filters_for(visible))

    assert response.status_code == 200
    assert len({row["Række"] for row in csv_table(response.content)}) == 13
    # The workbook adds the tables beside the heatmap: a few grouped queries each.
    with django_assert_max_num_queries(40):
        assert client.get(export_url("xlsx", team.root.pk), filters_for(visible)).status_code == 200


# --- XLSX ----------------------------------------------------------------------------------------


def test_xlsx_has_every_table_as_a_sheet_with_the_pages_figures(
    team: Team, visible: Campaign, client_for: Callable[[User], Client]
) -> None:
    assessment_services.campaign_close(campaign=visible)

    response = client_for(team.admin).get(export_url("xlsx", team.root.pk), filters_for(visible))

    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].endswith(f'-{timezone.localdate().isoformat()}.xlsx"')
    book = read_xlsx(response.content)
    assert book.sheetnames == [
        "Om udtrækket",
        "Heatmap",
        "Heatmap, detaljer",
        "Største gab",
        "Fordeling på niveauer",
        "Udvikling",
        "Kalibrering",
    ]
    about = book["Om udtrækket"]
    facts = {row[0]: row[1] for row in about.iter_rows(values_only=True) if row[0] and row[1]}
    assert facts["Organisation"] == team.organisation.name
    assert facts["Mindste gruppe (k)"] == "5 personer"

    heat = book["Heatmap"]
    assert heat.freeze_panes == "B3"
    assert heat["A2"].font.bold
    headers = [cell.value for cell in heat[2]]
    labels = [row[0].value for row in heat.iter_rows(min_row=3)]
    nord = heat.cell(row=3 + labels.index("Hjemmeplejen Nord"), column=1).row
    values = [heat.cell(row=nord, column=c).value for c in range(2, len(headers) + 1)]
    shown = [v for v in values if isinstance(v, float)]
    assert shown
    assert all(0 <= v <= 1 for v in shown)
    first = next(
        c for c in range(2, len(headers) + 1) if isinstance(heat.cell(row=nord, column=c).value, float)
    )
    assert heat.cell(row=nord, column=first).number_format == "0%"
    assert heat.cell(row=nord, column=first).fill.fgColor.rgb.endswith(tuple(exports.BAND_FILLS.values()))

    details = book["Heatmap, detaljer"]
    assert details.freeze_panes == "A2"
    rows = list(details.iter_rows(min_row=2, values_only=True))
    header = [cell.value for cell in details[1]]
    people = header.index("Personer med målniveau")
    assert {r[people] for r in rows if r[0] == "Hjemmeplejen Nord" and r[people]} == {6}
    assert (
        details.cell(row=2, column=header.index("Andel på eller over målniveau (%)") + 1).number_format
        == "0%"
    )

    assert book["Største gab"].max_row > 1
    assert book["Fordeling på niveauer"].max_row > 1
    trend = list(book["Udvikling"].iter_rows(min_row=2, values_only=True))
    assert any(row[2] == "Måling 2026" for row in trend)
    assert book["Kalibrering"].max_row > 1


def test_xlsx_keeps_formula_like_names_as_text(
    team: Team, visible: Campaign, client_for: Callable[[User], Client]
) -> None:
    OrgUnitFactory(parent=team.root, name='=HYPERLINK("http://x")')

    response = client_for(team.admin).get(export_url("xlsx", team.root.pk), filters_for(visible))

    book = read_xlsx(response.content)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    labels = [row[0] for row in book["Heatmap"].iter_rows(values_only=True)]
    assert '=HYPERLINK("http://x")' in labels


def test_filters_from_the_query_string_shape_the_export(
    team: Team, visible: Campaign, client_for: Callable[[User], Client]
) -> None:
    client = client_for(team.admin)

    response = client.get(export_url("csv", team.root.pk), filters_for(visible, area="DS", rows="roles"))

    rows = csv_table(response.content)
    assert {r["Kode"][:2] for r in rows} == {"DS"}
    assert {r["Rækketype"] for r in rows} == {"I alt", "Rolleprofil"}
    facts = {line[0]: line[1] for line in read_csv(response.content) if len(line) == 2}
    assert facts["Rækker"] == "Rolleprofiler"
    assert facts["Fokusområde"] != "Alle fokusområder"


def test_a_refused_filter_exports_no_figures_and_says_why(
    team: Team, hidden: Campaign, client_for: Callable[[User], Client]
) -> None:
    # Kommunen has seven people with the role profile, Syd one of them: a filter isolating fewer than 5.
    client = client_for(team.admin)
    params = filters_for(hidden, role_profile="sosu-assistent")

    response = client.get(export_url("csv", team.other_unit.pk), params)

    assert csv_table(response.content) == []
    assert b"Filteret giver f" in response.content
    book = read_xlsx(client.get(export_url("xlsx", team.other_unit.pk), params).content)
    assert book["Største gab"].max_row <= 3


# --- Anonymity -----------------------------------------------------------------------------------


def test_hidden_cells_never_export_a_number_in_csv(
    team: Team, hidden: Campaign, client_for: Callable[[User], Client]
) -> None:
    response = client_for(team.admin).get(export_url("csv", team.root.pk), filters_for(hidden))

    rows = csv_table(response.content)
    total = [r for r in rows if r["Rækketype"] == "I alt" and r["Personer med målniveau"] not in ("", "0")]
    assert {r["Personer med målniveau"] for r in total} == {"7"}
    for unit in ("Hjemmeplejen Nord", "Hjemmeplejen Syd"):
        lines = [r for r in rows if r["Række"] == unit]
        assert lines
        for line in lines:
            figures = [
                line["Personer med målniveau"],
                line["På eller over målniveau"],
                line["Andel på eller over målniveau (%)"],
            ]
            if line["Bemærkning"] in HIDDEN_NOTES:
                assert figures == ["", "", ""]
            else:
                # Competences nobody has a target in: zeros hide nobody.
                assert figures[:2] == ["0", "0"]
        assert {line["Bemærkning"] for line in lines} & HIDDEN_NOTES


def test_hidden_cells_never_export_a_number_in_xlsx(
    team: Team, hidden: Campaign, client_for: Callable[[User], Client]
) -> None:
    response = client_for(team.admin).get(export_url("xlsx", team.root.pk), filters_for(hidden))

    book = read_xlsx(response.content)
    heat = book["Heatmap"]
    hidden_rows = [
        row for row in heat.iter_rows(min_row=3) if row[0].value in ("Hjemmeplejen Nord", "Hjemmeplejen Syd")
    ]
    assert len(hidden_rows) == 2
    for row in hidden_rows:
        values = [cell.value for cell in row[1:]]
        assert not [v for v in values if isinstance(v, int | float)]
        assert {"Færre end 5", "Skjult"} & set(values)
        commented = [cell for cell in row[1:] if cell.value in ("Færre end 5", "Skjult")]
        assert all(cell.comment and cell.comment.text in HIDDEN_NOTES for cell in commented)
    details = book["Heatmap, detaljer"]
    header = [cell.value for cell in details[1]]
    for row in details.iter_rows(min_row=2, values_only=True):
        if row[header.index("Bemærkning")] in HIDDEN_NOTES:
            assert row[header.index("Personer med målniveau")] is None
            assert row[header.index("På eller over målniveau")] is None
            assert row[header.index("Andel på eller over målniveau (%)")] is None


def test_a_leaders_export_covers_their_own_unit_and_stays_hidden(
    team: Team, hidden: Campaign, client_for: Callable[[User], Client]
) -> None:
    # Nord is hidden one level up (Kommunen minus Nord = Syd's one person), so it stays hidden in the
    # leader's own view too: every figure in it.
    response = client_for(team.leader).get(export_url("csv"), filters_for(hidden))

    assert response.status_code == 200
    assert "hjemmeplejen-nord" in response["Content-Disposition"]
    rows = csv_table(response.content)
    assert rows
    assert {r["Række"] for r in rows} <= {"Hjemmeplejen Nord", "Placeret direkte i Hjemmeplejen Nord"}
    assert b"Syd" not in response.content
    assert all(r["Personer med målniveau"] in ("", "0") for r in rows)
    assert all(r["Andel på eller over målniveau (%)"] == "" for r in rows)


def test_a_leader_of_two_units_gets_both_with_a_column_saying_which(
    team: Team, visible: Campaign, client_for: Callable[[User], Client]
) -> None:
    UnitLeaderFactory(unit=team.other_unit, person=team.leader.persons.get())

    response = client_for(team.leader).get(export_url("csv"), filters_for(visible))

    rows = csv_table_with(response.content, "Visning")
    assert {r["Visning"] for r in rows} == {"Hjemmeplejen Nord", "Hjemmeplejen Syd"}
    facts = {line[0]: line[1] for line in read_csv(response.content) if len(line) == 2}
    assert facts["Enhed"] == "Hjemmeplejen Nord, Hjemmeplejen Syd"
    assert team.organisation.name.lower().replace(" ", "-") in response["Content-Disposition"]
    book = read_xlsx(client_for(team.leader).get(export_url("xlsx"), filters_for(visible)).content)
    labels = [row[0] for row in book["Heatmap"].iter_rows(min_row=3, values_only=True)]
    assert "Hjemmeplejen Nord" in labels
    assert "Hjemmeplejen Syd" in labels
    assert book["Største gab"]["A1"].value == "Visning"


def test_hidden_cells_never_reach_the_pdf(
    team: Team,
    hidden: Campaign,
    client_for: Callable[[User], Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rendered: list[str] = []
    original = exports.render_pdf

    def spy(html: str) -> bytes:
        rendered.append(html)
        return original(html)

    monkeypatch.setattr(exports, "render_pdf", spy)

    response = client_for(team.admin).get(report_url(team.root.pk), filters_for(hidden))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    (html,) = rendered
    rows = re.findall(r"<tr[^>]*>\s*<th scope=\"row\">([^<]*)</th>(.*?)</tr>", html, re.DOTALL)
    hidden_rows = [cells for label, cells in rows if label in ("Hjemmeplejen Nord", "Hjemmeplejen Syd")]
    assert hidden_rows
    for cells in hidden_rows:
        text = re.sub(r"<[^>]+>", " ", cells)
        assert "%" not in text
        assert " af " not in text
        assert not re.search(r"\d", re.sub(r"Færre end 5", "", text))
    totals = [cells for label, cells in rows if label == "Kommunen"]
    assert any("7" in cells for cells in totals)


# --- PDF -----------------------------------------------------------------------------------------


def test_report_pdf_is_a_document_with_landscape_heatmap_pages(
    team: Team, visible: Campaign, client_for: Callable[[User], Client]
) -> None:
    response = client_for(team.admin).get(report_url(team.root.pk), filters_for(visible))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="kompetencerapport-kommunen-{today}.pdf"'
    )
    data = response.content
    assert data.startswith(b"%PDF")
    inflated = text_of_pdf(data)
    assert len(re.findall(rb"/Type\s*/Page\b", inflated)) >= 5
    assert b"/MediaBox [0 0 595" in inflated  # A4 portrait pages
    assert b"/MediaBox [0 0 841" in inflated  # and landscape ones for the wide heatmap


def test_report_html_shows_colours_and_numbers(team: Team, visible: Campaign) -> None:
    actor = actor_for(team.admin, team.organisation)
    report = exports.build_report(
        actor=actor, units=[team.root], filters=selectors.Filters(campaign=visible, source="self")
    )

    html = exports.report_html(report)

    assert re.search(r'class="band-(low|mid|high)">\s*<span class="share">\d+ %</span>', html)
    assert "Sådan læser du rapporten" in html
    assert "De største gab: Kommunen" in html


def test_pdf_never_fetches_from_the_network() -> None:
    for url in ["https://example.com/evil.css", "http://127.0.0.1:8000/static/x.png", "file:///etc/passwd"]:
        with pytest.raises(ValueError, match="Refused"):
            core_pdf.pdf_url_fetcher().fetch(url)


def test_export_filename_is_ascii_with_danish_letters_spelt_out() -> None:
    import datetime as dt  # noqa: PLC0415

    assert exports.export_filename("kompetencegab", "Ældrepleje Østerå", dt.date(2026, 3, 1), "csv") == (
        "kompetencegab-aeldrepleje-oesteraa-2026-03-01.csv"
    )
    assert exports.export_filename("kompetencegab", "=+@", dt.date(2026, 3, 1), "csv") == (
        "kompetencegab-enhed-2026-03-01.csv"
    )


# --- Access --------------------------------------------------------------------------------------


def all_urls(unit_id: int) -> list[str]:
    return [
        export_url("csv"),
        export_url("xlsx"),
        export_url("csv", unit_id),
        export_url("xlsx", unit_id),
        report_url(),
        report_url(unit_id),
    ]


def test_employees_may_not_export(team: Team, client_for: Callable[[User], Client]) -> None:
    client = client_for(team.users[0])
    for url in all_urls(team.unit.pk):
        assert client.get(url).status_code == 403, url


def test_anonymous_users_are_sent_to_login(team: Team, client: Client) -> None:
    for url in all_urls(team.unit.pk):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/log-ind/")


def test_a_leader_may_export_their_unit_but_not_another(
    team: Team, visible: Campaign, client_for: Callable[[User], Client]
) -> None:
    client = client_for(team.leader)
    assert client.get(export_url("csv", team.unit.pk)).status_code == 200
    for url in [
        export_url("csv", team.other_unit.pk),
        export_url("xlsx", team.other_unit.pk),
        report_url(team.other_unit.pk),
        export_url("csv", team.root.pk),
    ]:
        assert client.get(url).status_code == 404, url


def test_another_organisations_unit_is_not_found(team: Team, client_for: Callable[[User], Client]) -> None:
    elsewhere = OrgUnitFactory(organisation=OrganisationFactory(), name="Andetsteds")
    client = client_for(team.admin)
    for url in [export_url("csv", elsewhere.pk), export_url("xlsx", elsewhere.pk), report_url(elsewhere.pk)]:
        assert client.get(url).status_code == 404, url


def test_another_organisations_admin_sees_none_of_this_one(
    team: Team, visible: Campaign, client_for: Callable[[User], Client]
) -> None:
    other = OrganisationFactory()
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=other, roles=["competence_admin"])
    client = client_for(admin)
    for url in [export_url("csv", team.unit.pk), report_url(team.root.pk)]:
        assert client.get(url).status_code == 404, url
    # Their own organisation-wide exports have none of this organisation's units (nor a framework yet).
    response = client.get(export_url("csv"))
    assert response.status_code == 200
    assert b"Hjemmeplejen" not in response.content
    assert "ingen offentliggjort kompetenceramme" in response.content.decode("utf-8-sig")
    book = read_xlsx(client.get(export_url("xlsx")).content)
    assert "Hjemmeplejen" not in str([list(sheet.values) for sheet in book.worksheets])
    assert client.get(report_url()).content.startswith(b"%PDF")


def test_an_unknown_format_is_not_found(team: Team, client_for: Callable[[User], Client]) -> None:
    client = client_for(team.admin)
    for file_format in ["pdf", "xls", "json", "CSV"]:
        assert client.get(export_url(file_format)).status_code == 404
        assert client.get(export_url(file_format, team.root.pk)).status_code == 404
