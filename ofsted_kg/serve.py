"""A read-only SPARQL 1.1 Protocol endpoint over the store, with a small HTML page.

GET /sparql?query=... or POST (form-encoded ``query=`` or ``application/sparql-query``) runs a
query over the union of the report graphs. Updates (``update=`` or
``application/sparql-update``) are refused with 403 and Graph Store writes (PUT, DELETE, PATCH,
POST to /store) with 405. Each query has a time limit (503 when it runs out) and a cap on the
rows returned (the response says it was truncated in the ``X-Result-Truncated`` header).
``/`` serves a self-contained page (no asset from the network) to type a query or pick one from
the library; ``/queries`` lists the library as JSON.
"""

from __future__ import annotations

import html
import json
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from .queries import library
from .results import _json_term
from .store import Store

DEFAULT_TIMEOUT = 10.0  # seconds
DEFAULT_MAX_ROWS = 10_000
JSON_RESULTS = "application/sparql-results+json"
UPDATE_TYPES = ("application/sparql-update",)


class QueryTimeout(Exception):
    pass


class Endpoint(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, store: Store, host: str = "127.0.0.1", port: int = 7878,
                 timeout: float = DEFAULT_TIMEOUT,
                 max_rows: int = DEFAULT_MAX_ROWS) -> None:  # fmt: skip
        self.store, self.query_timeout, self.max_rows = store, timeout, max_rows
        super().__init__((host, port), Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def run_query(self, sparql: str) -> tuple[bytes, str, bool]:
        """(body, content type, truncated); QueryTimeout when it takes longer than the limit.

        The query runs in a worker thread; one that runs out of time is abandoned (its thread
        finishes in the background, its result unused).
        """
        outcome: list = []

        def work() -> None:
            try:
                outcome.append(self._evaluate(sparql, time.monotonic() + self.query_timeout))
            except BaseException as exc:  # handed to the request thread
                outcome.append(exc)

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        worker.join(self.query_timeout)
        if not outcome:
            raise QueryTimeout
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        return outcome[0]

    def _evaluate(self, sparql: str, deadline: float) -> tuple[bytes, str, bool]:
        results = self.store.query(sparql)
        if isinstance(results, ox.QueryBoolean):
            return json.dumps({"head": {}, "boolean": bool(results)}).encode(), JSON_RESULTS, False
        if isinstance(results, ox.QuerySolutions):
            names = [v.value for v in results.variables]
            bindings, truncated = [], False
            for solution in results:
                if time.monotonic() > deadline:
                    raise QueryTimeout
                if len(bindings) >= self.max_rows:
                    truncated = True
                    break
                row = {}
                for name in names:
                    term = solution[name]
                    if term is not None:
                        row[name] = _json_term(term)
                bindings.append(row)
            doc = {"head": {"vars": names}, "results": {"bindings": bindings}}
            return json.dumps(doc, ensure_ascii=False).encode(), JSON_RESULTS, truncated
        triples = []
        for n, triple in enumerate(results):
            if time.monotonic() > deadline:
                raise QueryTimeout
            if n >= self.max_rows:
                return _ntriples(triples), "application/n-triples", True
            triples.append(triple)
        return _ntriples(triples), "application/n-triples", False


def _ntriples(triples: list) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def make_server(store: Store, host: str = "127.0.0.1", port: int = 7878,
                timeout: float = DEFAULT_TIMEOUT,
                max_rows: int = DEFAULT_MAX_ROWS) -> Endpoint:  # fmt: skip
    """The endpoint bound to (host, port), not yet serving (port 0: any free port)."""
    return Endpoint(store, host, port, timeout, max_rows)


def start_in_thread(server: Endpoint) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


class Handler(BaseHTTPRequestHandler):
    server: Endpoint
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    # ------------------------------------------------------------ dispatch

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        params = parse_qs(url.query)
        if url.path in ("/", "/index.html"):
            return self._send(200, _page().encode(), "text/html; charset=utf-8")
        if url.path == "/queries":
            lib = [{"name": n, "title": q.title, "question": q.question, "params": list(q.params),
                    "text": q.text} for n, q in library().items()]  # fmt: skip
            return self._send(200, json.dumps(lib).encode(), "application/json")
        if url.path == "/sparql":
            if "update" in params:
                return self._refuse_update()
            if "query" not in params:
                return self._error(400, "missing 'query' parameter")
            return self._query(params["query"][0])
        return self._error(404, "not found")

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        body = self._body()
        if url.path != "/sparql":
            return self._refuse_write()
        if ctype in UPDATE_TYPES:
            return self._refuse_update()
        if ctype == "application/sparql-query":
            return self._query(body.decode("utf-8", "replace"))
        if ctype in ("application/x-www-form-urlencoded", ""):
            form = parse_qs(body.decode("utf-8", "replace"))
            if "update" in form:
                return self._refuse_update()
            if "query" in form:
                return self._query(form["query"][0])
            return self._error(400, "missing 'query' parameter")
        return self._error(415, f"unsupported content type {ctype!r}")

    def do_PUT(self) -> None:  # noqa: N802
        self._body()
        self._refuse_write()

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    # ------------------------------------------------------------ answers

    def _query(self, sparql: str) -> None:
        try:
            body, ctype, truncated = self.server.run_query(sparql)
        except SyntaxError as exc:
            return self._error(400, f"SPARQL syntax error: {exc}")
        except QueryTimeout:
            return self._error(503, f"query timed out after {self.server.query_timeout:g} s")
        except OSError as exc:  # e.g. an update sent as a query
            return self._error(400, str(exc))
        headers = {"X-Result-Truncated": "true"} if truncated else {}
        if truncated:
            headers["X-Result-Cap"] = str(self.server.max_rows)
        self._send(200, body, ctype, headers)

    def _refuse_update(self) -> None:
        self._error(403, "this endpoint is read-only: SPARQL updates are refused")

    def _refuse_write(self) -> None:
        self._error(405, "this endpoint is read-only: Graph Store writes are refused",
                    {"Allow": "GET, POST"})  # fmt: skip

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _error(self, status: int, message: str, headers: dict | None = None) -> None:
        self._send(status, (message + "\n").encode(), "text/plain; charset=utf-8", headers)

    def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
        self.send_response(HTTPStatus(status))
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _page() -> str:
    options = "\n".join(
        f'<option value="{html.escape(n)}">{html.escape(n)}: {html.escape(q.title)}</option>'
        for n, q in library().items()
    )
    texts = json.dumps({n: q.text for n, q in library().items()}).replace("</", "<\\/")
    return _PAGE.replace("{{options}}", options).replace("{{texts}}", texts)


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ofsted-kg SPARQL</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5em;max-width:80em}
textarea{width:100%;height:18em;font-family:monospace}
table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;padding:.2em .5em;
vertical-align:top;font-size:90%}#status{margin-top:.5em;color:#555}
</style></head><body>
<h1>ofsted-kg SPARQL endpoint (read-only)</h1>
<p>Library: <select id="pick"><option value="">(type a query)</option>
{{options}}
</select></p>
<form id="f" method="post" action="/sparql">
<textarea id="q" name="query">SELECT * WHERE { ?s ?p ?o } LIMIT 10</textarea>
<p><button type="submit">Run</button></p></form>
<div id="status"></div><div id="out"></div>
<script>
const TEXTS = {{texts}};
const q = document.getElementById("q");
document.getElementById("pick").onchange = e => {
  if (TEXTS[e.target.value]) q.value = TEXTS[e.target.value]; };
