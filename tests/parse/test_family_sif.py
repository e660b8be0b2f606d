"""Single inspection framework (SIF) reports, 2014-2018, and reviews of local safeguarding
children boards (LSCB), on the bundled fixtures: every fact asserted here was read from the
PDF (page 1, the recommendations, the "Information about this local authority area" list)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from fixture_pdfs import fixture_doc

from ofsted_kg.enrich import agencies
from ofsted_kg.model import Report
from ofsted_kg.parse.families import sif
from ofsted_kg.rdf import vocab
from ofsted_kg.read.document import Document, IngestError

OVERALL = "Overall effectiveness"
HELP = "Children who need help and protection"
LOOKED_AFTER = "Children looked after and achieving permanence"
ADOPTION = "Adoption performance"
LEAVERS = "Experiences and progress of care leavers"
LEADERSHIP = "Leadership, management and governance"
OUT, G, RI = "Outstanding", "Good", "Requires improvement to be good"

# name -> kind, authority, inspection dates, published, lead inspector, grades
INSPECTIONS = {
    "camden-2017-11-24.pdf": (
        "full", "Camden", date(2017, 9, 11), date(2017, 10, 5), date(2017, 11, 24), "Nick Stacey",
        {OVERALL: G, HELP: G, LOOKED_AFTER: G, ADOPTION: OUT, LEAVERS: G, LEADERSHIP: OUT},
    ),
    "barnsley-2014-08-08.pdf": (
        "full", "Barnsley", date(2014, 6, 2), date(2014, 6, 25), date(2014, 8, 8), "Jansy Kelly",
        {OVERALL: RI, HELP: RI, LOOKED_AFTER: RI, ADOPTION: RI, LEAVERS: G, LEADERSHIP: RI},
    ),
    "west-berkshire-2017-07-07.pdf": (
        "reinspection", "West Berkshire", date(2017, 5, 8), date(2017, 5, 19), date(2017, 7, 7),
        "Steph Murray",
        {OVERALL: G, HELP: RI, LOOKED_AFTER: G, ADOPTION: G, LEAVERS: G, LEADERSHIP: G},
    ),
}  # fmt: skip


def _report(name: str) -> Report:
    doc = fixture_doc(name)
    assert sif.detect(doc), f"{name} not recognised as a SIF report"
    return sif.parse(doc)


@pytest.mark.parametrize("name", sorted(INSPECTIONS))
def test_front_page(name: str) -> None:
    kind, authority, start, end, published, lead, _grades = INSPECTIONS[name]
    report = _report(name)
    insp = report.inspection
    assert (report.family, insp.framework, insp.kind) == ("sif", "sif", kind)
    assert (insp.authority, insp.start, insp.end, report.published) == (
        authority,
        start,
        end,
        published,
    )
    # "Lead inspector: ..." in the closing "Information about this inspection"
    assert report.inspectors[:1] == [(lead, "lead")]
    prefix = "Re-inspection" if kind == "reinspection" else "Inspection"
    assert report.title == (
        f"{prefix} of services for children in need of help and protection, children looked "
        "after and care leavers"
    )
    assert not report.notes, [n.text for n in report.notes]


@pytest.mark.parametrize("name", sorted(INSPECTIONS))
def test_judgements(name: str) -> None:
    grades = INSPECTIONS[name][-1]
    insp = _report(name).inspection
    assert {j.area: j.grade for j in insp.judgements} == grades
    assert insp.not_judged == []
    # the overall grade is the headline ("Children's services in Camden are good"), the
    # others rows of the page-1 table, each repeated by its section's heading
    for j in insp.judgements:
        assert ("headline" in j.stated_in) == (j.area == OVERALL), j
        if j.area != OVERALL:
            assert j.stated_in == ("table", "body"), j
        assert j.source.page == 1 and j.subject_agency is None
        assert vocab.concept_for_label("areas", j.area) is not None, j.area


def test_report_with_its_lscb_review() -> None:
    report = _report("camden-2017-11-24.pdf")
    [review] = report.reviews
    assert (review.framework, review.authority) == ("lscb", "Camden")
    assert (review.start, review.end) == (date(2017, 9, 11), date(2017, 10, 5))
    # page 33: "The Local Safeguarding Children Board is outstanding", about the board
    [j] = review.judgements
    assert (j.area, j.grade, j.source.page) == ("The Local Safeguarding Children Board", OUT, 33)
    assert j.subject_agency == "Camden Safeguarding Children Board"
    # the board's executive summary (six paragraphs on page 33) is the review's main findings
    summary = [f for f in report.findings if f.kind == "main-finding" and f.source.page == 33]
    assert len(summary) == 6
    assert summary[0].text.startswith("Camden's Local Safeguarding Children's Board (LSCB) is")


def test_recommendations_numbered_as_printed() -> None:
    recommendations = [f for f in _report("camden-2017-11-24.pdf").findings
                       if f.kind == "recommendation"]  # fmt: skip
    assert [(f.source.paragraph, f.source.page) for f in recommendations] == [
        (n, 7) for n in range(1, 9)
    ]
    assert recommendations[0].text.startswith(
        "The local authority should carefully and continually evaluate whether service"
    )
    assert recommendations[-1].text.startswith(
        "Strengthen communication between the multi-agency public protection panel (MAPPA)"
    )


def test_2014_layout_strengths_and_the_boards_own_recommendations() -> None:
    report = _report("barnsley-2014-08-08.pdf")
    by_kind = Counter(f.kind for f in report.findings)
    # "Areas for improvement" 10-34 for the authority, 135-141 for the board; strengths 35-51
    assert (by_kind["recommendation"], by_kind["strength"]) == (32, 17)
    numbers = [f.source.paragraph for f in report.findings if f.kind == "recommendation"]
    assert numbers == [*range(10, 35), *range(135, 142)]
    strengths = [f.source.paragraph for f in report.findings if f.kind == "strength"]
    assert strengths == list(range(35, 52))
    [review] = report.reviews
    [j] = review.judgements
    assert j.area == "The effectiveness of the Local Safeguarding Children Board"
    assert (j.grade, j.subject_agency) == (RI, "Barnsley Safeguarding Children Board")


def test_reinspection_without_a_board_review() -> None:
    report = _report("west-berkshire-2017-07-07.pdf")
    assert report.reviews == []
    recommendations = [f for f in report.findings if f.kind == "recommendation"]
    assert [f.source.paragraph for f in recommendations] == list(range(1, 8))


@pytest.mark.parametrize(
    ("name", "figures"),
    [
        # every figure the area information prints, as pdftotext shows it: counts, the
        # percentages (FSM items under their lead-in) and rates per 10,000
        ("camden-2017-11-24.pdf", {
            "children-in-area": 48000, "children-share-of-population": 19,
            "children-in-poverty": 31, "free-school-meals-primary": 27,
            "free-school-meals-secondary": 26, "minority-ethnic-children": 50,
            "children-in-need": 1716, "child-protection-plans": 248,
            "child-protection-plan-rate": 52,
            "private-fostering": 0,  # "no children were living in a privately arranged ..."
            "looked-after-children": 194,
            "looked-after-rate": 41}),
        ("barnsley-2014-08-08.pdf", {
            "children-in-area": 49000, "children-share-of-population": 21,
            "children-in-poverty": 24, "free-school-meals-primary": 22,
            "free-school-meals-secondary": 19, "minority-ethnic-children": 3,
            "children-in-need": 1251, "child-protection-plans": 261, "private-fostering": 10,
            "looked-after-children": 227, "looked-after-rate": Decimal("46.2")}),
        ("surrey-2015-08-03.pdf", {
            "children-in-area": 246600, "children-share-of-population": 22,
            "children-in-poverty": 10, "free-school-meals-primary": 9,
            "free-school-meals-secondary": 7, "minority-ethnic-children": 13,
            "children-in-need": 4538, "child-protection-plans": 925, "private-fostering": 10,
            "looked-after-children": 793, "looked-after-rate": 31}),
        # the re-inspection prints its area information under "The local authority" (p5-7);
        # "fewer than five children" in private fostering is no figure
        ("west-berkshire-2017-07-07.pdf", {
            "children-in-area": 35631, "children-share-of-population": 23,
            "children-in-poverty": 10,  # "... children aged under 16 years are living in ..."
            "free-school-meals-primary": 7, "free-school-meals-secondary": 6,
            "minority-ethnic-children": 8, "children-in-need": 1002,
            "child-protection-plans": 154, "child-protection-plan-rate": 43,
            "looked-after-children": 163, "looked-after-rate": 46}),
    ],
)  # fmt: skip
def test_figures_about_the_area(name: str, figures: dict[str, int | Decimal]) -> None:
    stats = {s.measure: s.value for s in _report(name).statistics}
    assert stats == figures


def test_stand_alone_board_review() -> None:
    report = _report("surrey-2015-08-03.pdf")
    insp = report.inspection
    assert report.family == "sif"
    assert report.title == "Review of the effectiveness of the Local Safeguarding Children Board"
    assert (insp.framework, insp.authority) == ("lscb", "Surrey")
    assert (insp.start, insp.end, report.published) == (
        date(2015, 6, 15),
        date(2015, 6, 17),
        date(2015, 8, 3),
    )
    assert report.inspectors[:1] == [("Dominic Stevens", "lead")]
    # page 1: "The Local Safeguarding Children Board requires improvement", about the board
    [j] = insp.judgements
    assert (j.area, j.grade, j.stated_in) == (
        "The Local Safeguarding Children Board",
        RI,
        ("headline",),
    )
    assert j.subject_agency == "Surrey Safeguarding Children Board"
    assert report.reviews == []
    recommendations = [f for f in report.findings if f.kind == "recommendation"]
    assert len(recommendations) == 8 and {f.source.page for f in recommendations} == {6}
    assert recommendations[0].text.startswith(
        "Update the 'Early help: multi-agency levels of need' document as a matter of urgency"
    )


@pytest.mark.parametrize(
    "name",
    ["norfolk-2013-08-16.pdf", "camden-2022-06-21.pdf", "liverpool-focused-visit-2019-05-24.pdf"],
)
def test_other_families_are_not_claimed(name: str) -> None:
    assert not sif.detect(fixture_doc(name))


def test_board_review_findings_belong_to_the_review() -> None:
    """Barnsley's board review (paragraphs 135-141, its "Areas for improvement") asks the board
    to act; the authority's own list (10-34) stays the council's and the inspection's."""
    report = _report("barnsley-2014-08-08.pdf")
    [review] = report.reviews
    [j] = review.judgements
    recommendations = [f for f in report.findings if f.kind == "recommendation"]
    board = [f for f in recommendations if f.source.paragraph >= 135]
    council = [f for f in recommendations if f.source.paragraph < 135]
    assert len(board) == 7 and len(council) == 25
    for f in board:
        assert f.review is review and f.area == j.area, f
        assert f.addressees == ("Barnsley Safeguarding Children Board",), f
    for f in council:
        assert f.review is None and f.addressees == (), f


