"""A real Oxigraph server as the store: ingest and the authority data through the Graph Store
Protocol, then every library query gives the same rows, and the export the same bytes, as the
embedded store."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from query.test_queries import ENGINE_PARAMS, SEEDS, normalise

from helpers import free_port
from ofsted_kg import api
from ofsted_kg.cli import main
from ofsted_kg.query.library import QueryError, find_query, library
from ofsted_kg.read.document import sha256_of
from ofsted_kg.store import GraphStore, StoreError
from ofsted_kg.store.embedded import ONTOLOGY_GRAPH, Store
from ofsted_kg.store.remote import RemoteError, RemoteStore

OXIGRAPH = shutil.which("oxigraph")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if OXIGRAPH is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = free_port()
    location: Path = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def stores(server: str) -> tuple[Store, object]:
    local = Store(None)
    api.ingest(SEEDS, local, jobs=1)
    remote = api.open_store(server)
    result = api.ingest(SEEDS, remote, jobs=1)  # type: ignore[arg-type]
    assert len(result.ingested) == len(SEEDS)
    return local, remote


def test_open_store_gives_a_graph_store_for_a_url(server: str) -> None:
    remote = api.open_store(server, read_only=True)
    assert isinstance(remote, RemoteStore) and isinstance(remote, GraphStore)
    assert remote.path is None and remote.query_url == server + "/query"


def test_an_endpoint_that_does_not_answer_is_said_so_in_one_line() -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    for args in (["export"], ["query", "judgements"], ["ingest", str(SEEDS[0])]):
        result = CliRunner().invoke(main, [*args, "--store", url])
        assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith(f"Error: cannot open the store at {url}: "), result.stderr
        assert "Connection refused" in result.stderr
    with pytest.raises(StoreError, match="Connection refused"):
        api.open_store(url, read_only=True)


# Two authorities of the seeds, neighbours of each other, in local-authorities.csv's columns
AUTHORITIES_CSV = (
    "urn,la_code,la_code_new,stat_neighbours_la_code,local_authority_ons_name,region_name,"
    "rgn22cd,ons_la_type\n"
    "80501,202,E09000007,E09000019,Camden,London,E12000007,London Borough\n"
    "80513,206,E09000019,E09000007,Islington,London,E12000007,London Borough\n"
)


def _undated(export: bytes) -> bytes:
    """An embedded store's export less the description's issued and modified dates: they are
    its ingest history, kept in its settings; an endpoint keeps none (RemoteStore.history)."""
    dates = (b"<http://purl.org/dc/terms/issued>", b"<http://purl.org/dc/terms/modified>")
    dataset = b"<https://w3id.org/ofsted-kg/id/dataset> "
    lines = export.splitlines(keepends=True)
    return b"".join(x for x in lines if not (x.startswith(dataset) and any(d in x for d in dates)))


def test_authority_data_is_put_on_the_endpoint_and_replaced(stores: tuple, tmp_path: Path) -> None:
    """put_enrichment: a Graph Store Protocol PUT of the graph, replacing the one before."""
    local, remote = stores
    csv_file = tmp_path / "authorities.csv"
    csv_file.write_text(AUTHORITIES_CSV)
    graph = remote.iris.enrichment_graph("authorities")
    try:
        assert api.enrich_authorities(csv_file, remote) == 2  # type: ignore[arg-type]
        assert api.enrich_authorities(csv_file, local) == 2
        assert graph in remote.data_graphs()
        stored = remote.ntriples(graph)
        assert sorted(stored.splitlines()) == sorted(local.ntriples(graph).splitlines())
        assert stored.count(b"<https://w3id.org/ofsted-kg/ontology#gssCode>") == 2
        # a second load replaces the graph: Camden alone now, Islington's triples gone
        csv_file.write_text("\n".join(AUTHORITIES_CSV.splitlines()[:2]) + "\n")
        assert api.enrich_authorities(csv_file, remote) == 1  # type: ignore[arg-type]
        assert api.enrich_authorities(csv_file, local) == 1
        stored = remote.ntriples(graph)
        assert b"Islington" not in stored and b"Camden" in stored
        assert sorted(stored.splitlines()) == sorted(local.ntriples(graph).splitlines())
        assert api.export("nquads", remote) == _undated(api.export("nquads", local))
    finally:  # the other tests expect the reports and the ontology alone
        remote.update(f"DROP SILENT GRAPH <{graph.value}>")
        local.ox.remove_graph(graph)


def test_ingest_is_idempotent(stores: tuple) -> None:
    _, remote = stores
    assert sorted(remote.report_shas()) == sorted(
        __import__("hashlib").sha256(p.read_bytes()).hexdigest() for p in SEEDS
    )
    again = api.ingest(SEEDS, remote, jobs=1)
    assert len(again.skipped) == len(SEEDS) and not again.ingested


def _sha(path: Path) -> str:
    return sha256_of(path.read_bytes())


def test_a_second_file_of_a_stored_report_is_refused_or_replaces_it(
    stores: tuple, tmp_path: Path
) -> None:
    _, remote = stores
    copy = tmp_path / SEEDS[0].name
    copy.write_bytes(SEEDS[0].read_bytes() + b"\n")  # other bytes, the same report
    before = remote.report_shas()
    refused = api.ingest([copy], remote, jobs=1)
    assert [f.path for f in refused.failed] == [copy] and not refused.ingested
    assert f"(sha256 {_sha(SEEDS[0])}) is of the same inspection" in refused.failed[0].reason
    assert remote.report_shas() == before
    swapped = api.ingest([copy], remote, jobs=1, replace=True)
    assert swapped.ok and swapped.replaced == [_sha(SEEDS[0])]
    assert remote.report_shas() == sorted({*before, _sha(copy)} - {_sha(SEEDS[0])})
    back = api.ingest([SEEDS[0]], remote, jobs=1, replace=True)  # as the other tests expect
    assert back.replaced == [_sha(copy)] and remote.report_shas() == before


def test_a_query_for_one_authority_reads_its_graphs_on_the_endpoint_too(stores: tuple) -> None:
    local, remote = stores
    for name in ("Camden", "Islington", "Nowhere"):
        graphs = remote.authority_graphs(ox.Literal(name))
        assert graphs == local.authority_graphs(ox.Literal(name)) and ONTOLOGY_GRAPH in graphs
    assert len(remote.authority_graphs(ox.Literal("Camden"))) == 1 + 3  # ontology, 3 reports
    # the endpoint answers from the graphs given: the ontology's graph holds no judgement
    judgements = find_query("judgements").text
    assert len(list(remote.query(judgements, graphs=[ONTOLOGY_GRAPH]))) == 0
    assert len(list(remote.query(judgements))) > 0


# Ranking is the embedded store's text index alone: behind an endpoint the query text runs,
# and its score and passage are unbound (queries/findings-search.rq says so).
INDEX_ONLY = {"findings-search": {"score", "passage"}}


@pytest.mark.parametrize("name", sorted(library()))
def test_same_rows_as_embedded(stores: tuple, name: str) -> None:
    local, remote = stores
    q = find_query(name)
    columns = [c for c in q.columns if c not in INDEX_ONLY.get(name, set())]
    for params in (ENGINE_PARAMS.get(name, {}),) + (
        ({"authority": "Camden"},) if "authority" in q.params else ()
    ):
        a = [tuple(r[c] for c in columns) for r in api.query(name, params, local).values()]
        b = [tuple(r[c] for c in columns) for r in api.query(name, params, remote).values()]
        assert normalise(a) == normalise(b), (name, params)


def test_export_from_the_endpoint_is_the_same(stores: tuple) -> None:
    local, remote = stores
    assert api.export("nquads", remote) == _undated(api.export("nquads", local))


def test_hostile_parameter_remote(stores: tuple) -> None:
    _, remote = stores
    q = find_query("judgements")
    hostile = {"authority": 'Camden" } UNION { ?s ?p ?o } #'}
    assert len(list(remote.query(q.text, substitutions=api.bind(q, hostile)))) == 0
    with pytest.raises(QueryError, match="no authority .* is known"):
        api.query("judgements", hostile, remote)
    assert len(api.query("judgements", {"authority": "Camden"}, remote)) > 0


def test_update(stores: tuple) -> None:
    _, remote = stores
    remote.update("INSERT DATA { GRAPH <urn:x:test> { <urn:x:s> <urn:x:p> 'o' } }")
    assert bool(remote.query("ASK { GRAPH <urn:x:test> { <urn:x:s> <urn:x:p> 'o' } }"))
    remote.update("DROP GRAPH <urn:x:test>")
    with pytest.raises(RemoteError):
        remote.update("THIS IS NOT SPARQL")
