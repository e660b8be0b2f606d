"""The HTTP side of the endpoint: the server (``Endpoint``), its request handler and the page.

GET /sparql?query=... or POST (form-encoded ``query=`` or ``application/sparql-query``) runs a
query over the union of the report graphs. Updates (``update=`` or
``application/sparql-update``) are refused with 403 and Graph Store writes (PUT, DELETE, PATCH,
POST to /store) with 405; federated queries (``SERVICE``) with 400. Each query has a time limit
(503 when it runs out) and a cap on the rows returned (the response says it was truncated in the
``X-Result-Truncated`` header); over an on-disk store it runs in a worker process
(``workers``) with a memory limit (503 when it needs more). The answer is in the format the
``Accept`` header asks for (``negotiate``); 406 when it asks for none that will do. ``/``
serves a self-contained page (``page.html``: no asset from the network) to type a query or
pick one from the library and fill in its parameters; ``/queries`` lists the library as JSON,
each parameter with the values it takes (what the store holds, or the ontology's concepts).

GET /queries/NAME?PARAM=VALUE... runs a library query with its parameters, matched as people
write them (``query.param_values``: "ILACS", "camden", a GSS code) and bound as RDF terms
that travel to the worker beside the query's text (never spliced into it); a value that
matches nothing is answered 400 with the closest known values. Its answer, like that of
GET /sparql, may be asked for with ``format=csv`` (json, tsv, xml; turtle, ntriples... for
a graph) instead of an Accept header, so that a link can download it.

An in-memory store (``Store(None)``) cannot be shared with another process: its queries run
in a thread of the server, and one that runs out of time is answered 503 but goes on using a
core until it finishes.

Limits on clients (``connections``): a request body of at most ``max_body`` bytes (413 beyond,
a chunked body included), a request that arrives whole within ``request_deadline`` seconds of
its first byte, a connection silent for ``request_timeout`` seconds is closed, and at most
``max_connections`` connections held at once (the one receiving longest gives way to a new
one; 503 when all are answering). A client that goes away mid-answer is forgotten quietly.
"""

from __future__ import annotations

import difflib
import html
import io
import json
import re
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from ofsted_kg.query.formats import GRAPH_FORMATS, RESULTS_FORMATS
from ofsted_kg.query.library import Query, QueryError, bind, check_params, library
from ofsted_kg.query.param_values import (
    STORED_SOURCES,
    known_values,
    match_params,
    source_of,
    stored_values,
)
from ofsted_kg.query.search import Solutions
from ofsted_kg.serve.answers import Answer, QueryFailed, QueryOutOfMemory, QueryTimeout, evaluate
from ofsted_kg.serve.connections import Refuser, RequestReader, Slots
from ofsted_kg.serve.negotiate import Media, NotAcceptable, negotiate
from ofsted_kg.serve.workers import DEFAULT_WORKER_MEMORY, Bindings, WorkerPool, default_workers
from ofsted_kg.store.embedded import Store
from ofsted_kg.store.guard import check_query
from ofsted_kg.store.text_index import SearchError

DEFAULT_TIMEOUT = 10.0  # seconds a query may take, waiting for a worker included
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_BODY = 1 << 20  # bytes of a request body
DEFAULT_REQUEST_TIMEOUT = 30.0  # seconds a connection may stay silent (socket timeout)
DEFAULT_REQUEST_DEADLINE = 10.0  # seconds a request may take to arrive whole, from its first byte
DEFAULT_MAX_CONNECTIONS = 64  # connections held at once
UPDATE_TYPES = ("application/sparql-update",)
SEARCH_LIMIT = 100  # findings a /search answers unless ?limit= says otherwise (--max-rows at most)
_CHUNK_SIZE = re.compile(rb"[0-9a-fA-F]{1,16}")
_BUSY_TEXT = b"too many connections: try again shortly\n"
_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: %d\r\nRetry-After: 1\r\nConnection: close\r\n\r\n%s"
) % (len(_BUSY_TEXT), _BUSY_TEXT)


