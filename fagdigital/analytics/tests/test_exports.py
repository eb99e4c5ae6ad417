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
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.analytics import exports, selectors
from fagdigital.analytics.exports.spreadsheet import BAND_FILLS
from fagdigital.analytics.tests.conftest import Team
from fagdigital.analytics.tests.helpers import add_people, answer, answered_round, close
from fagdigital.assessments.models import Campaign
from fagdigital.conftest import actor_for
from fagdigital.core import pdf as core_pdf
from fagdigital.testing.factories import (
    MembershipFactory,
    OrganisationFactory,
    OrgUnitFactory,
    UnitLeaderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# What a spreadsheet reads as the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GROUPED = (
    "Færre end 5 med samme rolleprofil her, så de indgår ikke i tallet her, men i en større gruppe højere "
    "oppe, hvor der er nok."
)
FEW = "Færre end 5 svar med et niveau fra denne kilde."
NOBODY = "Ingen med målniveau i kompetencen."
FIGURES = ("Personer med målniveau", "På eller over målniveau", "Andel på eller over målniveau (%)")


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
    """Nord (seven, six answering at levels 1-4 in turn) and Syd (five, all answering): two blocks,
    every unit with a figure. Closed."""
    syd = add_people(team, team.other_unit, 4)
    campaign = make_campaign()
    for index, person in enumerate(team.members):
        answer(campaign, person, 1 + index % 4)
    for person in [team.outsider, *syd]:
        answer(campaign, person, 2)
    return close(campaign)


@pytest.fixture
def grouped(team: Team, make_campaign: Callable[..., Campaign]) -> Campaign:
    """Nord's block shows; Syd's one person is in no figure. Closed."""
    return answered_round(team, make_campaign)


def filters_for(campaign: Campaign, **extra: str) -> dict[str, str]:
    return {"campaign": str(campaign.pk), "source": "self", **extra}


def figures_of(line: dict[str, str]) -> list[str]:
    return [line[header] for header in FIGURES]


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
    assert facts["Måling"].startswith("Måling 2026 (lukket ")
    assert facts["Kilde"] == "Selvvurdering"
    assert facts["Mindste gruppe (k)"] == "5 personer"
    assert "Alle tal er summer over grupper på mindst 5 personer" in facts["Anonymitet"]
    assert b"\r\n" in response.content
    rows = csv_table(response.content)
    ds1 = {r["Række"]: r for r in rows if r["Kode"] == "DS1"}
    # Target 2 in DS1: Nord's levels 1, 2, 3, 4, 1, 2 give four of six; Syd's five are all at 2.
    assert {name: figures_of(line) for name, line in ds1.items()} == {
        "Kommunen": ["11", "9", "82"],
        "Hjemmeplejen Nord": ["6", "4", "67"],
        "Hjemmeplejen Syd": ["5", "5", "100"],
    }
    assert {
        name: (line["Deltagere i rækken"], line["Heraf med i tallene"]) for name, line in ds1.items()
    } == {
        "Kommunen": ("12", "12"),
        "Hjemmeplejen Nord": ("7", "7"),
        "Hjemmeplejen Syd": ("5", "5"),
    }
    assert {line["Rækketype"] for line in ds1.values()} == {"I alt", "Underenhed"}
    # A competence nobody has a target in: empty, saying so.
    dl1 = [r for r in rows if r["Kode"] == "DL1"]
    assert {tuple(figures_of(r)) for r in dl1} == {("", "", "")}
    assert {r["Bemærkning"] for r in dl1} == {NOBODY}


@pytest.mark.parametrize("rows", ["units", "roles"])
def test_csv_is_the_heatmap_cell_for_cell(
    team: Team, grouped: Campaign, client_for: Callable[[User], Client], rows: str
) -> None:
    actor = actor_for(team.admin, team.organisation)
    view = selectors.heatmap(
        actor=actor, unit=team.root, filters=selectors.Filters(campaign=grouped, source="self", rows=rows)
    )

    response = client_for(team.admin).get(export_url("csv", team.root.pk), filters_for(grouped, rows=rows))

    expected = [
        (
            row.label,
            cell.competence.code,
            "" if cell.people is None else str(cell.people),
            "" if cell.at_target is None else str(cell.at_target),
            "" if cell.share is None else str(cell.share),
            str(row.coverage.participants),
            str(row.coverage.covered),
            {"grouped": GROUPED, "few": FEW, "nobody": NOBODY}.get(cell.missing, ""),
        )
        for row in view.rows
        for cell in row.cells
    ]
    exported = [
        (
            line["Række"],
            line["Kode"],
            *figures_of(line),
            line["Deltagere i rækken"],
            line["Heraf med i tallene"],
            line["Bemærkning"],
        )
        for line in csv_table(response.content)
    ]
    assert exported == expected
    # By units Syd's row has no figure; by role profile there is one profile, with a figure.
    assert any(cell.missing == "grouped" for row in view.rows for cell in row.cells) == (rows == "units")
    assert any(cell.people for row in view.rows for cell in row.cells)


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


