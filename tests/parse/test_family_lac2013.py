"""The 2013 inspection of looked after children services, on the bundled Norfolk report:
every fact asserted here was read from the PDF (cover, graded sections, "Areas for
improvement" by timescale, "Service information")."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from fixture_pdfs import fixture_doc

from ofsted_kg.model import Report
from ofsted_kg.parse.families import lac2013
from ofsted_kg.rdf import vocab

NAME = "norfolk-2013-08-16.pdf"
SERVICE = "Services for looked after children"


def _report() -> Report:
    doc = fixture_doc(NAME)
    assert lac2013.detect(doc)
    return lac2013.parse(doc)


def test_cover() -> None:
    report = _report()
    insp = report.inspection
    assert (report.family, insp.framework, insp.kind) == ("lac2013", "lac2013", "full")
    assert report.title == "Inspection of looked after children services"
    # "Norfolk County Council", "Inspection dates: 8 – 12 July 2013", "Published: 16 August 2013"
    assert (insp.authority, insp.start, insp.end) == (
        "Norfolk",
        date(2013, 7, 8),
        date(2013, 7, 12),
    )
    assert report.published == date(2013, 8, 16)
    assert report.inspectors == [("Gary Lamb", "lead")]  # "Reporting inspector Gary Lamb HMI"
    assert not report.notes, [n.text for n in report.notes]


def test_five_grades_in_the_body_and_the_record_of_main_findings() -> None:
    judgements = _report().inspection.judgements
    # each graded section's "Grade 4 (inadequate)", repeated by the closing table
    assert [(j.area, j.grade, j.source.page) for j in judgements] == [
        ("Overall effectiveness", "Inadequate", 6),
        ("Capacity to improve", "Inadequate", 6),
        ("Outcomes for looked after children and young people", "Inadequate", 10),
        ("Quality of provision", "Inadequate", 17),
        ("Leadership and management", "Inadequate", 19),
    ]
    for j in judgements:
        assert j.service == SERVICE and j.stated_in == ("body", "table"), j
        assert vocab.concept_for_label("areas", j.area) is not None, j.area


def test_recommendations_by_timescale() -> None:
    recommendations = [f for f in _report().findings if f.kind == "recommendation"]
    # paragraph 15: six "Immediately", four "Within three months", seven "Within six months"
    assert Counter(f.timescale for f in recommendations) == {
        "immediately": 6,
        "three-months": 4,
        "six-months": 7,
    }
    assert [f.timescale for f in recommendations] == sorted(
        (f.timescale for f in recommendations),
        key=["immediately", "three-months", "six-months"].index,
    )
    assert {(f.service, f.source.paragraph) for f in recommendations} == {(SERVICE, 15)}
    assert recommendations[0].text.startswith(
        "ensure all elected members understand their corporate parenting duties"
    )
    assert recommendations[-1].text.startswith(
        "ensure children and young people know and understand the complaints and representation"
    )


def test_service_information() -> None:
    stats = {s.measure: s.value for s in _report().statistics}
    # "about 176,300 children and young people under the age of 19 ... which is 20.4% of the
    # population", "minority ethnic groups account for 5.5%", "1,088 looked after children",
    # "378 young people" leaving care
    assert stats == {
        "children-in-area": 176300,
        "children-share-of-population": Decimal("20.4"),
        "minority-ethnic-children": Decimal("5.5"),
        "looked-after-children": 1088,
        "care-leavers": 378,
    }


def test_evaluative_paragraphs_keep_their_numbers() -> None:
    paragraphs = [f for f in _report().findings if f.kind == "evaluative-paragraph"]
    numbers = [f.source.paragraph for f in paragraphs]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers) == 64
    assert numbers[-1] == 72  # the last numbered paragraph, before the record of main findings


@pytest.mark.parametrize(
    "name",
    ["camden-2017-11-24.pdf", "barnsley-2018-11-19.pdf", "slough-focused-visit-2026-01-12.pdf"],
)
def test_other_families_are_not_claimed(name: str) -> None:
    assert not lac2013.detect(fixture_doc(name))