def refuse_federation(sparql: str) -> None:
    """ServiceRefused when the query would fetch another endpoint (SERVICE): the one place the
    endpoint checks it, for every query it runs."""
    check_query(sparql)  # store/guard.py; QueryTooComplex too, both SyntaxErrors (400)


class Endpoint(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, store: Store, host: str = "127.0.0.1", port: int = 7878,
                 timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
                 workers: int | None = None, max_body: int = DEFAULT_MAX_BODY,
                 request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
                 request_deadline: float = DEFAULT_REQUEST_DEADLINE,
                 max_connections: int = DEFAULT_MAX_CONNECTIONS,
                 worker_memory: int | None = DEFAULT_WORKER_MEMORY) -> None:  # fmt: skip
        self.store, self.query_timeout, self.max_rows = store, timeout, max_rows
        self.max_body, self.request_timeout = max_body, request_timeout
        self.request_deadline, self.max_connections = request_deadline, max_connections
        self.slots = Slots(max_connections)
        self.pool: WorkerPool | None = None
        try:  # listening first: a port in use is known before any worker starts
            super().__init__((host, port), Handler)
        except OSError as exc:
            raise RuntimeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        self.refuser = Refuser()
        path = getattr(store, "path", None)
        if isinstance(path, Path) and isinstance(getattr(store, "ox", None), ox.Store):
            try:  # what this process wrote is on disk before the workers open the store
                store.flush()
            except (OSError, RuntimeError):  # a read-only store
                pass
            try:
                self.pool = WorkerPool(path, workers or default_workers(), worker_memory)
            except BaseException:
                self.server_close()
                raise

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def run_query(self, sparql: str, accept: str | None = None, bindings: Bindings | None = None,
                  media: Media | None = None) -> Answer:  # fmt: skip
        """(body, content type, truncated) in a format the Accept header ``accept`` asks for
        (or in ``media``); ``bindings`` (a library query's parameters, as RDF terms) substituted
        by the engine. QueryTimeout when it takes longer than the limit, NotAcceptable when
        no format will do."""
        refuse_federation(sparql)
        media = media or negotiate(accept)
        if self.pool is not None:
            return self.pool.run(sparql, self.max_rows, self.query_timeout, media, bindings)
        return self._run_in_thread(sparql, media, bindings)

    def _run_in_thread(self, sparql: str, media: Media, bindings: Bindings | None) -> Answer:
        """For a store that is not on disk: a query that runs out of time is abandoned (its
        thread finishes in the background, its result unused)."""
        outcome: list = []
        deadline = time.monotonic() + self.query_timeout

        def work() -> None:
            try:
                found = self.store.query(sparql, substitutions=bindings)
                outcome.append(evaluate(found, self.max_rows, deadline, media))
            except BaseException as exc:  # handed to the request thread
                # without its traceback, whose frames hold the results: pyoxigraph's results
                # must be dropped on the thread that made them
                outcome.append(exc.with_traceback(None))

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        worker.join(self.query_timeout)
        if not outcome:
            raise QueryTimeout
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        return outcome[0]

    # connection slots (``connections``): a connection gets one or is answered 503 at once

    def process_request(self, request: socket.socket, client_address: object) -> None:
        if not self.slots.take(request):
            self.refuser.refuse(request, _BUSY)
            return
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket) -> None:
        self.slots.release(request)
        super().shutdown_request(request)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client gone (reset, closed, timed out, its slot taken) is no error of the server's:
        nothing is printed. Anything else is, with its traceback."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def server_close(self) -> None:
        super().server_close()
        if getattr(self, "refuser", None) is not None:
            self.refuser.close()
        if self.pool is not None:
            self.pool.close()


