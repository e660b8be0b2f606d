"""Load test of the SPARQL endpoint on loopback: N concurrent clients, M queries each.

    python benchmarks/load_test.py                       # seeds store, 20 clients x 500 queries
    python benchmarks/load_test.py --store DIR           # serve an existing store
    python benchmarks/load_test.py --url http://127.0.0.1:7878/sparql   # a running endpoint

Without ``--url`` it starts ``ofsted-kg serve`` on a free loopback port (over ``--store``,
or over a fresh store of the bundled seed reports) and stops it at the end. Each client
sends its queries one after another on its own keep-alive connection, cycling through a
mix of library queries and small queries; a query counts as an error unless the answer is
200 with a SPARQL JSON result. The run stops by itself once every client has sent its
queries (or at ``--max-seconds``, which counts the unsent queries as errors). Prints
latency percentiles and throughput; exit status 1 when any query failed.

Only loopback addresses are accepted: this is a tool for your own machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}

SMALL_NAMES = ["ask", "count-reports", "authorities"]
SMALL = [
    "ASK { ?s ?p ?o }",
    "PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>\n"
    "SELECT (COUNT(*) AS ?reports) WHERE { ?r a okg:Report }",
    "PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT DISTINCT ?authority WHERE { ?i okg:inspectionOf/rdfs:label ?authority } "
    "ORDER BY ?authority LIMIT 20",
]
LIBRARY = ["judgements", "recommendations"]  # whole-store queries, no parameter needed


def query_mix() -> dict[str, str]:
    """name -> query text: small queries and whole-store library queries."""
    mix = dict(zip(SMALL_NAMES, SMALL, strict=True))
    for name in LIBRARY:
        path = ROOT / "queries" / f"{name}.rq"
        if path.is_file():
            mix[name] = path.read_text(encoding="utf-8")
    return mix


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed_store(folder: Path) -> Path:
    store = folder / "store"
    seeds = sorted((ROOT / "ofsted_kg" / "examples" / "seeds").glob("*.txt"))
    cmd = [sys.executable, "-m", "ofsted_kg.cli", "ingest", *map(str, seeds), "--store", str(store)]
    subprocess.run(cmd, check=True, capture_output=True)
    return store


def start_server(store: Path, path: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [sys.executable, "-m", "ofsted_kg.cli", "serve", "--store", str(store)]
    server = subprocess.Popen(
        [*cmd, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}{path}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped: {server.stderr.read().decode()[-2000:]}")
        try:
            status, _ = ask(http.client.HTTPConnection("127.0.0.1", port, timeout=5), url, SMALL[0])
            if status == 200:
                return server, url
        except OSError:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not answer within 60 s")


def ask(conn: http.client.HTTPConnection, url: str, query: str) -> tuple[int, bytes]:
    parts = urllib.parse.urlsplit(url)
    target = parts.path + "?" + urllib.parse.urlencode({"query": query})
    conn.request("GET", target, headers={"Accept": "application/sparql-results+json"})
    response = conn.getresponse()
    return response.status, response.read()


class Client(threading.Thread):
    def __init__(self, index: int, url: str, queries: list[str], count: int, stop_at: float):
        super().__init__(daemon=True)
        self.index, self.url, self.queries, self.count, self.stop_at = (
            index, url, queries, count, stop_at,
        )  # fmt: skip
        self.latencies: list[tuple[int, float]] = []  # (query index, seconds)
        self.errors: list[str] = []

    def run(self) -> None:
        parts = urllib.parse.urlsplit(self.url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        for i in range(self.count):
            if time.monotonic() > self.stop_at:
                self.errors.append(f"{self.count - i} queries not sent: out of time")
                break
            which = (self.index + i) % len(self.queries)
            query = self.queries[which]
            started = time.perf_counter()
            try:
                status, body = ask(conn, self.url, query)
                took = time.perf_counter() - started
                if status != 200:
                    self.errors.append(f"HTTP {status}: {body[:200]!r}")
                    continue
                answer = json.loads(body)
                if "results" not in answer and "boolean" not in answer:
                    self.errors.append(f"not a SPARQL JSON result: {body[:200]!r}")
                    continue
                self.latencies.append((which, took))
            except (OSError, http.client.HTTPException, ValueError) as exc:
                self.errors.append(f"{type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        conn.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def run(url: str, clients: int, queries: int, max_seconds: float) -> dict:
    mix = query_mix()
    stop_at = time.monotonic() + max_seconds
    names, texts = list(mix), list(mix.values())
    threads = [Client(i, url, texts, queries, stop_at) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies = [x for t in threads for _, x in t.latencies]
    errors = [e for t in threads for e in t.errors]
    ms = [x * 1000 for x in latencies] or [0.0]
    by_query = {}
    for index, name in enumerate(names):
        some = [x * 1000 for t in threads for i, x in t.latencies if i == index] or [0.0]
        by_query[name] = {"n": len(some), "p50_ms": round(percentile(some, 50), 1),
                          "p99_ms": round(percentile(some, 99), 1)}  # fmt: skip
    return {
        "clients": clients,
        "queries_per_client": queries,
        "query_mix": len(mix),
        "ok": len(latencies),
        "errors": len(errors),
        "first_errors": errors[:5],
        "seconds": round(wall, 2),
        "queries_per_second": round(len(latencies) / wall, 1),
        "p50_ms": round(percentile(ms, 50), 1),
        "p90_ms": round(percentile(ms, 90), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "max_ms": round(max(ms), 1),
        "mean_ms": round(statistics.fmean(ms), 1),
        "by_query": by_query,
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running endpoint on loopback (default: start one)")
    parser.add_argument("--store", type=Path, help="store to serve (default: the seeds)")
    parser.add_argument("--path", default="/sparql", help="the endpoint's query path")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--queries", type=int, default=500, help="queries per client")
    parser.add_argument("--max-seconds", type=float, default=900)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    server = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.url:
            url = args.url
            if urllib.parse.urlsplit(url).hostname not in LOOPBACK:
                parser.error("only loopback endpoints (127.0.0.1, localhost, ::1)")
        else:
            server, url = start_server(args.store or seed_store(Path(tmp)), args.path)
        try:
            figures = run(url, args.clients, args.queries, args.max_seconds)
        finally:
            if server is not None:
                server.terminate()
                try:
                    server.wait(10)
                except subprocess.TimeoutExpired:
                    server.kill()
    figures["url"] = url
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