def test_exports_read_a_fixed_number_of_queries(
    team: Team,
    visible: Campaign,
    client_for: Callable[[User], Client],
    django_assert_num_queries: Any,
) -> None:
    for index in range(10):
        OrgUnitFactory(parent=team.root, name=f"Team {index}")
    client = client_for(team.admin)

    # Session, user, membership, the unit; the filter form; the heatmap's framework and one grouped
    # query for the rows and one for the blocks: never one per row.
    cache.clear()
    with django_assert_num_queries(20):
        response = client.get(export_url("csv", team.root.pk), filters_for(visible))

    assert response.status_code == 200
    assert len({row["Række"] for row in csv_table(response.content)}) == 13
    # The workbook adds the tables beside the heatmap: a few grouped queries each.
    cache.clear()
    with django_assert_num_queries(46):
        assert client.get(export_url("xlsx", team.root.pk), filters_for(visible)).status_code == 200


# --- XLSX ----------------------------------------------------------------------------------------


def test_xlsx_has_every_table_as_a_sheet_with_the_pages_figures(
    team: Team, visible: Campaign, client_for: Callable[[User], Client]
) -> None:
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
    assert labels[:3] == ["Kommunen", "Hjemmeplejen Nord", "Hjemmeplejen Syd"]
    nord = 3 + labels.index("Hjemmeplejen Nord")
    ds1 = next(c for c in range(2, len(headers) + 1) if str(headers[c - 1]).startswith("DS1 "))
    assert heat.cell(row=nord, column=ds1).value == pytest.approx(4 / 6, abs=0.005)
    assert heat.cell(row=nord, column=ds1).number_format == "0%"
    assert heat.cell(row=nord, column=ds1).fill.fgColor.rgb.endswith(BAND_FILLS["mid"])
    dl1 = next(c for c in range(2, len(headers) + 1) if str(headers[c - 1]).startswith("DL1 "))
    assert heat.cell(row=nord, column=dl1).value == "\u2013"

    details = book["Heatmap, detaljer"]
    assert details.freeze_panes == "A2"
    header = [cell.value for cell in details[1]]
    rows = [dict(zip(header, r, strict=True)) for r in details.iter_rows(min_row=2, values_only=True)]
    nord_ds1 = next(r for r in rows if r["Række"] == "Hjemmeplejen Nord" and r["Kode"] == "DS1")
    assert [nord_ds1[h] for h in FIGURES] == [6, 4, pytest.approx(0.67)]
    assert (nord_ds1["Deltagere i rækken"], nord_ds1["Heraf med i tallene"]) == (7, 7)
    assert (
        details.cell(row=2, column=header.index("Andel på eller over målniveau (%)") + 1).number_format
        == "0%"
    )

    gaps = list(book["Største gab"].iter_rows(min_row=2, values_only=True))
    assert any(row[2] == "DS1" and row[4:7] == (2, 11, 2) for row in gaps)
    distribution = {
        row[1]: row for row in book["Fordeling på niveauer"].iter_rows(min_row=2, values_only=True)
    }
    assert distribution["DS1"][3:8] == (11, 2, 7, 1, 1)
    trend = list(book["Udvikling"].iter_rows(min_row=2, values_only=True))
    assert any(row[0] == "DS1" and row[2] == "Måling 2026" and row[4:6] == (11, 0.82) for row in trend)
    assert book["Kalibrering"].max_row >= 1


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