# ---------------------------------------------------------------- the heading vocabulary
BARNSLEY = "barnsley-2014-08-08.pdf"
BOARD = "Barnsley Safeguarding Children Board"


def _edited(name: str, edit: Callable[[list[tuple[str, int | None]]], None]) -> Document:
    """The fixture's lines, changed by ``edit`` the way another report's layout varies."""
    doc = fixture_doc(name)
    texts = [(line.text, line.page) for line in doc.lines]
    edit(texts)
    return Document.from_texts(doc.path, doc.sha256, texts, doc.kind)


def _index(texts: list[tuple[str, int | None]], start: str) -> int:
    [i] = [i for i, (text, _page) in enumerate(texts) if text.startswith(start)]
    return i


def _insert(before: str, heading: str) -> Callable[[list[tuple[str, int | None]]], None]:
    def edit(texts: list[tuple[str, int | None]]) -> None:
        i = _index(texts, before)
        texts.insert(i, (heading, texts[i][1]))

    return edit


def _paragraphs(report: Report, kind: str) -> list[int | None]:
    return [f.source.paragraph for f in report.findings if f.kind == kind]


def test_every_heading_of_the_fixture_reports_is_in_the_vocabulary() -> None:
    # the 2014 layout (Barnsley), the 2017 re-inspection (West Berkshire), the stand-alone
    # review (Surrey): no heading read as unknown, so nothing noted
    for name in (BARNSLEY, "west-berkshire-2017-07-07.pdf", "surrey-2015-08-03.pdf"):
        assert _report(name).notes == [], name


