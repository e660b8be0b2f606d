"""The read-only SPARQL endpoint: queries, refusals, timeout, result cap and the HTML page."""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from helpers import call, serving
from ofsted_kg import api
from ofsted_kg.resources import example_reports
from ofsted_kg.serve.server import Endpoint
from ofsted_kg.store.embedded import Store

SEEDS = sorted(example_reports())

CAMDEN = """PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?area ?grade WHERE {
  ?j okg:judgementOf/okg:inspectionOf/rdfs:label "Camden" ; okg:areaLabel ?area ; okg:gradeLabel ?grade ;
     okg:serviceLabel "Safeguarding services" }"""


@pytest.fixture(scope="module")
def store(read_only_seeds: Store) -> Store:
    return read_only_seeds


@pytest.fixture(scope="module")
def server(store: Store) -> Iterator[Endpoint]:
    yield from serving(store, timeout=10, max_rows=50)


def test_get_query_returns_sparql_json(server: Endpoint, store: Store) -> None:
    status, headers, body = call(
        f"{server.url}/sparql?" + urllib.parse.urlencode({"query": CAMDEN})
    )
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
    rows = {
        (b["area"]["value"], b["grade"]["value"]) for b in json.loads(body)["results"]["bindings"]
    }
    assert ("Quality of provision", "Adequate") in rows
    assert rows == {(r["area"], r["grade"]) for r in _local(store)}


def _local(store: Store) -> list[dict]:
    import pyoxigraph as ox

    return [{"area": s["area"].value, "grade": s["grade"].value} for s in store.query(CAMDEN)
            if isinstance(s, ox.QuerySolution)]  # fmt: skip


def test_post_query_both_encodings(server: Endpoint) -> None:
    s1, _, b1 = call(f"{server.url}/sparql", CAMDEN.encode(), "application/sparql-query")
    form = urllib.parse.urlencode({"query": CAMDEN}).encode()
    s2, _, b2 = call(f"{server.url}/sparql", form, "application/x-www-form-urlencoded")
    assert s1 == s2 == 200 and json.loads(b1) == json.loads(b2)


def test_ask_and_syntax_error(server: Endpoint) -> None:
    ask = "ASK { ?s a <https://w3id.org/ofsted-kg/ontology#Report> }"
    status, _, body = call(f"{server.url}/sparql?" + urllib.parse.urlencode({"query": ask}))
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, _ = call(
        f"{server.url}/sparql?" + urllib.parse.urlencode({"query": "SELEKT nothing"})
    )
    assert status == 400


def test_updates_are_refused(server: Endpoint, store: Store) -> None:
    before = len(store.ox)
    update = "INSERT DATA { <http://x/s> <http://x/p> <http://x/o> }"
    assert call(f"{server.url}/sparql", update.encode(), "application/sparql-update")[0] == 403
    form = urllib.parse.urlencode({"update": update}).encode()
    assert call(f"{server.url}/sparql", form, "application/x-www-form-urlencoded")[0] == 403
    assert call(f"{server.url}/sparql?" + urllib.parse.urlencode({"update": update}))[0] == 403
    # an update smuggled in as a query does not run either
    smuggled = call(f"{server.url}/sparql", update.encode(), "application/sparql-query")[0]
    assert smuggled == 400
    nt = b"<http://x/s> <http://x/p> <http://x/o> .\n"
    for method in ("PUT", "DELETE", "POST"):
        status, headers, _ = call(
            f"{server.url}/store?default", nt, "application/n-triples", method
        )
        assert status == 405 and "GET" in headers["Allow"]
    assert len(store.ox) == before


def _get(server: Endpoint, query: str, accept: str | None) -> tuple[int, dict, bytes]:
    return call(f"{server.url}/sparql?" + urllib.parse.urlencode({"query": query}),
                accept=accept)  # fmt: skip