def test_an_export_before_any_round_closes_says_so_and_has_no_figures(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    answer(campaign, team.members[0], 3)
    client = client_for(team.admin)
    response = client.get(export_url("csv", team.root.pk), {"source": "self"})
    assert csv_table(response.content) == []
    assert "Ingen måling er lukket endnu, så der er ingen tal." in response.content.decode("utf-8-sig")
    book = read_xlsx(client.get(export_url("xlsx", team.root.pk)).content)
    assert book["Heatmap"]["A1"].value == "Der er ingen tal at vise."
    assert book["Største gab"].max_row <= 3


# --- Missing figures -----------------------------------------------------------------------------


def test_cells_without_a_figure_never_export_a_number_in_csv(
    team: Team, grouped: Campaign, client_for: Callable[[User], Client]
) -> None:
    response = client_for(team.admin).get(export_url("csv", team.root.pk), filters_for(grouped))

    rows = csv_table(response.content)
    total = [r for r in rows if r["Rækketype"] == "I alt" and r["Personer med målniveau"]]
    assert {r["Personer med målniveau"] for r in total} == {"6"}
    syd = [r for r in rows if r["Række"] == "Hjemmeplejen Syd"]
    assert syd
    assert all(figures_of(r) == ["", "", ""] for r in syd)
    assert {r["Bemærkning"] for r in syd} == {GROUPED, NOBODY}
    assert {(r["Deltagere i rækken"], r["Heraf med i tallene"]) for r in syd} == {("1", "0")}
    for line in rows:
        if line["Bemærkning"]:
            assert figures_of(line) == ["", "", ""]


def test_cells_without_a_figure_never_export_a_number_in_xlsx(
    team: Team, grouped: Campaign, client_for: Callable[[User], Client]
) -> None:
    response = client_for(team.admin).get(export_url("xlsx", team.root.pk), filters_for(grouped))

    book = read_xlsx(response.content)
    heat = book["Heatmap"]
    (syd,) = [row for row in heat.iter_rows(min_row=3) if row[0].value == "Hjemmeplejen Syd"]
    # The competence cells, then the row's coverage (participants, not answers).
    values = [cell.value for cell in syd[1:-1]]
    assert not [v for v in values if isinstance(v, int | float)]
    assert set(values) == {"Højere oppe", "\u2013"}
    assert syd[-1].value == "0 af 1 deltagere"
    commented = [cell for cell in syd[1:] if cell.value == "Højere oppe"]
    assert commented
    assert all(cell.comment and cell.comment.text == GROUPED for cell in commented)
    details = book["Heatmap, detaljer"]
    header = [cell.value for cell in details[1]]
    for row in details.iter_rows(min_row=2, values_only=True):
        if row[header.index("Bemærkning")]:
            assert [row[header.index(h)] for h in FIGURES] == [None, None, None]


def test_a_leaders_export_covers_their_own_unit(
    team: Team, grouped: Campaign, client_for: Callable[[User], Client]
) -> None:
    response = client_for(team.leader).get(export_url("csv"), filters_for(grouped))

    assert response.status_code == 200
    assert "hjemmeplejen-nord" in response["Content-Disposition"]
    rows = csv_table(response.content)
    assert {r["Række"] for r in rows} == {"Hjemmeplejen Nord", "Placeret direkte i Hjemmeplejen Nord"}
    assert b"Syd" not in response.content
    for ds1 in (r for r in rows if r["Kode"] == "DS1"):
        assert figures_of(ds1) == ["6", "6", "100"]
        assert (ds1["Deltagere i rækken"], ds1["Heraf med i tallene"]) == ("7", "7")


def test_a_leader_of_two_units_gets_both_with_a_column_saying_which(
    team: Team, visible: Campaign, client_for: Callable[[User], Client]
) -> None:
    UnitLeaderFactory(unit=team.other_unit, person=team.leader.persons.get())

    response = client_for(team.leader).get(export_url("csv"), filters_for(visible))

    rows = csv_table_with(response.content, "Visning")
    assert {r["Visning"] for r in rows} == {"Hjemmeplejen Nord", "Hjemmeplejen Syd"}
    assert {r["Personer med målniveau"] for r in rows if r["Kode"] == "DS1"} == {"6", "5"}
    facts = {line[0]: line[1] for line in read_csv(response.content) if len(line) == 2}
    assert facts["Enhed"] == "Hjemmeplejen Nord, Hjemmeplejen Syd"
    assert team.organisation.name.lower().replace(" ", "-") in response["Content-Disposition"]
    book = read_xlsx(client_for(team.leader).get(export_url("xlsx"), filters_for(visible)).content)
    labels = [row[0] for row in book["Heatmap"].iter_rows(min_row=3, values_only=True)]
    assert "Hjemmeplejen Nord" in labels
    assert "Hjemmeplejen Syd" in labels
    assert book["Største gab"]["A1"].value == "Visning"


def test_cells_without_a_figure_never_reach_the_pdf(
    team: Team,
    grouped: Campaign,
    client_for: Callable[[User], Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rendered: list[str] = []
    original = exports.render_pdf

    def keep(html: str) -> bytes:
        rendered.append(html)
        return original(html)

    monkeypatch.setattr(exports, "render_pdf", keep)

    response = client_for(team.admin).get(report_url(team.root.pk), filters_for(grouped))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    (html,) = rendered
    rows = [
        (label.strip(), coverage, cells)
        for label, coverage, cells in re.findall(
            r"<tr[^>]*>\s*<th scope=\"row\">([^<]*)<span class=\"count\">([^<]*)</span>\s*</th>(.*?)</tr>",
            html,
            re.DOTALL,
        )
    ]
    # Each row says whom its figures cover (participants, not answers).
    assert {coverage.strip() for label, coverage, _cells in rows if label == "Hjemmeplejen Syd"} == {
        "0 af 1 deltagere"
    }
    syd_rows = [cells for label, _coverage, cells in rows if label == "Hjemmeplejen Syd"]
    assert len(syd_rows) == 3  # one table per focus area
    texts = [re.sub(r"<[^>]+>", " ", cells) for cells in syd_rows]
    for text in texts:
        assert "%" not in text
        assert " af " not in text
        assert not re.search(r"\d", text)
    assert sum("Højere oppe" in text for text in texts) == 2  # the focus areas with SOSU targets
    totals = [cells for label, _coverage, cells in rows if label == "Kommunen"]
    assert any("6 af 6" in " ".join(cells.split()) for cells in totals)


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