def test_an_unknown_heading_is_noted_and_its_paragraphs_not_taken_for_strengths() -> None:
    """A heading the vocabulary does not hold, inserted among Barnsley's strengths (35-51):
    the paragraphs under it are not given the strengths' kind but stored as printed,
    unclassified, with no area; the next known heading ("Information about this local
    authority area", then the judgements) reads on."""
    report = sif.parse(
        _edited(BARNSLEY, _insert("41. Social workers use legal", "Practice themes"))
    )
    assert _paragraphs(report, "strength") == list(range(35, 41))
    assert _paragraphs(report, "unclassified") == list(range(41, 52))
    unclassified = [f for f in report.findings if f.kind == "unclassified"]
    assert all(f.area is None and f.source.section[-1] == "Practice themes" for f in unclassified)
    [note] = report.notes
    assert "'Practice themes'" in note.text and note.source.page == 7
    # the authority's judgement sections after it are read as before
    evaluative = _paragraphs(report, "evaluative-paragraph")
    assert evaluative[0] == 52 and evaluative[-1] == 154


def test_an_unknown_heading_in_the_board_review_ends_its_recommendations() -> None:
    """Inserted after the board's recommendation 137: 138-141 are not recommendations (they
    are the review's, unclassified, about no judgement), and "Key strengths and weaknesses
    of the LSCB" (142-154) is still the review's findings."""
    edit = _insert("138. Revise the Threshold Document", "Board development priorities")
    report = sif.parse(_edited(BARNSLEY, edit))
    assert _paragraphs(report, "recommendation") == [*range(10, 35), 135, 136, 137]
    [note] = report.notes
    assert "'Board development priorities'" in note.text and note.source.page == 33
    [review] = report.reviews
    board_findings = [f for f in report.findings if f.review is review]
    assert [f.source.paragraph for f in board_findings] == list(range(135, 155))
    assert [f.source.paragraph for f in board_findings if f.kind == "unclassified"] == list(
        range(138, 142)
    )
    assert all(f.area is None for f in board_findings if f.kind == "unclassified")