def make_server(store: Store, host: str = "127.0.0.1", port: int = 7878,
                timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
                **limits: float | None) -> Endpoint:  # fmt: skip
    """The endpoint bound to (host, port), not yet serving (port 0: any free port);
    RuntimeError when it cannot listen there or its workers cannot start.

    ``limits``: ``workers``, ``max_body``, ``request_timeout``, ``request_deadline``,
    ``max_connections``, ``worker_memory`` (bytes; None: no limit).
    """
    return Endpoint(store, host, port, timeout, max_rows, **limits)  # type: ignore[arg-type]


def start_in_thread(server: Endpoint) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


class Handler(BaseHTTPRequestHandler):
    server: Endpoint
    protocol_version = "HTTP/1.1"
    # headers and body go out in two sends: without this, Nagle's algorithm holds the body back
    # until the client's delayed ACK (~40 ms a response)
    disable_nagle_algorithm = True

    def setup(self) -> None:
        self.timeout = self.server.request_timeout
        super().setup()
        self.rfile.close()  # read through the deadline instead
        held = self.server.slots.held(self.connection)
        limits = self.server.request_timeout, self.server.request_deadline
        self.reader = RequestReader(self.connection, held, *limits)
        self.rfile = io.BufferedReader(self.reader, 65536)

    def handle_one_request(self) -> None:
        self.server.slots.receiving(self.connection)
        self.reader.expect_request()
        super().handle_one_request()

    def _received(self) -> None:
        """The whole request is in: the connection is answering, its deadline stopped."""
        self.reader.received()
        self.server.slots.answering(self.connection)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    # ------------------------------------------------------------ dispatch

    def do_GET(self) -> None:  # noqa: N802
        self._received()
        url = urlsplit(self.path)
        params = parse_qs(url.query)
        if url.path in ("/", "/index.html"):
            return self._send(200, page().encode(), "text/html; charset=utf-8")
        if url.path == "/favicon.ico":  # asked for by every browser: none, and no 404 logged
            return self._send(204, b"", "image/x-icon")
        if url.path == "/queries":
            return self._send(200, json.dumps(self._library()).encode(), "application/json")
        if url.path.startswith("/queries/"):
            return self._library_query(url.path.removeprefix("/queries/"), params)
        if url.path == "/search":
            return self._search(params)
        if url.path == "/sparql":
            if "update" in params:
                return self._refuse_update()
            if "query" not in params:
                return self._error(400, "missing 'query' parameter")
            return self._query(params["query"][0], fmt=params.get("format", [None])[0])
        return self._error(404, "not found")

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        body = self._body()
        if body is None:
            return
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
        if self._body() is not None:
            self._refuse_write()

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    # ------------------------------------------------------------ answers

    def _library(self) -> list[dict]:
        """The library, each parameter with its kind and the values it takes: the store's
        (what it holds) or the ontology's, read once a source per listing."""
        values: dict[str, list[str]] = {}

        def taken(source: str | None) -> list[str]:
            if source is None:
                return []
            if source not in values:
                store = self.server.store
                values[source] = (stored_values(source, store) if source in STORED_SOURCES
                                  else list(known_values(source, store).values))  # fmt: skip
            return values[source]

        return [{"name": n, "title": q.title, "question": q.question, "params": list(q.params),
                 "parameters": [{"name": p.name, "kind": p.kind, "required": p.required,
                                 "description": p.description,
                                 "values": taken(source_of(q, p.name))}
                                for p in q.params.values()],
                 "text": q.text} for n, q in library().items()]  # fmt: skip

    def _library_query(self, name: str, params: dict[str, list[str]]) -> None:
        """GET /queries/NAME?PARAM=VALUE...: a library query, its parameters matched as people
        write them and bound as RDF terms; 400 with one line when a value fits nothing."""
        queries = library()
        q: Query | None = queries.get(name)
        if q is None:
            close = difflib.get_close_matches(name, queries, n=3, cutoff=0.6)
            hint = f"closest: {', '.join(close)}" if close else f"known: {', '.join(queries)}"
            return self._error(404, f"no query named {name!r} ({hint})")
        fmt = params.pop("format", [None])[0]
        # a form sends its empty fields too: an empty value is a parameter left out
        given = {k: v[-1] for k, v in params.items() if v[-1].strip()}
        try:
            check_params(q, given)
            terms = bind(q, match_params(q, given, self.server.store))
        except QueryError as exc:
            return self._error(400, " ".join(str(exc).split()))
        self._query(q.text, terms, fmt, filename=q.name)

    def _query(self, sparql: str, bindings: Bindings | None = None, fmt: str | None = None,
               filename: str = "answer") -> None:  # fmt: skip
        disposition = {}
        media = None
        if fmt:
            media = _media_of(fmt)
            if media is None:
                known = ", ".join([*RESULTS_FORMATS, *GRAPH_FORMATS])
                return self._error(400, f"unknown format {fmt!r} (known: {known})")
            name = f"{filename}.{_suffix(fmt)}"
            disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
        try:
            body, ctype, truncated = self.server.run_query(sparql, self.headers.get("Accept"),
                                                           bindings, media)  # fmt: skip
        except NotAcceptable as exc:
            return self._error(406, f"not a format the Accept header asks for: this answer "
                                    f"can be {exc}")  # fmt: skip
        except SyntaxError as exc:
            return self._error(400, f"SPARQL syntax error: {exc}")
        except QueryTimeout:
            return self._error(503, f"query timed out after {self.server.query_timeout:g} s")
        except OSError as exc:  # e.g. an update sent as a query
            return self._error(400, str(exc))
        except QueryOutOfMemory as exc:
            return self._error(503, str(exc))
        except QueryFailed as exc:
            return self._error(500, f"the query failed: {exc}")
        headers = {"X-Result-Truncated": "true"} if truncated else {}
        if truncated:
            headers["X-Result-Cap"] = str(self.server.max_rows)
        self._send(200, body, ctype, {**headers, **disposition})

    def _search(self, params: dict[str, list[str]]) -> None:
        """GET /search?q=TEXT[&limit=N]: findings from the store's full-text index, ranked,
        in the findings-search query's columns (and score, passage), in the format the Accept
        header asks for, like a SELECT query's answer."""
        text = params.get("q", [""])[0]
        index = getattr(self.server.store, "text", None)
        if index is None or not index.available():
            return self._error(404, "this store has no full-text index (run `ofsted-kg reindex`)")
        try:
            limit = int(params.get("limit", [str(SEARCH_LIMIT)])[0])
        except ValueError:
            return self._error(400, "'limit' must be a whole number")
        if not text.strip():
            return self._error(400, "missing 'q' parameter: the words or phrase to search for")
        try:  # the index holds the whole answer: no query for the workers to run
            hits = index.search(text, max(1, min(limit, self.server.max_rows)))
            answer = evaluate(Solutions(hits, text), self.server.max_rows, None,
                              negotiate(self.headers.get("Accept")))  # fmt: skip
        except SearchError as exc:
            return self._error(400, str(exc))
        except NotAcceptable as exc:
            return self._error(406, f"not a format the Accept header asks for: this answer "
                                    f"can be {exc}")  # fmt: skip
        self._send(200, answer[0], answer[1])

    def _refuse_update(self) -> None:
        self._error(403, "this endpoint is read-only: SPARQL updates are refused")

    def _refuse_write(self) -> None:
        self._error(405, "this endpoint is read-only: Graph Store writes are refused",
                    {"Allow": "GET, POST"})  # fmt: skip

    # ------------------------------------------------------------ request bodies

    def _body(self) -> bytes | None:
        """The request body, sized (Content-Length) or chunked; None (after answering 400,
        413 or 501) when it cannot be read. No length and no chunks: no body."""
        coding = self.headers.get("Transfer-Encoding")
        if coding is not None:
            if [c.strip().lower() for c in coding.split(",") if c.strip()] != ["chunked"]:
                return self._unread(501, f"transfer coding {coding!r} is not supported")
            if "Content-Length" in self.headers:
                return self._unread(400, "both Transfer-Encoding and Content-Length")
            return self._chunked()
        try:
            length = int(self.headers.get("Content-Length") or 0)
            if length < 0:
                raise ValueError
        except ValueError:
            return self._unread(400, "bad Content-Length")
        if length > self.server.max_body:
            return self._too_large(min(length, 4 * self.server.max_body))
        body = self.rfile.read(length) if length else b""
        if len(body) < length:  # the client went away mid-body
            self.close_connection = True
            return None
        self._received()
        return body

    def _chunked(self) -> bytes | None:
        body = bytearray()
        while True:
            line = self.rfile.readline(1024)
            size_text = line.split(b";", 1)[0].strip()
            if not line.endswith(b"\n") or not _CHUNK_SIZE.fullmatch(size_text):
                return self._unread(400, "bad chunked body")
            size = int(size_text, 16)
            if size == 0:
                for _ in range(100):  # trailer fields, up to the blank line that ends them
                    if self.rfile.readline(8192) in (b"\r\n", b"\n", b""):
                        break
                self._received()
                return bytes(body)
            if len(body) + size > self.server.max_body:
                return self._too_large(4 * self.server.max_body)
            chunk = self.rfile.read(size)
            if len(chunk) < size or self.rfile.readline(3).strip():
                return self._unread(400, "bad chunked body")
            body += chunk

    def _unread(self, status: int, message: str) -> None:
        """Answer ``status`` and close: the rest of the request is not read."""
        self._received()
        self.close_connection = True
        self._error(status, message, {"Connection": "close"})
        return None

    def _too_large(self, most: int) -> None:
        self._unread(413, f"the request body is over {self.server.max_body} bytes")
        self._discard(most)
        return None

    def _discard(self, most: int) -> None:
        """Read and drop up to ``most`` bytes of what the client is still sending (for at most a
        second), so that closing the socket does not reset it before it reads the answer."""
        self.reader.within(1.0)
        try:
            while most > 0:
                chunk = self.rfile.read1(min(most, 65536))
                if not chunk:
                    break
                most -= len(chunk)
        except OSError:
            pass

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


