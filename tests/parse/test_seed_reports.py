"""What the parsers read from each seed: front matter, letters, statistics, data-quality notes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ofsted_kg import api
from ofsted_kg.enrich.pipeline import parse_document
from ofsted_kg.read.document import Document
from ofsted_kg.read.text import read_text


def seed(seeds: list[Path], prefix: str) -> Path:
    return next(p for p in seeds if p.name.startswith(prefix))


@pytest.mark.parametrize(
    "prefix, authority, start, end, published, inspector",
    [
        ("000", "Camden", date(2012, 2, 20), date(2012, 3, 2), date(2012, 4, 10), "Paul d'Inverno"),
        ("001", "Kensington and Chelsea", date(2012, 4, 10), date(2012, 4, 20), date(2012, 5, 29),
         "Stephen Hart"),
        ("004", "Islington", date(2012, 1, 23), date(2012, 2, 3), date(2012, 3, 9), "Simon Rushall"),
    ],
)  # fmt: skip
def test_safeguarding_reports_front_matter(seeds, prefix, authority, start, end, published,
                                           inspector) -> None:  # fmt: skip
    report = api.load(seed(seeds, prefix))
    assert report.family == "slac"
    assert (report.authority, report.inspection.start, report.inspection.end) == (
        authority,
        start,
        end,
    )
    assert report.published == published
    assert report.inspectors == [(inspector, "lead")]


@pytest.mark.parametrize(
    "prefix, figures",
    [
        ("000", {"children-in-area": 41800, "child-protection-plans": 249,
                 "looked-after-children": 267, "care-leavers": 233, "foster-carers": 95}),
        ("001", {"children-in-area": 30340, "child-protection-plans": 86,
                 "looked-after-children": 134, "care-leavers": 136, "foster-carers": 87}),
        ("004", {"children-in-area": 42000, "child-protection-plans": 120,
                 "looked-after-children": 317, "care-leavers": 303, "foster-carers": 138}),
    ],
)  # fmt: skip
def test_service_information_figures(seeds, prefix, figures) -> None:
    report = api.load(seed(seeds, prefix))
    assert {s.measure: s.value for s in report.statistics} == figures
    for s in report.statistics:  # the span points at the figure in the cleaned text
        assert s.label in report_text(seed(seeds, prefix))[s.source.start : s.source.end]


def report_text(path: Path) -> str:
    return read_text(path).text


def test_figures_are_typed_integers_in_the_graph(seed_store: api.Store) -> None:
    rows = seed_store.query(
        """PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
        SELECT DISTINCT ?v WHERE { ?s okg:measure okg:measure-looked-after-children ; okg:value ?v }"""
    )
    values = sorted((r["v"] for r in rows), key=lambda v: int(v.value))
    assert [v.value for v in values] == ["134", "267", "317"]
    assert {v.datatype.value for v in values} == {"http://www.w3.org/2001/XMLSchema#integer"}


def test_islington_table_heading_repeated_at_page_breaks_is_not_a_new_service(seeds) -> None:
    report = api.load(seed(seeds, "004"))
    assert report.notes == []  # body and table agree once the repeated heading is ignored
    table_only = [j for j in report.inspection.judgements if j.stated_in == ("table",)]
    assert [(j.service, j.area) for j in table_only] == [
        ("Safeguarding services", "Equality and diversity"),
        ("Services for looked after children", "Equality and diversity"),
    ]


def test_body_and_table_disagreement_becomes_a_data_quality_note(seeds, tmp_path) -> None:
    original = seed(seeds, "000").read_text(encoding="utf-8")
    # the table says Good where the body says Grade 3 (Adequate)
    changed = original.replace("Quality of provision\tAdequate", "Quality of provision\tGood", 1)
    assert changed != original
    doctored = tmp_path / "camden-doctored.txt"
    doctored.write_text(changed, encoding="utf-8")
    report = api.load(doctored)
    assert len(report.notes) == 1
    assert "grades 'Quality of provision' (Safeguarding services) Good" in report.notes[0].text
    judgement = next(j for j in report.inspection.judgements
                     if j.area == "Quality of provision" and j.service == "Safeguarding services")  # fmt: skip
    assert judgement.grade == "Adequate"  # the body's grade, with the note beside it
    store = api.open_store(tmp_path / "store")
    assert api.ingest([doctored], store, jobs=1).ok
    rows = list(store.query(
        """PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
        SELECT ?text ?area WHERE { ?n a okg:DataQualityNote ; okg:text ?text ;
                                    okg:noteAbout/okg:areaLabel ?area }"""
    ))  # fmt: skip
    assert [r["area"].value for r in rows] == ["Quality of provision"]


def test_contact_referral_assessment_letter(seeds) -> None:
    report = api.load(seed(seeds, "003"))
    assert report.family == "cra_letter"
    assert report.authority == "Camden"
    assert (report.inspection.start, report.inspection.end) == (
        date(2010, 11, 9),
        date(2010, 11, 10),
    )
    assert report.published == date(2010, 12, 8)
    assert report.inspectors == [("Ian Young", "lead")]
    kinds = {k: [f.text for f in report.findings if f.kind == k] for k in
             ("strength", "requirement-met", "area-for-development")}  # fmt: skip
    assert len(kinds["strength"]) == 2
    assert kinds["strength"][0].endswith("the two services. The duty team can call on the "
                                         "expertise of a dedicated approved social worker when "
                                         "required.")  # fmt: skip
    assert len(kinds["requirement-met"]) == 13
    assert kinds["area-for-development"] == [
        "Administrators, including recently appointed staff, provide oral prioritisation of "
        "contacts to duty managers when they are not qualified to perform this task."
    ]
    assert [(e.framework, e.month) for e in report.earlier] == [("cra", "2009-10")]


def test_focused_visit_letter(seeds) -> None:
    report = api.load(seed(seeds, "002"))
    assert report.family == "ilacs_visit"
    assert (report.authority, report.inspection.kind) == ("Camden", "focused-visit")
    assert (report.inspection.start, report.inspection.end) == (
        date(2023, 10, 31),
        date(2023, 11, 1),
    )
    assert report.published == date(2023, 12, 5)
    assert report.inspectors == [("Naintara Khosla", "lead"), ("Russel Breyer", "inspector")]
    needs = [f.text for f in report.findings if f.kind == "what-needs-to-improve"]
    assert needs == [
        "Evaluation and challenge of social work practice through effective quality assurance processes.",
        "Management oversight of practice and timely decision making to progress children's plans.",
    ]
    main = [f for f in report.findings if f.kind == "main-finding"]
    assert len(main) == 16
    assert all(f.source.section in (("Headline findings",), ("Main findings",)) for f in main)
    (earlier,) = report.earlier
    assert (earlier.framework, earlier.month) == ("ilacs", "2022-04")
    assert [(j.area, j.grade) for j in earlier.judgements] == [
        ("Overall effectiveness of services", "Outstanding"),
        ("Experiences and progress of children in need of help and protection", "Good"),
    ]


def test_earlier_inspection_is_its_own_node_with_its_grades(seed_store: api.Store) -> None:
    rows = seed_store.query(
        """PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
        SELECT DISTINCT ?month ?area ?grade WHERE {
          ?letter okg:refersTo ?earlier ; okg:reportOf ?visit .
          ?visit okg:inspectionKind okg:kind-focused-visit .
          ?earlier okg:month ?month .
          ?j okg:judgementOf ?earlier ; okg:area ?area ; okg:grade ?grade }"""
    )
    got = {
        (r["month"].value, r["area"].value.split("#")[1], r["grade"].value.split("#")[1])
        for r in rows
    }
    assert got == {
        ("2022-04", "area-overall-effectiveness", "grade-2013-outstanding"),
        ("2022-04", "area-ilacs-help-and-protection", "grade-2013-good"),
    }


def test_paragraph_split_by_a_page_break_is_rejoined(seeds) -> None:
    doc: Document = read_text(seed(seeds, "000"))
    line = next(x.text for x in doc.lines if x.text.startswith("27. In most cases, when serious"))
    assert line.endswith(
        "Children's centres provide good support to families where there have been some concerns "
        "about domestic violence, but where the threshold for social care services is not met."
    )


def test_markdown_noise_is_stripped(seeds) -> None:
    doc = read_text(seed(seeds, "001"))
    assert not [
        x.text for x in doc.lines if "**" in x.text or "<b>" in x.text or x.text.startswith("#")
    ]
    report = parse_document(doc)
    economic = [j for j in report.inspection.judgements if j.area == "Economic well-being"]
    assert [j.grade for j in economic] == ["Good"]
