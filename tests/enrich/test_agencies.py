"""Partner agencies: every agency of ../shared/expected/seed-agencies.csv recognised, one node
each, linked to each report listed; spellings, renamings and acronyms resolved."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from helpers import SHARED, read_csv, shared
from ofsted_kg import api
from ofsted_kg.enrich.agencies import AgencyIndex, _named_by_pattern, _report_lines, addressees
from ofsted_kg.enrich.pipeline import parse_document
from ofsted_kg.read.document import IngestError
from ofsted_kg.read.files import read

KINDS = {  # seed-agencies.csv kind -> class label in the ontology
    "NHS trust": "NHS trust",
    "NHS foundation trust": "NHS foundation trust",
    "primary care trust": "Primary care trust",
    "primary care trust cluster": "Primary care trust cluster",
    "local safeguarding children board": "Local safeguarding children board or safeguarding partnership",
}


@pytest.fixture(scope="module")
def expected() -> list[dict[str, str]]:
    return read_csv(shared("expected", "seed-agencies.csv"))


@pytest.fixture(scope="module")
def mentions(seed_store: api.Store) -> dict[str, dict[str, str]]:
    """agency -> {report sha256: kind label}."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for row in api.query("agency-mentions", store=seed_store).values():
        out[row["agency"]][row["report_sha256"]] = row["kind"]
    return out


def test_every_expected_agency_is_recognised_with_its_kind_and_reports(
    expected, mentions, seed_sha
) -> None:
    assert len(expected) == 19
    for row in expected:
        name = row["canonical_name"]
        assert name in mentions, name
        want = {seed_sha[f] for f in row["mentioned_in_seed_files"].split(";")}
        assert want <= set(mentions[name]), (name, want - set(mentions[name]))
        assert set(mentions[name].values()) == {KINDS[row["kind"]]}, name