def _media_of(fmt: str) -> Media | None:
    """The media (for SELECT and ASK, for CONSTRUCT and DESCRIBE) a ``format=`` names: a
    results format (json, csv, tsv, xml) or an RDF format (turtle, ttl, ntriples, jsonld...);
    "json" is JSON-LD for a graph. None for a name that is neither."""
    key = fmt.strip().lower()
    results = RESULTS_FORMATS.get(key)
    graph = next((f for f in GRAPH_FORMATS.values() if key == f.name or key in f.aliases),
                 GRAPH_FORMATS["jsonld"] if key == "json" else None)  # fmt: skip
    if results is None and graph is None:
        return None
    return (results.media_types[0] if results else None, graph.media_type if graph else None)


def _suffix(fmt: str) -> str:
    key = fmt.strip().lower()
    graph = next((f for f in GRAPH_FORMATS.values() if key == f.name or key in f.aliases), None)
    return graph.suffix if graph is not None and key not in RESULTS_FORMATS else key


def page() -> str:
    """The query page: ``page.html`` with the library's queries filled in."""
    options = "\n".join(
        f'<option value="{html.escape(n)}">{html.escape(n)}: {html.escape(q.title)}</option>'
        for n, q in library().items()
    )
    texts = json.dumps({n: q.text for n, q in library().items()}).replace("</", "<\\/")
    template = resources.files("ofsted_kg.serve").joinpath("page.html").read_text("utf-8")
    return template.replace("{{options}}", options).replace("{{texts}}", texts)
