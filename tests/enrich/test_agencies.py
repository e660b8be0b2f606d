"""Partner agencies: every agency of ../shared/expected/seed-agencies.csv recognised, one node
each, linked to each report listed; spellings, renamings and acronyms resolved."""

from __future__ import annotations

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
        ("Leaders and Humberside Police work well together.", ["Humberside Police"]),
        ("Avon and Somerset Police and the Metropolitan Police Service attend.",
         ["Avon and Somerset Police", "Metropolitan Police"]),
        ("The Sandwell and West Birmingham Clinical Commissioning Group funds it.",
         ["Sandwell and West Birmingham Clinical Commissioning Group"]),
        ("Services are provided by Barts Health NHS Trust.", ["Barts Health NHS Trust"]),
        ("the CCG and the police work with the safeguarding partnership", []),
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
