"""The area-information figures reader (parse/statistics.py) on the ways figures are
printed: both thousands separators, footnote markers glued to a figure, percentages and
rates, and figures that cannot be true. The families' own tests check it on real reports
(test_family_sif, test_family_lac2013, test_seed_reports)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ofsted_kg.enrich.pipeline import parse_document
from ofsted_kg.model import Inspection, Report, Source
from ofsted_kg.parse import statistics
from ofsted_kg.read.document import IngestError
from ofsted_kg.read.files import read as read_document


def _figures(*texts: str) -> tuple[dict[str, int | Decimal], list[str]]:
    report = Report("0" * 64, "sif", "t", Inspection("sif", "Somewhere"))
    reader = statistics.Reader(report)
    for text in texts:
        reader.read(text, Source(start=0))
    return {s.measure: s.value for s in report.statistics}, [n.text for n in report.notes]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Approximately 56,200 children and young people under the age of 18", 56200),
        # a footnote marker glued after a complete group of thousands
        ("Approximately 56,2002 children and young people under the age of 18", 56200),
        ("Approximately 56,200² children and young people under the age of 18", 56200),
        # a space, a no-break space or a thin space as the thousands separator
        ("Approximately 62 100 children and young people under the age of 18", 62100),
        ("Approximately 62\u00a0100 children and young people under the age of 18", 62100),
        ("Approximately 62\u2009100 children and young people under the age of 18", 62100),
        ("Approximately 1,234,567 children and young people under the age of 18", 1234567),
        ("a population of approximately 41,800 children and young people", 41800),
        # a line break inside the phrase
        ("about 176,300 children and young\npeople under the age of 19", 176300),
    ],
)
def test_counts(text: str, value: int) -> None:
    figures, notes = _figures(text)
    assert figures == {"children-in-area": value} and notes == []
    assert isinstance(figures["children-in-area"], int)


def test_a_year_is_not_a_group_of_thousands() -> None:
    figures, _ = _figures("At 31 August 2016 854 children and young people were the subject of a "
                          "child protection plan (a rate of 33 per 10,000 children).")  # fmt: skip
    assert figures == {"child-protection-plans": 854, "child-protection-plan-rate": 33}


def test_percentages_and_rates_are_decimals() -> None:
    figures, _ = _figures(
        "Approximately 283,900 children and young people under the age of 18 years live in "
        "Birmingham. This is 25.5% of the total population in the area (1).",
        "At 31 August 2016, 1,816 children were being looked after by the local authority (a "
        "rate of 66.3 per 10,000 children). This is a decrease from 1,848 (69 per 10,000).",
    )
    assert figures == {
        "children-in-area": 283900,
        "children-share-of-population": Decimal("25.5"),
        "looked-after-children": 1816,
        "looked-after-rate": Decimal("66.3"),
    }


def test_list_items_take_the_measure_of_their_lead_in() -> None:
    figures, _ = _figures(
        "The proportion of children entitled to free school meals:",
        "in primary schools is 28.0% (the national average (2016) is 15.2%)",
        "in secondary schools is 27.4% (the national average (2016) is 14.1%).",
        "The proportion of children and young people with English as an additional language:",
        "in primary schools is 43.0% (the national average (2016) is 20.1%)",
    )
    assert figures == {
        "free-school-meals-primary": Decimal("28.0"),
        "free-school-meals-secondary": Decimal("27.4"),
    }


def test_english_as_an_additional_language_is_not_free_school_meals() -> None:
    figures, _ = _figures(
        "The proportion of children and young people with English as an additional language:",
        "in primary schools is 43.0% (the national average (2016) is 20.1%)",
    )
    assert figures == {}


@pytest.mark.parametrize(
    ("texts", "measure"),
    [
        (("Children and young people from minority ethnic groups account for 160% of all "
          "children",), "minority-ethnic-children"),
        (("2,000 children were being looked after by the local authority (a rate of 12,000 per "
          "10,000 children).",), "looked-after-rate"),
        (("The area has a population of 40,000.", "Approximately 56,000 children and young "
          "people under the age of 18 live here."), "children-in-area"),
    ],
)  # fmt: skip
def test_a_figure_that_cannot_be_true_is_a_note_not_a_statistic(texts, measure) -> None:
    figures, notes = _figures(*texts)
    assert measure not in figures
    assert len(notes) == 1 and measure in notes[0] and "cannot be true" in notes[0]


@pytest.mark.corpus
def test_corpus_figures_are_where_the_text_prints_them(corpus_pdfs: list[Path]) -> None:
    """Over every corpus report: each figure is printed at its span, within its unit's
    bounds; every SIF inspection of an authority gives at least its children and its
    looked after children (the template's first figures)."""
    missing = []
    for pdf in corpus_pdfs:
        try:
            doc = read_document(pdf)
        except IngestError:
            continue  # the two HTML pages saved as .pdf
        report = parse_document(doc)
        for s in report.statistics:
            printed = " ".join(doc.text[s.source.start : s.source.end].split())
            assert printed == s.label, (pdf.name, s.measure)
            assert (
                0
                <= s.value
                <= {"percent": 100, "per-10000": 10000}.get(statistics.UNITS[s.measure], s.value)
            ), (pdf.name, s.measure)
        measures = {s.measure for s in report.statistics}
        if report.family == "sif" and report.inspection.framework == "sif":
            if not {"children-in-area", "looked-after-children"} <= measures:
                missing.append(pdf.name)
    # West Berkshire's re-inspection, which prints them under "The local authority", included
    assert missing == []


def test_no_children_is_a_figure_of_zero() -> None:
    # Isles of Scilly, 2016: "At 12 April 2016, no children were being looked after by the
    # local authority."
    figures, _ = _figures("At 12 April 2016, no children were being looked after by the local "
                          "authority. This has been the case since the previous inspection.")  # fmt: skip
    assert figures == {"looked-after-children": 0}