def test_a_lead_in_is_not_an_unknown_heading() -> None:
    """Barnsley's summary opens "Children's Services in Barnsley require improvement
    because:"; Knowsley's and Liverpool's "This local authority requires improvement and is
    not yet good because", no colon: a lead-in to the list, not a heading."""

    def edit(texts: list[tuple[str, int | None]]) -> None:
        i = _index(texts, "Children's Services in Barnsley require improvement because")
        lead_in = "This local authority requires improvement and is not yet good because"
        texts[i] = (lead_in, texts[i][1])

    report = sif.parse(_edited(BARNSLEY, edit))
    assert report.notes == []
    assert _paragraphs(report, "main-finding") == list(range(1, 10))


def test_priority_and_immediate_action_is_a_recommendation_due_at_once() -> None:
    """Barnsley prints no priority actions; where a report does (Knowsley 2014, paragraphs
    27-35) the items are recommendations with the timescale "immediately". Built by
    retitling Barnsley's first "Areas for improvement" (10-34)."""

    def edit(texts: list[tuple[str, int | None]]) -> None:
        i = _index(texts, "10. The local authority and its partners")
        assert texts[i - 1][0] == "Areas for improvement"
        texts[i - 1] = ("Priority and immediate action", texts[i - 1][1])

    report = sif.parse(_edited(BARNSLEY, edit))
    assert "priority-action" not in {f.kind for f in report.findings}
    recommendations = [f for f in report.findings if f.kind == "recommendation"]
    assert [(f.source.paragraph, f.timescale) for f in recommendations] == [
        *((n, "immediately") for n in range(10, 35)),
        *((n, "none") for n in range(135, 142)),  # the board's "Areas for improvement"
    ]
    assert recommendations[0].source.section == ("Priority and immediate action",)