document.getElementById("f").onsubmit = async e => {
  e.preventDefault();
  const status = document.getElementById("status");
  const out = document.getElementById("out");
  status.textContent = "running..."; out.textContent = "";
  const r = await fetch("/sparql", {method: "POST",
    body: new URLSearchParams({query: q.value}),
    headers: {"Accept": "application/sparql-results+json"}});
  const text = await r.text();
  if (!r.ok) { status.textContent = r.status + ": " + text; return; }
  if (!(r.headers.get("Content-Type") || "").includes("json")) {
    const pre = document.createElement("pre"); pre.textContent = text; out.appendChild(pre);
    status.textContent = "done"; return; }
  const doc = JSON.parse(text);
  if ("boolean" in doc) { status.textContent = String(doc.boolean); return; }
  const table = document.createElement("table"), head = table.insertRow();
  for (const v of doc.head.vars) {
    const th = document.createElement("th"); th.textContent = v; head.appendChild(th); }
  for (const b of doc.results.bindings) {
    const row = table.insertRow();
    for (const v of doc.head.vars) row.insertCell().textContent = b[v] ? b[v].value : ""; }
  out.appendChild(table);
  status.textContent = doc.results.bindings.length + " rows" +
    (r.headers.get("X-Result-Truncated") ? " (truncated at the result cap)" : "");
};
</script></body></html>
"""
