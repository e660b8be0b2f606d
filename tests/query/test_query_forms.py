"""`query` runs every form of SPARQL query the endpoint answers (issue 22, problem 8): ASK
gives true or false, CONSTRUCT and DESCRIBE a graph in an RDF format; an update, a missing
file and a wrong format are one-line errors with exit status 1."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ofsted_kg import api
from ofsted_kg.cli import main
from ofsted_kg.query.library import QueryError

OKG = "PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>\n"


@pytest.fixture(scope="module")
def store_path(seed_store: api.Store) -> str:
    return str(seed_store.path)


def run(store_path: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--store", store_path])
    return result.exit_code, result.output


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(OKG + text)
    return str(path)


def test_ask(store_path: str, tmp_path: Path) -> None:
    yes = write(tmp_path, "yes.rq", 'ASK { ?i okg:authorityLabel "Camden" }')
    no = write(tmp_path, "no.rq", 'ASK { ?i okg:authorityLabel "Nowhere" }')
    assert run(store_path, "query", yes) == (0, "true\n")
    assert run(store_path, "query", no) == (0, "false\n")
    code, out = run(store_path, "query", yes, "--format", "json")
    assert code == 0 and out.strip() == '{"head":{},"boolean":true}'
    code, out = run(store_path, "query", yes, "--format", "xml")
    assert code == 0 and "<boolean>true</boolean>" in out
    assert bool(api.answer(no, {}, api.open_store(store_path, read_only=True))) is False


def test_construct_and_describe_give_graphs(store_path: str, tmp_path: Path) -> None:
    construct = write(tmp_path, "c.rq", "CONSTRUCT { ?i okg:authorityLabel ?a } "
                                        "WHERE { ?i okg:authorityLabel ?a }")  # fmt: skip
    code, out = run(store_path, "query", construct)  # Turtle where no format is given
    assert code == 0
    graph = list(ox.parse(out.encode(), format=ox.RdfFormat.TURTLE))
    assert {t.object.value for t in graph} == {"Camden", "Islington", "Kensington and Chelsea"}
    for fmt, parser in (("nt", ox.RdfFormat.N_TRIPLES), ("jsonld", ox.RdfFormat.JSON_LD),
                        ("rdfxml", ox.RdfFormat.RDF_XML)):  # fmt: skip
        code, out = run(store_path, "query", construct, "--format", fmt)
        assert code == 0, out
        assert set(ox.parse(out.encode(), format=parser)) == set(graph), fmt
    describe = write(tmp_path, "d.rq", "DESCRIBE okg:Finding")
    code, out = run(store_path, "query", describe, "--format", "ttl")
    assert code == 0 and "A statement in a report" in out


def test_one_line_errors(store_path: str, tmp_path: Path) -> None:
    update = write(tmp_path, "u.rq", 'INSERT DATA { <urn:x:a> <urn:x:b> "c" }')
    construct = write(tmp_path, "c.rq", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1")
    cases = [
        (["query", update], "is a SPARQL update"),
        (["query", str(tmp_path / "missing.rq")], "missing.rq: no such query file"),
        (["query", construct, "--format", "csv"], "gives a graph"),
        (["query", "judgements", "--format", "ttl"], "gives rows, not a graph"),
        (["query", "judgements", "--format", "yaml"], "unknown format 'yaml'"),
    ]
    for args, message in cases:
        code, out = run(store_path, *args)
        assert code == 1 and message in out, (args, out)
        assert len(out.strip().splitlines()) == 1, out
    with pytest.raises(QueryError, match="update"):
        api.answer(update, {}, api.open_store(store_path, read_only=True))
