"""Endpoint safety beyond test_serve.py (which covers refused updates and Graph Store
writes, the SELECT result cap and a timed-out query): hostile queries cannot make the
endpoint fetch other URLs (SERVICE), the command binds to loopback unless told otherwise, a
CONSTRUCT is capped too, a hostile query neither blocks other clients nor keeps the CPU
busy once it has timed out, a query worker has a memory limit, the workers go with the
server, oversized bodies, stalled clients and too many connections are turned away (more in
test_client_limits.py), and a small load test on loopback runs without error.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import call, free_port, raw, serving
from ofsted_kg import api
from ofsted_kg.serve.server import Endpoint

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def get(base: str, query: str, timeout: float = 30) -> tuple[int, dict, bytes]:
    return call(f"{base}/sparql?" + urllib.parse.urlencode({"query": query}), timeout=timeout)


@pytest.fixture(scope="module")
def store_dir(seed_store_dir: Path) -> Path:
    """For servers run as separate processes."""
    return seed_store_dir


@pytest.fixture(scope="module")
def read_only(read_only_seeds: api.Store) -> api.Store:
    return read_only_seeds


@pytest.fixture(scope="module")
def server(read_only: api.Store) -> Iterator[Endpoint]:
    yield from serving(read_only, timeout=10, max_rows=40)


@pytest.fixture(scope="module")
def limited(read_only: api.Store) -> Iterator[Endpoint]:
    """An endpoint with small limits: 1,000-byte bodies, 1 s socket timeout, 3 connections."""
    yield from serving(read_only, max_body=1000, request_timeout=1, max_connections=3)


class Served:
    """``ofsted-kg serve`` in a process of its own; the address it says it serves. The process
    is killed if it does not say so (it would outlive the tests otherwise)."""

    def __init__(self, store: Path, *args: str) -> None:
        cmd = [sys.executable, "-m", "ofsted_kg.cli", "serve", "--store", str(store), *args]
        self.proc = subprocess.Popen(
            cmd, stderr=subprocess.PIPE, text=True, preexec_fn=_die_with_the_tests
        )
        try:
            found, said = None, []
            while found is None and (line := self.proc.stderr.readline()):
                said.append(line)
                found = re.search(r"http://([^/\s]+):(\d+)", line)
            assert found, "".join(said)
        except BaseException:
            self.close()
            raise
        self.host, self.port = found[1], int(found[2])
        self.base = f"http://{self.host}:{self.port}"

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def cpu_seconds(self) -> float:
        """CPU time of the server and its worker processes: its own, its reaped children's
        (a killed worker's) and its live children's."""
        fields = _stat(self.proc.pid)
        ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
        for child in self.children():
            try:
                ticks += sum(int(f) for f in _stat(child)[11:13])
            except FileNotFoundError:
                pass
        return ticks / os.sysconf("SC_CLK_TCK")

    def children(self) -> list[int]:
        found = []
        for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
            try:
                found += [int(pid) for pid in (task / "children").read_text().split()]
            except FileNotFoundError:  # a request thread that has just ended
                pass
        return found

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.proc.stderr.close()


def _die_with_the_tests() -> None:
    """In the server's process before it starts: Linux kills it if the test run dies first
    (a run killed at its time limit would leave it serving otherwise)."""
    import ctypes

    ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def connects(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def outward_address() -> str | None:
    """This machine's address on its outward interface (no packet is sent), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


# ------------------------------------------------------------------ hostile queries


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
        "select * where { ?x ?y ?z .service silent <{url}> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <{url}> { ?s ?p ?o } }",
        "PREFIX r: <{url}> SELECT * WHERE { SERVICE r: { ?s ?p ?o } }",
    ],
)
def test_a_federated_query_is_refused_and_fetches_nothing(server: Endpoint, query: str) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.5)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    try:
        status, _, body = get(server.url, query.replace("{url}", url))
        assert status == 400 and b"SERVICE" in body, body
        status, _, _ = call(
            f"{server.url}/sparql", query.replace("{url}", url).encode(), "application/sparql-query"
        )
        assert status == 400
        with pytest.raises(TimeoutError):  # nobody came knocking
            listener.accept()
    finally:
        listener.close()


