"""Library queries by name over HTTP (GET /queries/NAME?PARAM=VALUE): parameters matched as
people write them and bound as RDF terms in the query workers, through the endpoint's time
limit and row cap; the page's form for a query's parameters, in headless Chromium."""

from __future__ import annotations

import csv
import io
import json
import socket
import struct
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from cdp import Browser, chromium_binary

from helpers import call, not_blank, serving
from ofsted_kg import api
from ofsted_kg.query.library import Query, library
from ofsted_kg.query.param_values import known_values, stored_values
from ofsted_kg.resources import example_reports
from ofsted_kg.serve import http
from ofsted_kg.serve.server import Endpoint
from ofsted_kg.store.embedded import Store

CAMDEN_GSS = "E09000007"


@pytest.fixture(scope="module")
def store(read_only_seeds: Store) -> Store:
    """Queries run in worker processes, so the bindings travel to another process."""
    return read_only_seeds


@pytest.fixture(scope="module")
def server(store: Store) -> Iterator[Endpoint]:
    yield from serving(store, timeout=10, max_rows=1000)


def _run(server: Endpoint, name: str, accept: str | None = None, **params: str) -> tuple:
    url = f"{server.url}/queries/{name}"
    if params:
        url += "?" + urllib.parse.urlencode(params)
    return call(url, accept=accept)


def _rows(body: bytes) -> list[dict[str, str]]:
    doc = json.loads(body)
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def test_a_library_query_runs_by_name_with_its_parameters_as_people_write_them(
    server: Endpoint, store: Store
) -> None:
    assert server.pool is not None  # the bindings cross to a worker process
    expected = api.query("judgements", {"authority": "Camden"}, store).values()
    assert expected and {r["authority"] for r in expected} == {"Camden"}
    for written in ("camden", "London Borough of Camden", CAMDEN_GSS, " CAMDEN "):
        status, _, body = _run(server, "judgements", authority=written)
        assert status == 200, body
        rows = _rows(body)
        assert sorted(map(sorted, (r.items() for r in rows))) == sorted(
            map(sorted, ({k: v for k, v in r.items() if v is not None}.items() for r in expected))
        ), written


def test_a_value_matching_nothing_is_400_naming_the_closest(server: Endpoint) -> None:
    status, headers, body = _run(server, "judgements", authority="Camdn")
    text = body.decode()
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert text.count("\n") == 1 and "'Camdn'" in text and "closest: Camden" in text
    status, _, body = _run(server, "grade-matrix", framework="ILAC")
    assert status == 400 and b"framework" in body and b"Inspection of local authority" in body


def test_parameters_that_do_not_fit_the_query_are_400_and_an_unknown_query_404(
    server: Endpoint,
) -> None:
    status, _, body = _run(server, "judgements", area="x")
    assert status == 400 and b"unknown parameter 'area'" in body
    required = next(q for q in library().values() if any(p.required for p in q.params.values()))
    status, _, body = _run(server, required.name)
    assert status == 400 and b"is required" in body
    status, _, body = _run(server, "judgement")
    assert status == 404 and b"closest: judgements" in body
    # a form sends its empty fields: an optional parameter left empty is left out
    status, _, body = _run(server, "judgements", authority="")
    assert status == 200 and {r["authority"] for r in _rows(body)} > {"Camden"}


def test_values_are_bound_as_terms_never_spliced_into_the_text(server: Endpoint) -> None:
    """A phrase (no known values to match) that would change the query's shape if spliced
    in is only a string the findings do not contain."""
    hostile = 'x")) } UNION { ?finding ?p ?text } #'
    status, _, body = _run(server, "findings-search", phrase=hostile)
    assert status == 200 and _rows(body) == []
    status, _, body = _run(server, "findings-search", phrase="private fostering")
    rows = _rows(body)
    assert status == 200 and rows
    assert all("private fostering" in r["text"].lower() for r in rows)


def test_the_answer_downloads_as_csv_or_json_and_keeps_the_row_cap(store: Store) -> None:
    every = api.query("judgements", {}, store)
    assert len(every) > 20
    for server in serving(store, timeout=10, max_rows=20):
        status, headers, body = call(f"{server.url}/queries/judgements?format=csv")
        assert status == 200 and headers["Content-Type"].startswith("text/csv")
        assert headers["Content-Disposition"] == 'attachment; filename="judgements.csv"'
        assert headers["X-Result-Truncated"] == "true" and headers["X-Result-Cap"] == "20"
        rows = list(csv.DictReader(io.StringIO(body.decode())))
        assert len(rows) == 20 and set(rows[0]) == set(every.columns)
        status, headers, body = call(
            f"{server.url}/queries/judgements?format=json&authority=camden"
        )
        assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
        assert 'filename="judgements.json"' in headers["Content-Disposition"]
        assert {r["authority"] for r in _rows(body)} == {"Camden"}
        status, _, body = call(f"{server.url}/queries/judgements?format=xlsx")
        assert status == 400 and b"unknown format 'xlsx'" in body


