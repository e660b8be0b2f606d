"""The bundled fixtures (tests/fixtures): every registered family claims at least one of them
or a bundled seed, each is claimed by the family its README says, and what the project does
not read (an HTML page saved as .pdf, a report of no known family) is refused with a clear
reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixture_pdfs import FIXTURES, fixture_doc, fixture_pdf

from ofsted_kg import api
from ofsted_kg.enrich.pipeline import parse_document
from ofsted_kg.parse.detect import detect
from ofsted_kg.parse.families import registered
from ofsted_kg.read.document import Document, IngestError
from ofsted_kg.read.files import read
from ofsted_kg.resources import example_reports

README = FIXTURES.parent / "README.md"
# fixture -> the family that claims it, as its README row says (None: refused)
FAMILIES = {
    "barnsley-2014-08-08.pdf": "sif",
    "barnsley-2018-11-19.pdf": "ilacs",
    "birmingham-2012-10-19.pdf": None,
    "camden-2017-11-24.pdf": "sif",
    "camden-2022-06-21.pdf": "ilacs",
    "durham-area-send-2024-09-03.pdf": "area_send",
    "halton-2020-04-15.pdf": "ilacs",
    "herefordshire-2026-01-12.pdf": "ilacs",
    "islington-2025-01-29.pdf": "ilacs",
    "liverpool-focused-visit-2019-05-24.pdf": "ilacs_visit",
    "norfolk-2013-08-16.pdf": "lac2013",
    "north-lincolnshire-2026-04-30.pdf": "ilacs",
    "slough-focused-visit-2026-01-12.pdf": "ilacs_visit",
    "surrey-2015-08-03.pdf": "sif",
    "west-berkshire-2017-07-07.pdf": "sif",
}
SEND = "durham-area-send-2024-09-03.pdf"
HTML = "birmingham-2012-10-19.pdf"


def test_the_folder_holds_the_listed_files_and_stays_small() -> None:
    files = sorted(p.name for p in FIXTURES.iterdir())
    assert files == sorted(FAMILIES)
    assert sum(p.stat().st_size for p in FIXTURES.iterdir()) < 6_000_000


def test_the_readme_has_a_row_for_each_file_and_states_the_licence() -> None:
    text = README.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`]+\.pdf)` \|", text, re.M)
    assert sorted(rows) == sorted(FAMILIES)
    assert "Crown copyright" in text and "Open Government Licence v3.0" in text


@pytest.mark.parametrize("name", sorted(n for n, f in FAMILIES.items() if f))
def test_each_fixture_is_claimed_by_its_family(name: str) -> None:
    assert detect(fixture_doc(name)).key == FAMILIES[name]


def test_every_registered_family_is_tested_on_a_fixture_or_a_seed() -> None:
    claimed = {f for f in FAMILIES.values() if f}
    claimed |= {detect(read(path)).key for path in example_reports()}
    assert claimed == {family.key for family in registered()}


def test_the_area_send_fixture_is_read_as_its_family() -> None:
    report = parse_document(fixture_doc(SEND))
    assert (report.family, report.authority, report.inspection.outcome) == (
        "area_send",
        "Durham",
        "inconsistent",
    )
    assert report.inspection.partners == ("NHS North East and North Cumbria Integrated Care Board",)


def test_a_report_of_no_known_family_is_refused() -> None:
    doc = Document.from_texts(
        Path("x.txt"), "0" * 64, [("Annual report of the chief inspector", 1)], "txt"
    )
    with pytest.raises(IngestError, match=r"^unknown kind of report \(starts: 'Annual report"):
        detect(doc)


def test_html_page_is_refused_by_the_reader() -> None:
    with pytest.raises(IngestError, match=r"^HTML page, not a PDF$"):
        read(fixture_pdf(HTML))


def test_ingest_stores_nothing_of_what_it_refuses(tmp_path: Path) -> None:
    unknown = tmp_path / "minutes.txt"
    unknown.write_text("Minutes of the corporate parenting panel\n\nPresent: the chair.\n")
    store = api.open_store(tmp_path / "store")
    result = api.ingest([unknown, fixture_pdf(HTML)], store, jobs=1)
    reasons = {f.path.name: f.reason for f in result.failed}
    assert reasons == {
        "minutes.txt": "unknown kind of report (starts: 'Minutes of the corporate parenting panel')",
        HTML: "HTML page, not a PDF",
    }
    assert list(store.report_shas()) == []
