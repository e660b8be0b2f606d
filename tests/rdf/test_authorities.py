"""Authority names across eras are one node; optional enrichment from a CSV of codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import shared
from ofsted_kg import api
from ofsted_kg.cli import main
from ofsted_kg.parse.authorities import authority_name


@pytest.mark.parametrize(
    "printed, name",
    [
        ("London Borough of Camden", "Camden"),
        ("Camden Council", "Camden"),
        ("Camden", "Camden"),
        ("the London Borough of Camden Council", "Camden"),
        ("Royal Borough of Kensington and Chelsea", "Kensington and Chelsea"),
        ("Durham County Council", "Durham"),
        ("County Durham", "Durham"),
        ("Bristol City Council", "Bristol"),
        ("Bristol, City of", "Bristol"),
        ("Council of the Isles of Scilly", "Isles of Scilly"),
        ("Barnsley Metropolitan Borough Council", "Barnsley"),
        ("Newcastle City Council", "Newcastle upon Tyne"),
        ("B&NES", "Bath and North East Somerset"),
    ],
)
def test_authority_names_across_eras(printed: str, name: str) -> None:
    assert authority_name(printed) == name


def test_camden_is_one_node_across_2010_2012_and_2023(seed_store: api.Store) -> None:
    rows = list(
        seed_store.query(
            """PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
            SELECT DISTINCT ?authority (COUNT(DISTINCT ?report) AS ?reports) WHERE {
              ?report okg:reportOf/okg:inspectionOf ?authority } GROUP BY ?authority"""
        )
    )
    counts = {r["authority"].value.rsplit("/", 1)[1]: int(r["reports"].value) for r in rows}
    assert counts == {"camden": 3, "islington": 1, "kensington-and-chelsea": 1}


def test_enrichment_from_the_reference_csv(seeds: list[Path], tmp_path: Path) -> None:
    csv_file = shared("reference", "local-authorities.csv")
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert (
        runner.invoke(main, ["ingest", *map(str, seeds), "--store", store, "-j", "1"]).exit_code
        == 0
    )
    out = runner.invoke(main, ["authorities", str(csv_file), "--store", store])
    assert out.exit_code == 0, out.output
    assert "loaded 156 authorities" in out.output
    s = api.open_store(store, read_only=True)
    rows = list(
        s.query(
            """PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
            PREFIX owl: <http://www.w3.org/2002/07/owl#>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT DISTINCT ?gss ?region ?type ?same ?neighbour WHERE {
              ?a rdfs:label "Camden" ; okg:gssCode ?gss ; okg:region ?region ;
                 okg:authorityType ?type ; owl:sameAs ?same ;
                 okg:statisticalNeighbour/rdfs:label ?neighbour }"""
        )
    )
    assert {(r["gss"].value, r["region"].value, r["type"].value, r["same"].value) for r in rows} == {
        ("E09000007", "London", "London Borough",
         "http://statistics.data.gov.uk/id/statistical-geography/E09000007")
    }  # fmt: skip
    assert "Islington" in {r["neighbour"].value for r in rows}
    assert len({r["neighbour"].value for r in rows}) == 10


def test_enrichment_from_the_bundled_register_needs_no_file(
    seeds: list[Path], tmp_path: Path
) -> None:
    """``authorities`` with no file loads the register the project ships (issue 22, 10)."""
    store = api.open_store(tmp_path / "store")
    assert api.ingest(seeds, store, jobs=1).ok
    del store
    out = CliRunner().invoke(main, ["authorities", "--store", str(tmp_path / "store")])
    assert out.exit_code == 0, out.output
    assert "authorities from the bundled register" in out.output
    s = api.open_store(tmp_path / "store", read_only=True)
    rows = list(
        s.query(
            """PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
            SELECT DISTINCT ?a ?gss ?region ?type WHERE {
              ?a okg:gssCode ?gss ; okg:region ?region ; okg:authorityType ?type }"""
        )
    )
    by_gss = {r["gss"].value: (r["region"].value, r["type"].value) for r in rows}
    assert by_gss["E09000007"] == ("London", "London Borough")  # Camden
    assert len(by_gss) >= 150 and len({r["a"] for r in rows}) == len(rows)  # a code a node
    # the seeds' authorities are the nodes the reports name
    named = {r["a"] for r in s.query(
        "PREFIX okg: <https://w3id.org/ofsted-kg/ontology#> "
        "SELECT DISTINCT ?a WHERE { ?i okg:authority ?a }")}  # fmt: skip
    assert named and named <= {r["a"] for r in rows}


def test_a_file_of_the_wrong_shape_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "not-authorities.csv"
    bad.write_text("name,colour\nCamden,green\n")
    out = CliRunner().invoke(main, ["authorities", str(bad), "--store", str(tmp_path / "s")])
    assert out.exit_code == 1
    assert f"{bad}: not an authorities file: missing columns" in out.stderr