def test_the_summary_for_children_and_young_people_is_main_findings() -> None:
    # West Berkshire p7-8: eight bullets, the authority's summary, not recommendations
    report = _report("west-berkshire-2017-07-07.pdf")
    summary = [f for f in report.findings
               if f.source.section == ("Summary for children and young people",)]  # fmt: skip
    assert len(summary) == 8
    assert {(f.kind, f.area, f.review) for f in summary} == {("main-finding", None, None)}
    assert summary[0].text.startswith("Last time Ofsted inspected children's services in West")
    assert summary[-1].text.startswith("Social workers and personal advisers show children")


def test_the_board_review_paragraphs_belong_to_the_board_inspection() -> None:
    """Barnsley's section 2: the recommendations (135-141) and the key strengths and
    weaknesses (142-154) are findings of the board's inspection, about its judgement; the
    recommendations stay addressed to the board once the agencies have been read (they
    name no one, so the enricher keeps the parser's addressee instead of the council)."""
    doc = fixture_doc(BARNSLEY)
    report = sif.parse(doc)
    agencies.enrich(report, doc)
    [review] = report.reviews
    [j] = review.judgements
    board = [f for f in report.findings if f.source.paragraph and f.source.paragraph >= 135]
    assert [f.source.paragraph for f in board] == list(range(135, 155))
    for f in board:
        assert f.review is review and f.area == j.area, f
        assert f.source.section[0] == j.area
    for f in board[:7]:
        assert (f.kind, f.addressees) == ("recommendation", (BOARD,)), f
    assert {f.kind for f in board[7:]} == {"evaluative-paragraph"}
    assert {f.addressees for f in board[7:]} == {()}
    # the authority's own findings are not the board's
    assert all(f.review is None for f in report.findings if f not in board)


def test_a_stand_alone_reviews_recommendations_are_the_boards_after_enrichment() -> None:
    doc = fixture_doc("surrey-2015-08-03.pdf")
    report = sif.parse(doc)
    agencies.enrich(report, doc)
    recommendations = [f for f in report.findings if f.kind == "recommendation"]
    assert len(recommendations) == 8
    assert {f.addressees for f in recommendations} == {("Surrey Safeguarding Children Board",)}


def test_a_board_review_without_a_recognised_grade_is_refused() -> None:
    """Barnsley with the board's grade left out of both the front page and section 2: the
    review's paragraphs could not be told from the authority's, so the report is refused."""

    def edit(texts: list[tuple[str, int | None]]) -> None:
        for start in ("The effectiveness of the Local Safeguarding Children Board (LSCB) is",
                      "The Local Safeguarding Children Board (LSCB) requires improvement"):  # fmt: skip
            del texts[_index(texts, start)]

    with pytest.raises(IngestError, match="LSCB"):
        sif.parse(_edited(BARNSLEY, edit))


def test_a_grade_box_split_over_lines_states_the_sections_grade() -> None:
    """Where the grade beside a section's title wraps ("Requires" / "improvement"), the
    pieces are the section's grade statement, not headings of their own."""

    def edit(texts: list[tuple[str, int | None]]) -> None:
        i = _index(texts, "The experiences and progress of children who need help and protection\t")
        page = texts[i][1]
        texts[i : i + 1] = [("Requires", page), ("improvement", page)]

    report = sif.parse(_edited(BARNSLEY, edit))
    assert report.notes == []
    [help_] = [j for j in report.inspection.judgements if j.area == HELP]
    assert (help_.grade, help_.stated_in) == (RI, ("table", "body"))
    assert _paragraphs(report, "evaluative-paragraph")[:2] == [52, 53]