def test_words_like_service_in_strings_iris_and_names_are_not_refused(server: Endpoint) -> None:
    query = (
        "PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>\n"
        "SELECT ?service WHERE { ?j okg:serviceLabel ?service "
        'FILTER(CONTAINS(LCASE(?service), "service")) } # SERVICE <http://x/>'
    )
    status, _, body = get(server.url, query)
    assert status == 200, body
    assert json.loads(body)["results"]["bindings"]


def test_construct_is_capped_too(server: Endpoint) -> None:
    status, headers, body = get(server.url, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert status == 200 and headers.get("X-Result-Truncated") == "true"
    assert len(body.decode().strip().splitlines()) == 40


def test_a_hostile_query_does_not_block_other_clients(store_dir: Path) -> None:
    """(In a process of its own: the hostile query may go on running after its 503.)"""
    import threading

    served = Served(store_dir, "--port", str(free_port()), "--timeout", "2")
    try:
        answers: list[int] = []
        hostile = threading.Thread(target=lambda: answers.append(get(served.base, HOSTILE)[0]))
        hostile.start()
        time.sleep(0.5)
        started = time.perf_counter()
        status, _, body = get(served.base, "ASK { ?s ?p ?o }", timeout=20)
        took = time.perf_counter() - started
        assert status == 200 and json.loads(body)["boolean"] is True
        assert took < 1.5, f"a small query waited {took:.1f} s behind a hostile one"
        hostile.join(30)
        assert answers == [503]
    finally:
        served.close()


def test_a_timed_out_query_stops_using_the_cpu(store_dir: Path) -> None:
    """The query runs in a worker process, killed at the timeout and replaced."""
    served = Served(store_dir, "--port", str(free_port()), "--timeout", "1")
    try:
        workers = set(served.children())
        assert len(workers) >= 2
        started = time.perf_counter()
        status, _, _ = get(served.base, HOSTILE)
        assert status == 503 and time.perf_counter() - started < 6
        time.sleep(1.5)  # the replacement worker starts
        before = served.cpu_seconds()
        time.sleep(3)
        busy = served.cpu_seconds() - before
        assert busy < 0.5, f"the server used {busy:.1f} s of CPU in the 3 s after the timeout"
        after = set(served.children())
        assert len(after) == len(workers) and len(after - workers) == 1  # one killed, replaced
        assert get(served.base, "ASK { ?s ?p ?o }")[0] == 200
    finally:
        served.close()


def test_the_workers_go_when_the_server_is_killed(store_dir: Path) -> None:
    served = Served(store_dir, "--port", str(free_port()), "--timeout", "5")
    try:
        workers = served.children()
        import threading

        def hostile() -> None:
            with contextlib.suppress(OSError, http.client.HTTPException):
                get(served.base, HOSTILE)

        threading.Thread(target=hostile, daemon=True).start()
        time.sleep(0.5)  # a worker is busy with the hostile query
    finally:
        served.close()  # SIGKILL
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.1)
    alive = [w for w in workers if Path(f"/proc/{w}").exists() and _stat(w)[0] != "Z"]
    assert not alive, f"workers {alive} outlived the server"


CARTESIAN = "SELECT ?a ?b ?c ?d WHERE { ?a ?x ?b . ?c ?y ?d } ORDER BY ?d ?c ?b ?a"


def _address_space_limit(pid: int) -> str:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max address space"):
            return line.split()[3]
    raise AssertionError(f"no address space line for {pid}")


def test_workers_have_a_memory_limit_by_default(store_dir: Path) -> None:
    with Served(store_dir, "--port", str(free_port())) as served:
        assert {_address_space_limit(w) for w in served.children()} == {str(2 << 30)}


def test_a_query_over_the_memory_limit_is_503_and_its_worker_replaced(store_dir: Path) -> None:
    """An ORDER BY over a cartesian product (it reached 3.7 GB unbounded): the worker's
    allocation fails under its limit, the query is answered 503 and the worker replaced."""
    args = "--timeout", "120", "--workers", "2", "--worker-memory", "900M"
    with Served(store_dir, "--port", str(free_port()), *args) as served:
        before = set(served.children())
        assert {_address_space_limit(w) for w in before} == {str(900 << 20)}
        status, _, body = get(served.base, CARTESIAN, timeout=150)
        assert status == 503, body
        assert b"more memory than a query worker may use (900 MB)" in body
        deadline = time.monotonic() + 60
        while len(after := set(served.children())) < 2 or after == before:
            assert time.monotonic() < deadline, after
            time.sleep(0.1)
        assert len(after - before) == 1  # the one that ran out, replaced
        assert get(served.base, "ASK { ?s ?p ?o }")[0] == 200