def test_a_bound_query_keeps_the_time_limit(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A slow library query with its parameter bound runs out of time in its worker (503),
    which is replaced; the next query is answered."""
    slow = Query(
        "slow",
        Path("slow.rq"),
        "SELECT ?authority (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
        "OPTIONAL { ?x <https://w3id.org/ofsted-kg/ontology#authorityLabel> ?authority } } "
        "GROUP BY ?authority",
    )
    slow.params = library()["judgements"].params  # an authority parameter, bound by name
    monkeypatch.setattr(http, "library", lambda: {**library(), "slow": slow})
    for server in serving(store, timeout=1.0, max_rows=10):
        started = time.monotonic()
        status, _, body = call(f"{server.url}/queries/slow?authority=camden")
        assert status == 503 and b"timed out after 1 s" in body
        assert time.monotonic() - started < 5
        status, _, body = call(f"{server.url}/queries/judgements?authority=camden")
        assert status == 200 and _rows(body)


def test_the_library_lists_each_parameter_with_its_values(server: Endpoint, store: Store) -> None:
    status, _, body = call(f"{server.url}/queries")
    entries = {e["name"]: e for e in json.loads(body)}
    assert status == 200 and set(entries) == set(library())
    authority = next(p for p in entries["judgements"]["parameters"] if p["name"] == "authority")
    assert authority["values"] == stored_values("authorities", store)
    assert "Camden" in authority["values"] and authority["kind"] == "literal"
    framework = next(p for p in entries["grade-matrix"]["parameters"] if p["name"] == "framework")
    assert framework["values"] == list(known_values("frameworks", None).values)
    phrase = entries["findings-search"]["parameters"][0]
    assert phrase["required"] and phrase["values"] == []  # any phrase


def test_a_client_gone_mid_answer_to_a_library_query_leaves_no_traceback(
    server: Endpoint, capfd: pytest.CaptureFixture
) -> None:
    capfd.readouterr()
    for _ in range(3):
        s = socket.create_connection(server.server_address[:2])
        s.sendall(b"GET /queries/judgements HTTP/1.1\r\nHost: x\r\n\r\n")
        s.recv(1)  # the answer has begun
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()  # a reset, as a tab closed mid-answer
    time.sleep(0.5)
    assert _run(server, "judgements", authority="camden")[0] == 200
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Error" not in err, err


# ------------------------------------------------------------------ the page


@pytest.mark.skipif(chromium_binary() is None, reason="chromium is absent")
def test_the_page_offers_a_field_per_parameter_and_shows_the_answer(
    server: Endpoint, screenshots: Path
) -> None:
    with Browser(width=1200, height=900) as browser:
        browser.open(server.url + "/")
        wait = "new Promise(r => setTimeout(r, {}))"
        for _ in range(50):  # the library (with its values) is fetched after the page loads
            if browser.evaluate("Object.keys(LIBRARY).length") == len(library()):
                break
            browser.evaluate(wait.format(100))
        browser.evaluate(
            """(() => { const s = document.getElementById('pick'); s.value = 'grade-matrix';
                        s.dispatchEvent(new Event('change')); })()"""
        )
        fields = json.loads(browser.evaluate(
            """JSON.stringify([...document.querySelectorAll('#params input')].map(i => ({
                 name: i.name, values: i.list ? [...i.list.options].map(o => o.value) : []})))"""
        ))  # fmt: skip
        q = library()["grade-matrix"]
        assert [f["name"] for f in fields] == list(q.params)
        framework = next(f for f in fields if f["name"] == "framework")
        assert "Single inspection framework" in framework["values"]
        authority = next(f for f in fields if f["name"] == "authority")
        assert "Camden" in authority["values"]
        browser.evaluate(
            """(() => { document.getElementById('param-framework').value = 'slac';
                        document.getElementById('param-authority').value = 'camden';
                        document.querySelector('#f button').click(); })()"""
        )
        for _ in range(100):
            if "rows" in (browser.evaluate("document.getElementById('status').textContent") or ""):
                break
            browser.evaluate(wait.format(100))
        expected = api.query(
            "grade-matrix", {"framework": "slac", "authority": "camden"}, server.store
        )
        cells = browser.evaluate("document.querySelectorAll('#out tr').length")
        assert len(expected) > 0 and cells == len(expected) + 1  # the header row
        links = json.loads(browser.evaluate(
            "JSON.stringify([...document.querySelectorAll('#downloads a')].map(a => a.href))"
        ))  # fmt: skip
        assert len(links) == 2 and all("/queries/grade-matrix?" in u for u in links)
        status, headers, body = call(links[0])
        assert status == 200 and headers["Content-Type"].startswith("text/csv")
        assert len(list(csv.DictReader(io.StringIO(body.decode())))) == len(expected)
        # a value matching nothing: the one-line message on the page
        browser.evaluate(
            """(() => { document.getElementById('param-authority').value = 'Camdn';
                        document.querySelector('#f button').click(); })()"""
        )
        for _ in range(50):
            if browser.evaluate("document.getElementById('status').className") == "error":
                break
            browser.evaluate(wait.format(100))
        message = browser.evaluate("document.getElementById('status').textContent")
        assert message.startswith("400: ") and "closest: Camden" in message
        # the one error logged is the 400 the page shows (no script error, no missing asset)
        assert [e for e in browser.errors() if "status of 400" not in e] == []
        browser.evaluate(
            """(() => { document.getElementById('param-authority').value = 'camden';
                        document.querySelector('#f button').click(); })()"""
        )
        browser.evaluate(wait.format(800))
        shot = screenshots / "endpoint-page.png"
        browser.screenshot(shot)
        assert not_blank(shot)


def test_an_in_memory_store_binds_the_parameters_on_its_threads() -> None:
    memory = Store(None)
    assert api.ingest(sorted(example_reports())[:2], memory, jobs=1).ok
    for server in serving(memory, timeout=5, max_rows=100):
        assert server.pool is None
        status, _, body = _run(server, "judgements", authority="camden")
        rows = _rows(body)
        assert status == 200 and rows and {r["authority"] for r in rows} == {"Camden"}
        assert _run(server, "judgements", authority="Camdn")[0] == 400