def test_each_agency_is_one_node_with_every_spelling(expected, seed_store: api.Store) -> None:
    for row in expected:
        name = row["canonical_name"]
        nodes = list(
            seed_store.query(
                """PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
                PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
                PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
                SELECT DISTINCT ?agency ?name WHERE {
                  { ?agency rdfs:label ?name } UNION { ?agency skos:altLabel ?name }
                  ?agency a/rdfs:subClassOf okg:PartnerAgency }""",
                substitutions={ox.Variable("name"): ox.Literal(name)},
            )
        )
        assert len(nodes) == 1, (name, nodes)
        labels = {
            r["l"].value
            for r in seed_store.query(
                f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
                PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
                SELECT DISTINCT ?l WHERE {{ {{ <{nodes[0]["agency"].value}> rdfs:label ?l }}
                  UNION {{ <{nodes[0]["agency"].value}> skos:altLabel ?l }} }}"""
            )
        }
        for spelling in row["spellings_in_text"].split(";"):
            spelling = spelling.strip()
            assert any(
                spelling.lower().removeprefix("the ") in label.lower() for label in labels
            ), (name, spelling, labels)


def test_acronym_defined_in_a_report_resolves_there() -> None:
    index = AgencyIndex("Camden")
    index.learn_acronyms(
        "Camden Safeguarding Children Board (CSCB) is chaired by an independent chair."
    )
    assert [m[0] for m in index.find("The CSCB is effective.")] == [
        "Camden Safeguarding Children Board"
    ]
    # an acronym only counts in capitals, and only where the report defined it
    assert index.find("the cscb") == []
    assert AgencyIndex("Islington").find("The CSCB is effective.") == []


def test_spelling_variants_and_renamings() -> None:
    index = AgencyIndex("Kensington and Chelsea")
    found = [m[0] for m in index.find(
        "Chelsea & Westminster Hospital NHS Foundation Trust, the Central North West London Mental "
        "Health Trust and the local safeguarding children board")]  # fmt: skip
    assert found == [
        "Chelsea and Westminster Hospital NHS Foundation Trust",
        "Central and North West London NHS Foundation Trust",
        "Kensington and Chelsea Safeguarding Children Board",
    ]


@pytest.mark.parametrize(
    "text, names",
    [
        ("The Sandwell and West Birmingham Clinical Commissioning Group funds it.",
         ["Sandwell and West Birmingham Clinical Commissioning Group"]),
        ("Services are provided by Barts Health NHS Trust.", ["Barts Health NHS Trust"]),
        ("the CCG and the police work with the safeguarding partnership", []),
        # a role at an agency, an owner, a second organisation: never part of the name
        ("the Chief Executive of Bolton NHS Foundation Trust chairs it",
         ["Bolton NHS Foundation Trust"]),
        ("the Council and Sandwell and West Birmingham Clinical Commissioning Group agree",
         ["Sandwell and West Birmingham Clinical Commissioning Group"]),
        ("the Board's Youth Offending Service", []),
    ],
)  # fmt: skip
def test_named_agencies_outside_the_alias_table(text: str, names: list[str]) -> None:
    assert [n for n, *_ in _named_by_pattern(text)] == names


def test_addressee_is_the_agency_named_first_or_the_authority() -> None:
    index = AgencyIndex("Kensington and Chelsea")
    assert addressees("ensure that all pathway plans are brought up to date", index) == ()
    assert addressees(
        "the local children's safeguarding board and Inner North West London PCTs should ensure "
        "that GPs are trained", index) == (
        "Kensington and Chelsea Safeguarding Children Board", "Inner North West London PCTs")  # fmt: skip
    assert (
        addressees("the annual independent reviewing officers' report should include", index) == ()
    )


def test_relationships_carry_report_paragraph_and_count(seed_store: api.Store) -> None:
    rows = list(
        seed_store.query(
            """PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT DISTINCT ?kind ?count ?para WHERE {
              ?r okg:agency/rdfs:label "Central London Community Healthcare NHS Trust" ;
                 okg:relationKind ?kind ; okg:count ?count ; okg:paragraph ?para }"""
        )
    )
    got = {
        (r["kind"].value.rsplit("#", 1)[1], int(r["count"].value), int(r["para"].value))
        for r in rows
    }
    # K&C 2012 paragraph 10: "Community health services are provided by Central London
    # Community Healthcare NHS Trust (CLCH)"; recommendation in paragraph 65 names it.
    assert ("relation-provides-health-services", 1, 10) in got
    assert ("relation-addressee", 1, 65) in got
    shortcut = seed_store.query(
        """PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        ASK { ?a rdfs:label "Central London Community Healthcare NHS Trust" ;
                 okg:providesHealthServicesTo/rdfs:label "Kensington and Chelsea" ;
                 okg:addresseeOfRecommendationTo/rdfs:label "Kensington and Chelsea" }"""
    )
    assert bool(shortcut)


def test_one_scan_of_a_report_finds_what_a_scan_per_line_finds(seeds: list[Path]) -> None:
    """find_lines scans the whole text once; it must give find's answer line by line, on
    the seeds and the corpus (when ../shared is there), and where an agency's name runs
    from one line into the next."""
    corpus_pdfs = sorted(SHARED.joinpath("corpus", "pdf").glob("*.pdf"))
    # "Camden / Safeguarding Children Board": one name across two lines, searched line by line
    broken = ["The report was shared with the Camden", "Safeguarding Children Board (CSCB).",
              "The CSCB and Cafcass", "met; Humberside Police attended."]  # fmt: skip
    cases = [("Camden", broken)]
    for path in [*seeds, *corpus_pdfs]:
        try:
            doc = read(path)
            report = parse_document(doc)
        except IngestError:
            continue  # the two HTML pages
        cases.append((report.authority, [line.text for _i, line in _report_lines(doc)]))
    assert len(cases) > 50 if corpus_pdfs else len(cases) == 6
    named = 0
    for authority, texts in cases:
        by_line = AgencyIndex(authority)
        by_line.learn_acronyms("\n".join(texts))
        expected = [by_line.find(text) for text in texts]
        assert AgencyIndex(authority).find_lines(texts) == expected, authority
        named += sum(map(len, expected))
    assert named > (500 if corpus_pdfs else 20)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Leaders and Humberside Police work well together.",
         [("Humberside Police", "police force")]),
        ("Avon and Somerset Constabulary and the Metropolitan Police attend.",
         [("Avon and Somerset Police", "police force"),
          ("Metropolitan Police Service", "police force")]),
        ("The Local Authority and Staffordshire Police share information.",
         [("Staffordshire Police", "police force")]),
        # an inspectorate of the police is no police force; an adults' board no children's
        ("HM Inspectorate of Constabulary and Fire & Rescue Services inspected with Ofsted",
         [("His Majesty's Inspectorate of Constabulary and Fire & Rescue Services", "regulator")]),
        ("the Somerset Safeguarding Adults Board", [("Somerset Safeguarding Adults Board", "other")]),
        ("Action for Children and Coram run the service; Safer London works with the YOS",
         [("Action for Children", "voluntary organisation"), ("Coram", "voluntary organisation"),
          ("Safer London", "voluntary organisation"),
          ("Somerset Youth Offending Service", "youth offending service")]),
        ("the Children and Family Court Advisory Support Service", [("Cafcass", "other")]),
        ("Her Majesty’s Inspectorate of Probation", [("His Majesty's Inspectorate of Probation",
                                                      "regulator")]),
    ],
)  # fmt: skip
def test_police_forces_inspectorates_boards_and_charities(text: str, found: list) -> None:
    assert [(n, k) for n, k, *_ in AgencyIndex("Somerset").find(text)] == found


def test_generic_references_mean_the_one_named_or_the_areas_own() -> None:
    from datetime import date

    from ofsted_kg.enrich.generic_agencies import meant, references

    # named none: the area's force; ICBs only for inspections from July 2022
    assert meant("Camden", date(2023, 10, 31), []) == {
        "police force": "Metropolitan Police Service",
        "integrated care board": "NHS North Central London Integrated Care Board",
    }
    assert meant("Camden", date(2019, 1, 7), []) == {"police force": "Metropolitan Police Service"}
    # named one: that one; named two: which is not said
    humberside = [("Humberside Police", "police force")]
    assert meant("Camden", date(2019, 1, 7), humberside)["police force"] == "Humberside Police"
    two = [*humberside, ("Metropolitan Police Service", "police force")]
    assert "police force" not in meant("Camden", date(2019, 1, 7), two)
    # British Transport Police polices railways, not an area: it does not take "the police"
    btp = [("British Transport Police", "police force")]
    assert meant("Leeds", date(2019, 1, 7), btp)["police force"] == "West Yorkshire Police"
    # a CCG only as the report names it; an area split between ICBs has no one ICB
    ccg = [("NHS West Suffolk CCG", "clinical commissioning group")]
    assert meant("Suffolk", date(2019, 1, 7), ccg)["clinical commissioning group"] == ccg[0][0]
    assert "integrated care board" not in meant("Suffolk", date(2024, 1, 30), [])
    text = "Humberside Police and the police and crime commissioner; police officers and the CCG"
    assert [(k, w) for k, _o, w in references(text, [(0, 17)])] == [
        ("police force", "police"), ("clinical commissioning group", "CCG")]  # fmt: skip


def test_the_area_lookup_covers_every_authority_of_the_register() -> None:
    from ofsted_kg.enrich.generic_agencies import area_agencies
    from ofsted_kg.parse.authorities import register

    lookup = area_agencies()
    assert set(lookup) == set(register())
    forces = {a["police force"] for a in lookup.values()}
    assert len(forces) == 39  # England's territorial forces, City of London's among them
    index = AgencyIndex("Camden")
    for force in forces:  # each force is an agency the text can name
        assert [n for n, *_ in index.find(f"with {force} today")] == [force]


def test_a_report_saying_the_police_has_its_areas_force_counted_by_paragraph() -> None:
    """Camden's 2022 ILACS report names no force but says "police" in several paragraphs:
    the Metropolitan Police Service, one mention a paragraph."""
    from fixture_pdfs import fixture_doc

    from ofsted_kg.enrich.agencies import enrich
    from ofsted_kg.parse.detect import detect

    doc = fixture_doc("camden-2022-06-21.pdf")
    report = enrich(detect(doc).parse(doc), doc)
    [met] = [a for a in report.agencies if a.kind == "police force"]
    assert met.name == "Metropolitan Police Service"
    lines = [line.text for _i, line in _report_lines(doc)]
    paragraphs = [t for t in lines if re.search(r"\bpolice\b", t, re.I)]
    assert met.mentions == len(paragraphs) > 3
    relations = [r for r in report.relations if r.agency == met.name and r.kind == "mentioned"]
    assert len(relations) == met.mentions