# ------------------------------------------------------------------ limits on clients


def test_nagle_is_off() -> None:
    from ofsted_kg.serve.server import Handler

    assert Handler.disable_nagle_algorithm is True


def test_a_body_over_the_cap_is_refused(limited: Endpoint) -> None:
    form = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }" + " " * 2000}).encode()
    status, _, body = call(f"{limited.url}/sparql", form, "application/x-www-form-urlencoded")
    assert status == 413 and b"1000 bytes" in body
    # a huge declared length is answered at once, without reading the body
    started = time.perf_counter()
    answer = raw(limited, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: "
                 b"application/sparql-query\r\nContent-Length: 5000000000\r\n\r\nASK")  # fmt: skip
    assert answer.startswith(b"HTTP/1.1 413 ") and time.perf_counter() - started < 3
    # at the cap is fine
    query = ("ASK { ?s ?p ?o }" + " " * 1000)[:1000].encode()
    status, _, body = call(f"{limited.url}/sparql", query, "application/sparql-query")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_a_stalled_client_is_disconnected(limited: Endpoint) -> None:
    for partial in (
        b"GET /sparql?query=ASK",  # a request line never finished
        b"POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 100\r\n\r\nASK {",  # a body never finished
    ):
        started = time.perf_counter()
        answer = raw(limited, partial, wait=10)
        took = time.perf_counter() - started
        assert answer == b"" and 0.8 < took < 5, (answer, took)
    assert get(limited.url, "ASK { ?s ?p ?o }")[0] == 200


def test_connections_beyond_the_bound_get_503(
    limited: Endpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every slot busy answering (idle connections give way instead: test_client_limits)."""
    import threading

    release, started, real = threading.Event(), [], limited.run_query

    def held(sparql: str, *rest: object) -> tuple[bytes, str, bool]:
        started.append(1)
        release.wait(30)
        return real(sparql, *rest)

    monkeypatch.setattr(limited, "run_query", held)
    busy = [threading.Thread(target=get, args=(limited.url, "ASK {}")) for _ in range(3)]
    for t in busy:
        t.start()
    try:
        deadline = time.monotonic() + 10
        while len(started) < 3:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        status, headers, body = get(limited.url, "ASK { ?s ?p ?o }")
        assert status == 503 and b"too many connections" in body
        assert headers.get("Retry-After") == "1"
    finally:
        release.set()
        for t in busy:
            t.join(30)
    monkeypatch.undo()
    assert get(limited.url, "ASK { ?s ?p ?o }")[0] == 200


# ------------------------------------------------------------------ where it listens


def test_serve_binds_to_loopback_by_default(store_dir: Path) -> None:
    port = free_port()
    served = Served(store_dir, "--port", str(port))
    try:
        assert (served.host, served.port) == ("127.0.0.1", port)
        assert get(served.base, "ASK { ?s ?p ?o }")[0] == 200
        outward = outward_address()
        if outward:
            assert not connects(outward, port), f"reachable on {outward}"
        assert not connects("127.0.0.2", port)  # bound to 127.0.0.1 only, not all of 127/8
    finally:
        served.close()


def test_serve_binds_where_told(store_dir: Path) -> None:
    port = free_port()
    served = Served(store_dir, "--port", str(port), "--host", "127.0.0.2")
    try:
        assert served.host == "127.0.0.2"
        assert get(served.base, "ASK { ?s ?p ?o }")[0] == 200
        assert not connects("127.0.0.1", port)
    finally:
        served.close()


# ------------------------------------------------------------------ load


def test_a_small_load_test_runs_without_error(store_dir: Path, tmp_path: Path) -> None:
    figures = tmp_path / "load.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "load_test.py"), "--store", str(store_dir)]
        + ["--clients", "20", "--queries", "10", "--json", str(figures)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(figures.read_text())
    assert result["errors"] == 0 and result["ok"] == 200
    assert result["url"].startswith("http://127.0.0.1:")
