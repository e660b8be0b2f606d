"""Area SEND inspections (parse/families/area_send.py): the framework's fixed structure on a
small report written here in the published layout, and every field of the hand-checked
reference on the shared corpus."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from fixture_pdfs import fixture_doc, with_page_furniture

from helpers import benchmark, shared
from ofsted_kg.model import PARTNERSHIP
from ofsted_kg.parse.detect import detect
from ofsted_kg.parse.families import area_send
from ofsted_kg.rdf.emit import emit_ntriples
from ofsted_kg.read.document import Document, IngestError
from ofsted_kg.validate.shacl import validate_ntriples

ICB = "NHS Anyshire and Elsewhere Integrated Care Board"


def report_text(outcome: str, *asks: str, previous: str = "23 to 27 May 2016") -> list[str]:
    return [
        "Local area partnership report",
        "Area SEND inspection of Rutland Local Area Partnership",
        "Inspection dates: 17 to 21 June 2024",
        f"Date of previous inspection: {previous}",
        "Inspection outcome",
        outcome,
        "Information about the local area partnership",
        "Rutland County Council and NHS Anyshire & Elsewhere Integrated Care Board (ICB) are jointly "
        "responsible for the planning and commissioning of services.",
        "What is it like to be a child or young person with SEND in this area?",
        "Children's needs are identified early.",
        "What is the area partnership doing that is effective?",
        "- Leaders know their area well.",
        "What does the area partnership need to do better?",
        "- Waiting times for assessments are too long.",
        "Areas for improvement",
        *asks,
        "Local area partnership details",
        "Local authority\tIntegrated care board",
        "Inspection team",
        "Ofsted\tCare Quality Commission",
        "Sue Eastwood, Ofsted Lead inspector Nick Bennison, Ofsted HMI\t"
        "Gerry Bates, CQC Lead inspector",
    ]


def doc(lines: list[str]) -> Document:
    return Document.from_texts(Path("send.txt"), "b" * 64, [(t, 1) for t in lines], "txt")


POSITIVE = ("The local area partnership's special educational needs and/or disabilities (SEND) "
            "arrangements typically lead to positive experiences and outcomes for children and "
            "young people with SEND. The next full area SEND inspection will be within "
            "approximately five years.")  # fmt: skip
SYSTEMIC = ("There are widespread and/or systemic failings leading to significant concerns "
            "about the experiences and outcomes of children and young people with SEND. A "
            "monitoring inspection will be carried out within approximately 18 months. The next "
            "full reinspection will be within approximately three years.")  # fmt: skip


def test_the_partnership_its_outcome_and_when_it_is_inspected_next() -> None:
    d = doc(report_text(POSITIVE, "Health leaders must reduce waiting times.",
                        "The local area partnership should improve EHC plans."))  # fmt: skip
    assert detect(d).key == "area_send"
    report = area_send.parse(d)
    insp = report.inspection
    assert (insp.framework, insp.authority, insp.start, insp.end) == (
        "area-send",
        "Rutland",
        date(2024, 6, 17),
        date(2024, 6, 21),
    )
    assert (insp.outcome, insp.next_full_within, insp.monitoring_within) == (
        "positive",
        "P5Y",
        None,
    )
    assert insp.partners == (ICB,)
    assert report.inspectors == [("Sue Eastwood", "lead"), ("Nick Bennison", "inspector"),
                                 ("Gerry Bates", "inspector")]  # fmt: skip
    assert [(e.framework, e.start) for e in report.earlier] == [
        ("area-send-2016", date(2016, 5, 23))
    ]
    kinds = [(f.kind, f.addressees) for f in report.findings]
    # what the partnership needs to do better is evaluation (its weaknesses), not an ask
    assert kinds == [("main-finding", ()), ("strength", ()), ("main-finding", ()),
                     ("area-for-improvement", (ICB,)),
                     ("area-for-improvement", (PARTNERSHIP,))]  # fmt: skip
    data = emit_ntriples(report)
    assert b"ontology#LocalAreaPartnership>" in data and b"ns/org#hasMember>" in data
    assert validate_ntriples(data).conforms
    assert validate_ntriples(data, engine="pyshacl").conforms


def test_a_systemic_outcome_sets_a_monitoring_inspection_and_none_previous() -> None:
    report = area_send.parse(doc(report_text(SYSTEMIC, "Leaders should act.", previous="None")))
    insp = report.inspection
    assert (insp.outcome, insp.next_full_within, insp.monitoring_within) == (
        "systemic",
        "P3Y",
        "P18M",
    )
    assert insp.no_previous and report.earlier == []


def test_a_report_without_one_of_the_three_outcomes_is_refused() -> None:
    with pytest.raises(IngestError, match="none of the framework's three outcomes"):
        area_send.parse(doc(report_text("The partnership is doing fine.", "Leaders should act.")))


def test_icb_names_are_read_back_from_integrated_care_board() -> None:
    assert area_send.icb_names(
        "Suffolk County Council, the NHS Suffolk and North East Essex Integrated Care\n"
        "Board (ICB) and NHS Norfolk and Waveney ICB are responsible"
    ) == ("NHS Suffolk and North East Essex Integrated Care Board",
          "NHS Norfolk and Waveney Integrated Care Board")  # fmt: skip
    assert area_send.icb_names(
        "Telford and Wrekin Council and NHS Shropshire, Telford and Wrekin Integrated Care "
        "Board (NHS ST&W ICB) are jointly responsible. Leaders from NHS ST&W ICB need to act."
    ) == ("NHS Shropshire, Telford and Wrekin Integrated Care Board",)


@pytest.mark.corpus
def test_every_reference_field_agrees_on_the_corpus_reports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bench = benchmark("reference_send", monkeypatch)
    corpus = shared("corpus")
    with (corpus / "reference-send.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 10
    misses = []
    for row in rows:
        got = bench.found_fields(corpus / "pdf" / row["file"])
        misses += [
            (row["file"], k, got.get(k), row[k]) for k in bench.FIELDS if got.get(k) != row[k]
        ]
    assert misses == []


def test_the_icb_is_one_partner_agency_of_the_council() -> None:
    from ofsted_kg.enrich.pipeline import parse_document

    lines = report_text(POSITIVE, "Health leaders must reduce waiting times.")
    lines.insert(
        12, "Leaders of Rutland County Council and NHS Anyshire and Elsewhere ICB work well."
    )
    report = parse_document(doc(lines))
    icbs = [a.name for a in report.agencies if a.kind == "integrated care board"]
    assert icbs == [ICB]
    kinds = {(r.agency, r.kind) for r in report.relations}
    assert {(ICB, "partnership-member"), (ICB, "addressee")} <= kinds
    assert validate_ntriples(emit_ntriples(report)).conforms


# ------------------------------------------ the framework's headings as reports vary them

FIXTURE = "durham-area-send-2024-09-03.pdf"  # tune half
VARIANTS = {
    "What is it like to be a child or young person with SEND in this area?": [
        "What is it like to be a child or young person with special educational needs "
        "and/or disabilities (SEND) in this area?",
        "What is it like to be a child or young person with SEND in Durham",
    ],
    "What is the area partnership doing that is effective?": [
        "What is the local area partnership doing that is effective?",
        "What is the area partnership doing that is effective",
    ],
    "What does the area partnership need to do better?": [
        "What does the local area partnership need to do better?",
        "What does the area partnership need to do better",
    ],
}


def _reprinted(replace: dict[str, str], drop: tuple[str, ...] = ()) -> Document:
    d = fixture_doc(FIXTURE)
    texts = [(replace.get(ln.text, ln.text), ln.page) for ln in d.lines
             if not ln.text.startswith(drop)]  # fmt: skip
    return Document.from_texts(d.path, d.sha256, texts, d.kind)


def _kinds(d: Document) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in area_send.parse(d).findings]


def test_fixture_sections_by_kind() -> None:
    report = area_send.parse(fixture_doc(FIXTURE))
    assert not report.notes
    by_section = {}
    for f in report.findings:
        by_section.setdefault(f.source.section[0], set()).add(f.kind)
    assert by_section == {
        "What is it like to be a child or young person with special educational needs and/or "
        "disabilities (SEND) in this area?": {"main-finding"},
        "What is the area partnership doing that is effective?": {"strength"},
        "What does the area partnership need to do better?": {"main-finding"},
        "Areas for improvement": {"area-for-improvement"},
    }


def test_heading_variants_give_the_same_findings() -> None:
    expected = _kinds(fixture_doc(FIXTURE))
    printed = {ln.text for ln in fixture_doc(FIXTURE).lines}
    for n in range(2):
        replace = {}
        for heading, variants in VARIANTS.items():
            # the fixture prints the first section's heading in full
            original = next(t for t in printed if t.startswith(heading[:40]))
            replace[original] = variants[n]
        report = area_send.parse(_reprinted(replace))
        assert [(f.kind, f.text) for f in report.findings] == expected
        assert not report.notes


def test_unknown_heading_is_noted_and_its_content_not_stored() -> None:
    d = fixture_doc(FIXTURE)
    expected = _kinds(d)
    strengths = [i for i, ln in enumerate(d.lines) if ln.text.startswith("What is the area")]
    at = strengths[0] + 3  # inside the strengths
    texts = [(ln.text, ln.page) for ln in d.lines]
    texts.insert(at, ("Joint commissioning", texts[at][1]))
    report = area_send.parse(Document.from_texts(d.path, d.sha256, texts, d.kind))
    [note] = report.notes
    assert "Joint commissioning" in note.text
    kept = [(f.kind, f.text) for f in report.findings]
    # the strengths before the unknown heading stay; none after it becomes a strength
    assert kept == [e for e in expected if e in kept]
    assert len(kept) < len(expected)
    assert {f.source.section[0] for f in report.findings} == {
        f.source.section[0] for f in area_send.parse(d).findings
    }


def test_without_its_details_table_the_report_ends_at_the_back_matter() -> None:
    d = fixture_doc(FIXTURE)
    details = next(i for i, ln in enumerate(d.lines) if ln.text == "Local area partnership details")
    office = next(i for i, ln in enumerate(d.lines) if ln.text.startswith("The Office for"))
    texts = [(ln.text, ln.page) for i, ln in enumerate(d.lines) if not details <= i < office]
    report = area_send.parse(Document.from_texts(d.path, d.sha256, texts, d.kind))
    assert [(f.kind, f.text) for f in report.findings] == _kinds(d)


def test_page_numbers_are_never_text() -> None:
    d = fixture_doc(FIXTURE)
    report = area_send.parse(d)
    kept = area_send.parse(with_page_furniture(d))
    assert [(f.kind, f.text) for f in kept.findings] == [(f.kind, f.text) for f in report.findings]
    assert kept.notes == report.notes


def test_headings_wrapped_over_lines_are_read_whole() -> None:
    d = fixture_doc(FIXTURE)
    expected = _kinds(d)
    headings = [ln.text for ln in d.lines if ln.text.startswith("What ")]
    assert len(headings) == 3
    longest = max(len(h.split()) for h in headings)
    for k in range(1, longest):  # every heading wrapped after its k-th word (and again)
        texts = []
        for ln in d.lines:
            words = ln.text.split()
            if ln.text in headings and k < len(words):
                cut = [" ".join(words[:k]), " ".join(words[k:])]
                if len(cut[1].split()) > 3:  # and a third line
                    cut[1:] = [" ".join(words[k : k + 2]), " ".join(words[k + 2 :])]
                texts += [(t, ln.page) for t in cut]
            else:
                texts.append((ln.text, ln.page))
        report = area_send.parse(Document.from_texts(d.path, d.sha256, texts, d.kind))
        assert [(f.kind, f.text) for f in report.findings] == expected, k
        assert not report.notes, k
