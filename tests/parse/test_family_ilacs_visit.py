"""ILACS focused-visit letters on the bundled fixtures: one of 2026 with an area for priority
action, one in the 2018-2020 layout without. Every fact asserted here was read from the PDF
(the date, the title, the opening paragraph, the lists and the signatory)."""

from __future__ import annotations

from datetime import date

import pytest
from fixture_pdfs import fixture_doc, with_page_furniture

from ofsted_kg.model import Report
from ofsted_kg.parse.families import ilacs_visit
from ofsted_kg.read.document import Document

SLOUGH = "slough-focused-visit-2026-01-12.pdf"
LIVERPOOL = "liverpool-focused-visit-2019-05-24.pdf"

# name -> title, authority, visit days, letter date, inspectors (the signatory leads)
LETTERS = {
    SLOUGH: (
        "Focused visit to Slough Borough Council children's services", "Slough",
        date(2025, 11, 19), date(2025, 11, 20), date(2026, 1, 12),
        [("Christine Kennet", "lead"), ("David Cohen", "inspector"),
         ("Penny Ademuyiwa", "inspector")],
    ),
    LIVERPOOL: (
        "Focused visit to Liverpool local authority children's services", "Liverpool",
        date(2019, 4, 30), date(2019, 5, 1), date(2019, 5, 24),
        [("Shabana Abasi", "lead"), ("Peter McEntee", "inspector")],
    ),
}  # fmt: skip


def _report(name: str) -> Report:
    doc = fixture_doc(name)
    assert ilacs_visit.detect(doc), f"{name} not recognised as a visit letter"
    return ilacs_visit.parse(doc)


def _texts(report: Report, kind: str) -> list[str]:
    return [f.text for f in report.findings if f.kind == kind]


@pytest.mark.parametrize("name", sorted(LETTERS))
def test_letter_heading(name: str) -> None:
    title, authority, start, end, published, inspectors = LETTERS[name]
    report = _report(name)
    insp = report.inspection
    assert (report.family, insp.framework, insp.kind) == ("ilacs_visit", "ilacs", "focused-visit")
    assert (report.title, insp.authority) == (title, authority)
    assert (insp.start, insp.end, report.published) == (start, end, published)
    assert report.inspectors == inspectors
    assert insp.judgements == []  # a visit grades nothing


@pytest.mark.parametrize("name", sorted(LETTERS))
def test_no_letterhead_or_opening_paragraph_is_a_finding(name: str) -> None:
    for f in _report(name).findings:
        assert not f.text.startswith(("This letter summarises", "Ofsted", "Piccadilly Gate")), f
        assert "www.gov.uk/ofsted" not in f.text and "Yours sincerely" not in f.text, f


def test_area_for_priority_action() -> None:
    report = _report(SLOUGH)
    assert _texts(report, "priority-action") == [
        "Keeping in touch with and supporting care leavers over the age of 18 to ensure their "
        "welfare is safeguarded and promoted in line with statutory duties and care leaver "
        "entitlements. (outcome 4, national framework)"
    ]
    assert _texts(report, "what-needs-to-improve") == [
        "Management oversight, including the supervision of staff. (enabler 2, national framework)",
        "Performance management and quality assurance arrangements. (enabler 2, national "
        "framework)",
        "The consistency of planning for care leavers. (enabler 3, national framework)",
        "How manageable workers' caseloads are, so that they have sufficient time to enable "
        "stronger and more consistent practice with care leavers. (enabler 2, national "
        "framework)",
    ]
    main = _texts(report, "main-finding")
    assert main[0].startswith("Care leavers in Slough are receiving an inconsistent level")
    assert any(t.startswith("We met an inspirational group of young people") for t in main)


