"""A real Virtuoso server (Debian's virtuoso-opensource 7.2) as the store: the seeds ingested
through the CLI (``--store virtuoso+http://dba:dba@...``), and the corpus through the API when
it is tested, then every library query gives the same rows as the embedded store, and the
export the same bytes (less the ingest dates, which no endpoint keeps), except the dialect
gaps in KNOWN_DIFFERENCES (each with its reason).

The server is started here, in a temporary folder, with a virtuoso.ini of its own (free ports
on the loopback interface for its SQL and HTTP servers: the test opens writes to anyone). The comparison uses the authenticated endpoints as the
database's administrator (dba/dba, a fresh database's password, over HTTP digest
authentication), which need no grant; test_anonymous_endpoints_after_the_grants checks the
other way, the open ``/sparql`` and ``/sparql-graph-crud`` once ``isql`` has granted the
anonymous SPARQL user updates and graph writes (as README says).

Without virtuoso-t the tests skip, except in CI (OFSTED_KG_CORPUS=1, as .ci/run sets, or
CI=true, as most CI services set), where .ci/run installs it: there a skip would hide that
the test never ran, so it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from query.test_queries import ENGINE_PARAMS, SEEDS, build_store, normalise
from test_remote import INDEX_ONLY, _undated

from helpers import SHARED, free_port
from ofsted_kg import api
from ofsted_kg.cli import main
from ofsted_kg.query.library import find_query, library
from ofsted_kg.query.results import Rows
from ofsted_kg.store.embedded import ONTOLOGY_GRAPH, Store
from ofsted_kg.store.remote import RemoteError, RemoteStore
from ofsted_kg.store.virtuoso import months_as_duration

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")  # Debian names it isql-vt

# Where Virtuoso 7.2 gives other rows than Oxigraph, by query: the columns compared
# otherwise, and why. Gaps met and closed elsewhere (each checked by the tests here):
# - ASK is answered as a SELECT of __ASK_RETVAL (every report looked stored, ingest skipped
#   them all): read as a boolean (store/virtuoso.py, ask_answer).
# - GRAPH ?g { } binds no graph, and a UNION branch beside a VALUES clause lost its rows:
#   authority_graphs asks two queries (store/remote.py).
# - ?a < ?b between labels from DISTINCT sub-selects did not compare the text (pairs came out
#   in both orders): agency-network compares STR() of them, the same answer on Oxigraph.
# - A FILTER in an OPTIONAL saw no value of an IRI variable bound outside it (?report), so
#   the OPTIONAL never matched: visits-referring-back compares the reports' sha256 instead.
# - xsd:duration is kept as a number of months (openlink/virtuoso-opensource#936): typed
#   terms and the Graph Store's N-Triples are put back (store/virtuoso.py); a STR() of one in
#   a query gives the number, below.
# - Its -auth endpoints refuse a request before reading its body, which broke the pipe under
#   a report's PUT: the digest challenge is answered unasked once known (store/remote.py).
# - Its default graph holds graphs of its own (virtrdf#, ldp#, its endpoint's): the project's
#   graphs are told apart by their IRIs (project_graphs); no library query reads them.
# - An answer is cut at ResultSetMaxRows (10,000 by default) without an error: raised in INI.
# - DROP GRAPH (without SILENT) fails for a graph not made by CREATE GRAPH; the store never
#   drops a graph by SPARQL Update (the Graph Store Protocol's DELETE does).
# - Language tags come back in lower case (en-GB as en-gb); the project writes "en" alone.
KNOWN_DIFFERENCES: dict[str, tuple[set[str], str]] = {
    "area-send": (
        {"next_full_inspection", "monitoring_inspection"},
        "the query gives STR() of an xsd:duration, which Virtuoso keeps as a number of months "
        "(36 for P3Y): compared as that many months",
    ),
}


def in_ci() -> bool:
    return os.environ.get("OFSTED_KG_CORPUS") == "1" or os.environ.get("CI") == "true"


def _need_virtuoso() -> str:
    if VIRTUOSO is None or ISQL is None:
        reason = "Virtuoso is not installed (apt-get install virtuoso-opensource)"
        if in_ci():  # .ci/run installs it: a skip there would hide that nothing ran
            pytest.fail(reason + ", and CI must run this test (.ci/run installs it)")
        pytest.skip(reason)
    return VIRTUOSO


INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DirsAllowed = ., {dir}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {dir}
ServerThreads = 4
Charset = UTF-8

[SPARQL]
; the defaults cut an answer at 10,000 rows and a query at 60 s, without an error
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""


class Virtuoso:
    """A Virtuoso server in a folder of its own: its HTTP root and its SQL port."""

    def __init__(self, folder: Path) -> None:
        binary = _need_virtuoso()
        self.folder, self.sql, self.http = folder, free_port(), free_port()
        ini = folder / "virtuoso.ini"
        ini.write_text(INI.format(dir=folder, sql=self.sql, http=self.http))
        self.root = f"http://127.0.0.1:{self.http}"
        self.proc = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)], cwd=folder,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60  # a new database is made in about 5 s
        while True:
            try:
                urllib.request.urlopen(self.root + "/sparql?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    log = (folder / "virtuoso.log").read_text(errors="replace")[-2000:]
                    pytest.fail(f"Virtuoso did not start:\n{log}")
                time.sleep(0.2)

    @property
    def admin_url(self) -> str:
        """The --store value of the authenticated endpoints, as the administrator."""
        return f"virtuoso+http://dba:dba@127.0.0.1:{self.http}"

    @property
    def open_url(self) -> str:
        """The --store value of the open endpoints (writable once grant_anonymous has run)."""
        return f"virtuoso+{self.root}"

    def isql(self, sql: str) -> None:
        assert ISQL is not None
        subprocess.run([ISQL, f"127.0.0.1:{self.sql}", "dba", "dba", f"exec={sql}"], check=True,
                       capture_output=True, timeout=60)  # fmt: skip

    def grant_anonymous(self) -> None:
        """Let the anonymous user of /sparql update, and write graphs by /sparql-graph-crud."""
        self.isql(
            "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # Virtuoso checkpoints and exits
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def stores(virtuoso: Virtuoso) -> tuple[Store, RemoteStore]:
    """The seeds in an embedded store and, by ``ofsted-kg ingest --store``, in Virtuoso."""
    local = Store(None)
    api.ingest(SEEDS, local, jobs=1)
    result = CliRunner().invoke(main, ["ingest", "--store", virtuoso.admin_url, *map(str, SEEDS)])
    assert result.exit_code == 0, result.output + result.stderr
    remote = api.open_store(virtuoso.admin_url)
    assert isinstance(remote, RemoteStore)
    return local, remote


def project_graphs(graphs: list[ox.NamedNode]) -> list[ox.NamedNode]:
    """Leaves out the graphs Virtuoso keeps of its own (its schemas, its endpoint's)."""
    return [g for g in graphs if g.value.startswith("https://w3id.org/ofsted-kg/")]


def rows_of(store: object, name: str, params: dict[str, str]) -> list[tuple]:
    """The rows, the index-only columns left out and Virtuoso's months read as durations."""
    q = find_query(name)
    columns = [c for c in q.columns if c not in INDEX_ONLY.get(name, set())]
    months = KNOWN_DIFFERENCES.get(name, (set(), ""))[0]
    if name in INDEX_ONLY and isinstance(store, Store):
        # the embedded store answers from its text index (stemmed words: "managers'
        # oversight" is found for "management oversight" in the corpus); an endpoint runs the
        # query's text, a substring scan: the embedded store runs that text too, to compare
        text = Rows.from_solutions(store.query(q.text, substitutions=api.bind(q, params)))
        found = text.values()
    else:
        found = api.query(name, params, store).values()  # type: ignore[arg-type]
    if isinstance(store, RemoteStore):
        for row in found:
            for column in months & row.keys():
                value = row[column]
                if value and value.isdigit():
                    row[column] = months_as_duration(int(value))
    return normalise([tuple(r[c] for c in columns) for r in found])


def param_sets(name: str, authority: str = "Camden") -> list[dict[str, str]]:
    q = find_query(name)
    first = ENGINE_PARAMS.get(name, {})
    return [first] + ([{"authority": authority}] if "authority" in q.params else [])


def test_the_store_urls_name_virtuosos_endpoints(virtuoso: Virtuoso) -> None:
    admin, anonymous = RemoteStore(virtuoso.admin_url), RemoteStore(virtuoso.open_url)
    assert admin.query_url == admin.update_url == virtuoso.root + "/sparql-auth"
    assert admin.store_url == virtuoso.root + "/sparql-graph-crud-auth"
    assert anonymous.query_url == anonymous.update_url == virtuoso.root + "/sparql"
    assert anonymous.store_url == virtuoso.root + "/sparql-graph-crud"
    # a plain URL is an Oxigraph server's, as before
    assert RemoteStore(virtuoso.root).store_url == virtuoso.root + "/store"


@pytest.mark.parametrize("name", sorted(library()))
def test_same_rows_as_embedded(stores: tuple[Store, RemoteStore], name: str) -> None:
    local, remote = stores
    for params in param_sets(name):
        assert rows_of(local, name, params) == rows_of(remote, name, params), (name, params)


def test_ingest_is_idempotent_and_the_reports_are_listed(stores: tuple) -> None:
    local, remote = stores
    assert remote.report_shas() == local.report_shas()
    again = api.ingest(SEEDS, remote, jobs=1)
    assert len(again.skipped) == len(SEEDS) and not again.ingested


def test_a_query_for_one_authority_reads_its_graphs_on_virtuoso_too(stores: tuple) -> None:
    """Virtuoso binds no graph to ``GRAPH ?g { }``: authority_graphs asks otherwise there."""
    local, remote = stores
    for name in ("Camden", "Islington", "Nowhere"):
        graphs = project_graphs(remote.authority_graphs(ox.Literal(name)))
        assert graphs == local.authority_graphs(ox.Literal(name)) and ONTOLOGY_GRAPH in graphs


def test_durations_come_back_as_they_were_stored(stores: tuple) -> None:
    """Virtuoso keeps P1Y6M as 18: the typed terms of an answer and the Graph Store's
    N-Triples give P1Y6M again; a STR() of it in the query is the number."""
    _, remote = stores
    graph = ox.NamedNode("urn:x:durations")
    values = ["P3Y", "P1Y6M", "P6M", "P18M"]  # (a zero one comes back as 0.0 seconds)
    canonical = ["P3Y", "P1Y6M", "P6M", "P1Y6M"]
    lines = "".join(f'<urn:x:s> <urn:x:d{i}> "{v}"^^<http://www.w3.org/2001/XMLSchema#duration> .\n'
                    for i, v in enumerate(values))  # fmt: skip
    remote.put_graph(graph, lines)
    try:
        answer = remote.query("SELECT ?p ?d (STR(?d) AS ?s) WHERE { GRAPH <urn:x:durations> "
                              "{ <urn:x:s> ?p ?d } } ORDER BY ?p")  # fmt: skip
        rows = [(r["d"].value, r["s"].value) for r in answer]  # type: ignore[union-attr]
        assert rows == list(zip(canonical, ["36", "18", "6", "18"], strict=True))
        stored = sorted(t.object.value for t in remote.triples(graph))
        assert stored == sorted(canonical)
    finally:
        remote.update("DROP SILENT GRAPH <urn:x:durations>")


def test_export_from_virtuoso_is_the_same(stores: tuple) -> None:
    local, remote = stores
    assert api.export("nquads", remote) == _undated(api.export("nquads", local))


def test_anonymous_endpoints_after_the_grants(virtuoso: Virtuoso) -> None:
    """Before the grants the open endpoints refuse writes; after them a graph is put, read,
    queried and removed through them."""
    anonymous = RemoteStore(virtuoso.open_url)
    graph = ox.NamedNode("urn:x:virtuoso-test")
    with pytest.raises(RemoteError):
        anonymous.put_graph(graph, '<urn:x:s> <urn:x:p> "o" .\n')
    virtuoso.grant_anonymous()
    try:
        anonymous.put_graph(graph, '<urn:x:s> <urn:x:p> "o" .\n')
        assert bool(anonymous.query('ASK { GRAPH <urn:x:virtuoso-test> { ?s ?p "o" } }'))
        assert [(t.subject, t.predicate, t.object) for t in anonymous.triples(graph)] == [
            (ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o"))
        ]
        anonymous.update("DROP SILENT GRAPH <urn:x:virtuoso-test>")
        assert not bool(anonymous.query("ASK { GRAPH <urn:x:virtuoso-test> { ?s ?p ?o } }"))
    finally:
        virtuoso.isql('REVOKE SPARQL_UPDATE FROM "SPARQL"; '
                      "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 1);")  # fmt: skip


# ---------------------------------------------------------------- the corpus


@pytest.mark.corpus
def test_corpus_same_rows_as_embedded(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The seeds, the corpus and the authorities in a Virtuoso of their own, through the API:
    every library query, over every graph and for three authorities, as the embedded store."""
    corpus = SHARED / "corpus" / "pdf"
    if not corpus.is_dir():
        pytest.skip(f"{corpus} is absent (the shared material lives beside the project)")
    local, _ = build_store()  # the store tests/query builds: seeds, corpus, authorities
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso-corpus"))
    try:
        remote = api.open_store(server.admin_url)
        result = api.ingest([*SEEDS, corpus], remote, jobs=2)
        assert len(result.failed) == 2  # the two HTML pages saved as .pdf
        authorities = SHARED / "reference" / "local-authorities.csv"
        if authorities.is_file():
            api.enrich_authorities(authorities, remote)  # type: ignore[arg-type]
        assert remote.report_shas() == local.report_shas()
        differ = []
        for name in sorted(library()):
            sets = [param_sets(name, a) for a in ("Camden", "Birmingham", "Wolverhampton")]
            for params in [sets[0][0], *(s[1] for s in sets if len(s) > 1)]:
                if rows_of(local, name, params) != rows_of(remote, name, params):
                    differ.append((name, params))
        assert not differ
        assert api.export("nquads", remote) == _undated(api.export("nquads", local))
    finally:
        server.stop()
