"""The judgements query on the seeds reproduces ../shared/expected/seed-judgements.csv."""

from __future__ import annotations

import csv
import io
from collections import Counter

from click.testing import CliRunner

from helpers import read_csv, shared
from ofsted_kg import api
from ofsted_kg.cli import main

COLUMNS = "report_sha256,authority,framework,inspection_start,published,service,area,grade"


def test_columns_are_exactly_the_documented_ones(seed_store: api.Store) -> None:
    rows = api.query("judgements", store=seed_store)
    assert ",".join(rows.columns) == COLUMNS


def test_cli_csv_reproduces_the_66_expected_judgements(seed_store: api.Store, seed_sha) -> None:
    expected = read_csv(shared("expected", "seed-judgements.csv"))
    out = CliRunner().invoke(
        main, ["query", "judgements", "--format", "csv", "--store", str(seed_store.path)]
    )
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    got = Counter(
        (r["report_sha256"], r["authority"], r["service"], r["area"], r["grade"]) for r in rows
    )
    want = Counter(
        (seed_sha[e["seed_file"]], e["authority"], e["service"], e["judgement_area"], e["grade"])
        for e in expected
    )
    assert len(rows) == 66
    assert got == want


def test_dates_and_framework_are_iso_and_labelled(seed_store: api.Store) -> None:
    rows = api.query("judgements", {"authority": "Camden"}, seed_store).values()
    assert len(rows) == 22
    assert {(r["inspection_start"], r["published"]) for r in rows} == {("2012-02-20", "2012-04-10")}
    assert {r["framework"] for r in rows} == {
        "Inspection of safeguarding and looked after children services"
    }


def test_equality_and_diversity_comes_from_the_table_only(seed_store: api.Store) -> None:
    rows = seed_store.query(
        """PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
        SELECT DISTINCT ?j (GROUP_CONCAT(?where; separator=",") AS ?w) WHERE {
          ?j okg:areaLabel "Equality and diversity" ; okg:statedIn ?where } GROUP BY ?j"""
    )
    stated = [r["w"].value for r in rows]
    assert len(stated) == 6 and set(stated) == {"table"}


def test_body_judgements_carry_service_section_and_paragraph(seed_store: api.Store) -> None:
    rows = list(
        seed_store.query(
            """PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
            SELECT DISTINCT ?para ?path WHERE {
              ?j okg:areaLabel "Quality of provision" ; okg:serviceLabel "Safeguarding services" ;
                 okg:paragraph ?para ; okg:sectionPath ?path ;
                 okg:judgementOf/okg:inspectionOf/<http://www.w3.org/2000/01/rdf-schema#label> "Camden" }"""
        )
    )
    # Camden 2012: "Quality of provision / Grade 3 (Adequate)" opens with paragraph 33.
    assert [(int(r["para"].value), r["path"].value) for r in rows] == [
        (33, "Safeguarding services > Quality of provision")
    ]


def test_narrower_areas_sit_under_their_group_heading(seed_store: api.Store) -> None:
    rows = seed_store.query(
        """PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?path ?broader WHERE {
          ?j okg:areaLabel "Being healthy" ; okg:sectionPath ?path ;
             okg:area/skos:broader/skos:prefLabel ?broader }"""
    )
    assert {(r["path"].value, r["broader"].value) for r in rows} == {
        (
            "Services for looked after children > How good are outcomes for looked after "
            "children and care leavers? > Being healthy",
            "How good are outcomes for looked after children and care leavers?",
        )
    }


def test_the_letter_grades_of_an_earlier_inspection_are_not_counted_as_its_own(
    seed_store: api.Store,
) -> None:
    rows = api.query("judgements", store=seed_store).values()
    assert not [
        r
        for r in rows
        if r["framework"] != "Inspection of safeguarding and looked after children services"
    ]