def test_2019_letter_without_priority_action() -> None:
    report = _report(LIVERPOOL)
    assert _texts(report, "priority-action") == []
    assert _texts(report, "what-needs-to-improve") == [
        "The timeliness of permanency planning for all children in care.",
        "The quality and frequency of assessments to inform care planning.",
        "Care plans which set out clear and measurable outcomes.",
        "Recording of supervision sessions to include reflection, challenge and agreed next steps.",
        "The quality and consistency of oversight and challenge by IROs.",
    ]
    # the "Findings" bullets are the letter's findings
    main = _texts(report, "main-finding")
    assert any(
        t.startswith("Decision-making and application of the threshold for bringing children")
        for t in main
    )
    assert any(t.startswith("Strengthened performance data means that leaders") for t in main)


@pytest.mark.parametrize("name", ["camden-2022-06-21.pdf", "camden-2017-11-24.pdf"])
def test_inspection_reports_are_not_claimed(name: str) -> None:
    assert not ilacs_visit.detect(fixture_doc(name))


def test_a_letter_without_its_close_ends_at_ofsteds_back_matter() -> None:
    # a letter printed without "Ofsted will take the findings ..." and "Yours sincerely",
    # Ofsted's standard back matter (as an inspection report prints it) following the last
    # finding: the findings are the letter's, none of the back matter
    letter = fixture_doc("liverpool-focused-visit-2019-05-24.pdf")
    expected = [(f.kind, f.text) for f in ilacs_visit.parse(letter).findings]
    close = next(i for i, ln in enumerate(letter.lines) if ln.text.startswith("Ofsted will take"))
    report = fixture_doc("islington-2025-01-29.pdf")
    back = next(i for i, ln in enumerate(report.lines) if ln.text.startswith("The Office for"))
    page = letter.lines[close].page
    texts = [(ln.text, ln.page) for ln in letter.lines[:close]]
    texts += [(ln.text, page) for ln in report.lines[back:]]
    joined = Document.from_texts(letter.path, letter.sha256, texts, letter.kind)
    assert [(f.kind, f.text) for f in ilacs_visit.parse(joined).findings] == expected


def test_ofsteds_standard_footnote_is_never_a_finding() -> None:
    # the reader sets a footnote after the paragraph running at the foot of its page
    letter = fixture_doc("liverpool-focused-visit-2019-05-24.pdf")
    expected = [(f.kind, f.text) for f in ilacs_visit.parse(letter).findings]
    note = ("The areas for improvement have been cross-referenced with the outcomes, enablers "
            "or principles in the Children's Social Care: National Framework.")  # fmt: skip
    texts = []
    for ln in letter.lines:
        texts.append((ln.text, ln.page))
        if ln.text.startswith("- "):
            texts.append((note, ln.page))
    joined = Document.from_texts(letter.path, letter.sha256, texts, letter.kind)
    assert [(f.kind, f.text) for f in ilacs_visit.parse(joined).findings] == expected


def test_page_numbers_are_never_text() -> None:
    letter = fixture_doc("liverpool-focused-visit-2019-05-24.pdf")
    report = ilacs_visit.parse(letter)
    kept = ilacs_visit.parse(with_page_furniture(letter))
    assert [(f.kind, f.text) for f in kept.findings] == [(f.kind, f.text) for f in report.findings]
    assert kept.notes == report.notes


def test_headings_wrapped_over_lines_are_read_whole() -> None:
    letter = fixture_doc("liverpool-focused-visit-2019-05-24.pdf")
    report = ilacs_visit.parse(letter)
    expected = [(f.kind, f.text, f.source.section) for f in report.findings]
    long = "What needs to improve in this area of social work practice"
    headings = [ln.text for ln in letter.lines if ln.text == long]
    assert headings
    words = long.split()
    for k in range(1, len(words)):  # wrapped after every word
        texts = []
        for ln in letter.lines:
            if ln.text == long:
                texts += [(" ".join(words[:k]), ln.page), (" ".join(words[k:]), ln.page)]
            else:
                texts.append((ln.text, ln.page))
        wrapped = ilacs_visit.parse(Document.from_texts(letter.path, letter.sha256, texts, "pdf"))
        assert [(f.kind, f.text, f.source.section) for f in wrapped.findings] == expected, k
        assert wrapped.notes == report.notes, k