def test_a_line_break_before_a_capital_does_not_cut_a_paragraph() -> None:
    """Paragraph 52 broken in three, its middle piece looking like a heading (capitalised, no
    full stop): the pieces are one paragraph, and nothing is noted as an unknown heading."""
    doc = fixture_doc(BARNSLEY)
    [whole] = [f.text for f in sif.parse(doc).findings if f.source.paragraph == 52]
    words = whole.split()
    cut = next(
        n for n in range(3, len(words) - 8) if words[n][0].isupper() and words[n - 1][-1].isalpha()
    )

    def edit(texts: list[tuple[str, int | None]]) -> None:
        i = _index(texts, "52. ")
        page = texts[i][1]
        first = " ".join(words[:cut])
        middle = " ".join(words[cut : cut + 4])
        rest = "and " + " ".join(words[cut + 4 :])  # a lower-case run-on, as read before
        texts[i : i + 1] = [(f"52. {first}", page), (middle, page), (rest, page)]

    report = sif.parse(_edited(BARNSLEY, edit))
    assert report.notes == []
    [para] = [f for f in report.findings if f.source.paragraph == 52]
    assert para.text.startswith(" ".join(words[:cut]) + " " + " ".join(words[cut : cut + 4]))
    assert _paragraphs(report, "evaluative-paragraph")[:2] == [52, 53]


def test_an_inspection_of_the_effectiveness_of_a_board_is_a_stand_alone_review() -> None:
    # stand-alone board inspections of 2014-2015 were titled "Inspection of the effectiveness
    # of the local safeguarding children board" (Surrey's 2015 one says "Review of")
    def edit(texts: list[tuple[str, int | None]]) -> None:
        i = _index(texts, "Review of the effectiveness of the Local Safeguarding")
        texts[i] = ("Inspection of the effectiveness of the local safeguarding children board", 1)

    doc = _edited("surrey-2015-08-03.pdf", edit)
    assert sif.detect(doc)
    report = sif.parse(doc)
    assert (report.inspection.framework, report.inspection.authority) == ("lscb", "Surrey")
    assert len([f for f in report.findings if f.kind == "recommendation"]) == 8


def test_a_list_grouped_by_judgement_goes_on_under_its_groups() -> None:
    """Recommendations grouped under the judgements they are about ("Help and protection",
    "Adoption", the full "Leadership, management and governance"): the groups are the list's
    own sub-headings, so the items stay recommendations, under no judgement's area."""
    edits = [("10. The local authority and its partners", "Help and protection"),
             ("25. ", "Adoption"), ("30. ", "Leadership, management and governance")]  # fmt: skip

    def edit(texts: list[tuple[str, int | None]]) -> None:
        for before, heading in edits:
            _insert(before, heading)(texts)

    report = sif.parse(_edited(BARNSLEY, edit))
    assert report.notes == []
    recommendations = [f for f in report.findings if f.kind == "recommendation"]
    assert [f.source.paragraph for f in recommendations] == [*range(10, 35), *range(135, 142)]
    by_number = {f.source.paragraph: f for f in recommendations}
    assert by_number[24].source.section == ("Areas for improvement", "Help and protection")
    assert by_number[25].source.section == ("Areas for improvement", "Adoption")
    assert by_number[34].source.section[-1] == "Leadership, management and governance"
    assert {f.area for f in recommendations if f.review is None} == {None}
    # the judgements' own sections after the list are read as before
    assert _paragraphs(report, "evaluative-paragraph")[0] == 52


def test_page_numbers_and_running_headers_are_not_headings() -> None:
    """A page number and a header line the reader left at the top of pages 13-17 (the help
    and protection section): neither is an unknown heading nor cuts the section."""

    def edit(texts: list[tuple[str, int | None]]) -> None:
        for page in range(13, 18):
            i = next(n for n, (_text, p) in enumerate(texts) if p == page)
            texts[i:i] = [("Barnsley Metropolitan Borough Council", page), (str(page), page)]

    doc = fixture_doc(BARNSLEY)
    before = [(f.kind, f.source.paragraph, f.text) for f in sif.parse(doc).findings]
    report = sif.parse(_edited(BARNSLEY, edit))
    assert report.notes == []
    assert [(f.kind, f.source.paragraph, f.text) for f in report.findings] == before