@pytest.mark.parametrize(
    ("accept", "ctype", "fmt"),
    [
        (None, "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("*/*", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/csv", "text/csv; charset=utf-8", ox.QueryResultsFormat.CSV),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", ox.QueryResultsFormat.TSV),
        # SPARQLWrapper's and rdflib's ask for XML first; a browser's for HTML, then anything
        ("application/sparql-results+xml, application/sparql-results+json;q=0.8", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ],
)  # fmt: skip
def test_select_answers_in_the_format_asked_for(server: Endpoint, store: Store, accept: str | None,
                                                ctype: str, fmt: ox.QueryResultsFormat) -> None:  # fmt: skip
    status, headers, body = _get(server, CAMDEN, accept)
    assert status == 200 and headers["Content-Type"] == ctype
    if fmt == ox.QueryResultsFormat.CSV:  # plain values, which pyoxigraph does not read back
        rows = {(r["area"], r["grade"]) for r in csv.DictReader(io.StringIO(body.decode()))}
    else:
        parsed = ox.parse_query_results(body, format=fmt)
        rows = {(s["area"].value, s["grade"].value) for s in parsed}
    assert ("Quality of provision", "Adequate") in rows
    assert rows == {(r["area"], r["grade"]) for r in _local(store)}


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [(None, ox.RdfFormat.N_TRIPLES), ("text/turtle", ox.RdfFormat.TURTLE),
     ("application/rdf+xml", ox.RdfFormat.RDF_XML), ("application/ld+json", ox.RdfFormat.JSON_LD),
     ("application/n-quads", ox.RdfFormat.N_QUADS), ("application/trig", ox.RdfFormat.TRIG)],
)  # fmt: skip
def test_construct_answers_in_the_format_asked_for(server: Endpoint, accept: str | None,
                                                   fmt: ox.RdfFormat) -> None:  # fmt: skip
    query = (
        "CONSTRUCT { ?r a ?t } WHERE { ?r a ?t ; <https://w3id.org/ofsted-kg/ontology#sha256> ?h }"
    )
    status, headers, body = _get(server, query, accept)
    assert status == 200 and headers["Content-Type"].split(";")[0] == fmt.media_type
    triples = {(q.subject.value, q.object.value) for q in ox.parse(body, format=fmt)}
    assert len(triples) == 5 and {t for _, t in triples} == {
        "https://w3id.org/ofsted-kg/ontology#Report"
    }


def test_a_format_no_answer_can_be_written_in_is_406(server: Endpoint) -> None:
    status, _, body = _get(server, CAMDEN, "text/turtle")
    assert status == 406 and b"application/sparql-results+json" in body
    status, _, body = _get(server, "CONSTRUCT WHERE { ?s a ?t } LIMIT 1", "text/csv")
    assert status == 406 and b"text/turtle" in body
    status, _, body = _get(server, "ASK { ?s ?p ?o }", "text/csv")  # ASK in CSV: true
    assert status == 200 and body == b"true"
    status, _, _ = _get(server, CAMDEN, "not a media type")  # unreadable: the default
    assert status == 200


def test_result_cap(server: Endpoint) -> None:
    q = "SELECT ?s WHERE { ?s ?p ?o }"
    status, headers, body = call(f"{server.url}/sparql?" + urllib.parse.urlencode({"query": q}))
    assert status == 200 and headers["X-Result-Truncated"] == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 50


def test_timeout(store: Store) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    for server in serving(store, timeout=0.5, max_rows=10):
        status, _, body = call(f"{server.url}/sparql?" + urllib.parse.urlencode({"query": slow}))
        assert status == 503 and b"timed out" in body


def test_queries_run_in_worker_processes(server: Endpoint) -> None:
    assert server.pool is not None and len(server.pool.pids()) == server.pool.size >= 2
    assert os.getpid() not in server.pool.pids()


REPORTS = """PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a okg:Report }"""


def _reports_served(server: Endpoint) -> int:
    status, _, body = call(f"{server.url}/sparql?" + urllib.parse.urlencode({"query": REPORTS}))
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_reports_ingested_while_serving_are_served(tmp_path: Path) -> None:
    """An ingest from another process while the endpoint runs: the next query answers from
    the store as it is now (a worker opened after the change), not as the workers opened it."""
    path = tmp_path / "store"

    def ingest(files: list[Path]) -> None:  # in another process, as from another shell
        done = subprocess.run(
            [sys.executable, "-m", "ofsted_kg.cli", "ingest", "--store", str(path), "--jobs", "1",
             *map(str, files)],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr

    ingest(SEEDS[:2])
    for server in serving(Store(path, read_only=True), timeout=30, max_rows=10):
        assert server.pool is not None
        assert _reports_served(server) == 2
        before = set(server.pool.pids())
        ingest(SEEDS[2:])
        assert _reports_served(server) == len(SEEDS)
        assert not before & set(server.pool.pids())  # the workers opened before are gone
        # nothing changed since: once the replacements have started, the same workers
        # answer and none is replaced
        deadline = time.monotonic() + 60
        while len(server.pool.pids()) < server.pool.size and time.monotonic() < deadline:
            time.sleep(0.05)
        during = set(server.pool.pids())
        assert len(during) == server.pool.size
        for _ in range(3):
            assert _reports_served(server) == len(SEEDS)
        assert set(server.pool.pids()) == during


def test_an_in_memory_store_is_served_from_threads() -> None:
    """Store(None) cannot be opened by another process: its queries run in threads (no
    hostile query here: one that timed out would go on using a core in the test process)."""
    memory = Store(None)
    api.ingest(SEEDS[:1], memory, jobs=1)
    for server in serving(memory, timeout=0.5, max_rows=3):
        assert server.pool is None
        q = "SELECT ?s WHERE { ?s ?p ?o }"
        status, headers, body = call(f"{server.url}/sparql?" + urllib.parse.urlencode({"query": q}))
        assert status == 200 and headers["X-Result-Truncated"] == "true"
        assert len(json.loads(body)["results"]["bindings"]) == 3


def test_a_refused_answer_on_a_thread_is_dropped_there(monkeypatch: pytest.MonkeyPatch) -> None:
    """An in-memory store's query that fails on its thread (here 406) leaves no pyoxigraph
    results for another thread to drop (which pyoxigraph refuses, leaking them)."""
    seen: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: seen.append(repr(u.exc_value)))
    memory = Store(None)
    api.ingest(SEEDS[:1], memory, jobs=1)
    for server in serving(memory, timeout=5, max_rows=3):
        for _ in range(3):
            assert _get(server, "CONSTRUCT WHERE { ?s a ?t } LIMIT 2", "text/csv")[0] == 406
        assert _get(server, "ASK { ?s ?p ?o }", None)[0] == 200
    gc.collect()
    assert seen == []


def test_html_page_is_self_contained(server: Endpoint) -> None:
    status, headers, body = call(f"{server.url}/")
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<textarea" in page and 'value="authority-timeline"' in page
    # nothing loaded from the network: no src/href/url() to another host, no <link>
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//""", page)
    assert "<link" not in page and 'fetch("/sparql"' in page
    status, _, body = call(f"{server.url}/queries")
    assert "grade-matrix" in {q["name"] for q in json.loads(body)}


def test_library_query_over_http(server: Endpoint) -> None:
    from ofsted_kg.query.library import find_query

    q = find_query("lead-inspectors").text
    status, _, body = call(f"{server.url}/sparql", q.encode(), "application/sparql-query")
    names = {b["inspector"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert status == 200 and "Paul d'Inverno" in names


def test_search_answers_from_the_text_index(server: Endpoint, store: Store) -> None:
    query = urllib.parse.urlencode({"q": '"private fostering"', "limit": "5"})
    status, headers, body = call(f"{server.url}/search?{query}", accept="text/csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    expected = api.search('"private fostering"', store, limit=5)
    assert [r["text"] for r in rows] == [r["text"] for r in expected]  # ranked as the index ranks
    assert rows and all("**private** **fostering**" in r["passage"].lower() for r in rows)
    status, _, body = call(f"{server.url}/search?q=" + urllib.parse.quote("neglect AND ("))
    assert status == 400 and b"cannot read the search" in body
    status, _, body = call(f"{server.url}/search")
    assert status == 400 and b"missing 'q'" in body
