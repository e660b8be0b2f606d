"""Visit letters (parse/families/ilacs_visit.py): the letter's structure, read from its
vocabulary of headings and Ofsted's standard paragraphs, on small letters written here in
the published layout, and every field of the hand-checked reference on the shared corpus."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from helpers import benchmark, shared
from ofsted_kg.parse.families import ilacs_visit
from ofsted_kg.rdf.emit import emit_ntriples
from ofsted_kg.read.document import Document
from ofsted_kg.validate.shacl import validate_ntriples

LETTERHEAD = ["Ofsted", "Piccadilly Gate", "Store Street", "Manchester", "M1 2WD",
              "T 0300 123 1231", "Textphone 0161 618 8524",
              "enquiries@ofsted.gov.uk www.gov.uk/ofsted"]  # fmt: skip


def letter(*body: str, opening: str | None = None, signed: str = "Máire Atherton") -> Document:
    lines = [
        "3 March 2024", "Jane Smith", "Director of Children's Services", "Anytown Council",
        "Dear Ms Smith", "Focused visit to Anytown local authority children's services",
        opening or ("This letter summarises the findings of a focused visit to Anytown local "
                    "authority children's services on 6 and 7 February 2024. His Majesty's "
                    "Inspectors for this visit were Maire Atherton and Sam Lee, HMI."),
        "Inspectors looked at the local authority's arrangements for children in care.",
        *body,
        "Ofsted will take the findings from this focused visit into account when planning "
        "your next inspection or visit.",
        "Yours sincerely", signed, "His Majesty's Inspector",
    ]  # fmt: skip
    return Document.from_texts(Path("letter.txt"), "a" * 64, [(t, 1) for t in lines], "txt")


def test_the_signatory_leads_and_one_person_is_one_inspector() -> None:
    report = ilacs_visit.parse(letter("Headline findings", "Children are seen often."))
    assert report.inspectors == [("Máire Atherton", "lead"), ("Sam Lee", "inspector")]
    assert report.authority == "Anytown"
    assert (report.inspection.start, report.inspection.end) == (date(2024, 2, 6), date(2024, 2, 7))


def test_the_year_missing_in_the_sentence_is_the_letters() -> None:
    opening = ("This letter summarises the findings of a focused visit to Anytown children's "
               "services on 6 February. The inspectors were Sam Lee, HMI, and Ann Bloggs, HMI.")  # fmt: skip
    report = ilacs_visit.parse(letter("Findings", "Children are seen often.", opening=opening))
    assert report.inspection.start == report.inspection.end == date(2024, 2, 6)
    assert [n for n, _ in report.inspectors] == ["Máire Atherton", "Sam Lee", "Ann Bloggs"]


def test_sections_from_the_heading_vocabulary_and_list_lead_ins() -> None:
    report = ilacs_visit.parse(letter(
        "Areas for priority action",
        "The local authority needs to take swift and decisive action to improve",
        "- the identification of risk.",
        "- management oversight.",
        "What needs to improve in this area of social work practice?",
        "- Planning for permanence.",
        "Findings",
        "- Thresholds are appropriate.",
        "Children are visited regularly.",
    ))  # fmt: skip
    kinds = [(f.kind, f.text) for f in report.findings]
    assert kinds == [
        ("priority-action", "the identification of risk."),
        ("priority-action", "management oversight."),
        ("what-needs-to-improve", "Planning for permanence."),
        ("main-finding", "Thresholds are appropriate."),
        ("main-finding", "Children are visited regularly."),
    ]
    lead_in = report.findings[0].source.section
    assert lead_in == ("Areas for priority action",
                       "The local authority needs to take swift and decisive action to improve")  # fmt: skip


def test_an_unknown_heading_is_noted_and_its_text_never_inherits_the_section_above() -> None:
    report = ilacs_visit.parse(letter(
        "Headline findings", "Children are seen often.",
        "A heading nobody has seen", "This paragraph belongs to the unknown section.",
    ))  # fmt: skip
    assert [f.text for f in report.findings] == ["Children are seen often."]
    assert len(report.notes) == 1 and "A heading nobody has seen" in report.notes[0].text
    data = emit_ntriples(report)
    assert b"ontology#ReadingNote>" in data
    assert validate_ntriples(data).conforms
    assert validate_ntriples(data, engine="pyshacl").conforms


def test_the_letterhead_is_dropped_and_the_paragraph_it_cut_joined() -> None:
    report = ilacs_visit.parse(letter(
        "Headline findings",
        "Senior leaders have created sophisticated and effective systems to address risks to children, including knife",
        *LETTERHEAD,
        "crime and exploitation.",
    ))  # fmt: skip
    (finding,) = report.findings
    assert finding.text.endswith("including knife crime and exploitation.")
    assert finding.source.end - finding.source.start > len(finding.text)  # spans the letterhead


def _reference() -> list[dict[str, str]]:
    with shared("corpus", "reference-visits.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.corpus
def test_every_reference_field_agrees_on_the_corpus_letters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bench = benchmark("reference_visits", monkeypatch)
    corpus = shared("corpus")
    misses = []
    for row in _reference():
        want, got = bench.expected_fields(row), bench.found_fields(corpus / "pdf" / row["file"])
        misses += [(row["file"], k, got.get(k), v) for k, v in want.items() if got.get(k) != v]
    # the reference names Bristol as ONS does ("Bristol, City of"); the graph's name is the
    # council's short name, as for every other authority
    assert misses == [("bristol-focused-visit-2026-01-12.pdf", "authority", "bristol",
                       "bristol city of")]  # fmt: skip
