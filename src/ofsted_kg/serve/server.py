"""A read-only SPARQL 1.1 Protocol endpoint over the store, with a small HTML page.

GET /sparql?query=... or POST (form-encoded ``query=`` or ``application/sparql-query``) runs a
query over the union of the report graphs. Updates (``update=`` or
``application/sparql-update``) are refused with 403 and Graph Store writes (PUT, DELETE, PATCH,
POST to /store) with 405; federated queries (``SERVICE``) with 400. Each query has a time limit
(503 when it runs out) and a cap on the rows returned (the response says it was truncated in the
``X-Result-Truncated`` header). The answer is in the format the ``Accept`` header asks for:
SPARQL results in JSON (the default), XML, CSV or TSV for SELECT and ASK; N-Triples (the
default), Turtle, RDF/XML, JSON-LD, N-Quads or TriG for CONSTRUCT and DESCRIBE; 406 when it
asks for none of them. ``/`` serves a self-contained page (no asset from the network)
to type a query or pick one from the library; ``/queries`` lists the library as JSON.

Queries over an on-disk store run in a pool of worker processes, each with the store open
read-only: pyoxigraph cannot cancel a query, so one that runs out of time is stopped by killing
its worker (SIGKILL), which is then replaced. A read-only store sees the data as it was when it
was opened, so when the store's files change (an ingest in another process), a query waits for
a worker opened after the change instead of answering from an idle one opened before it.

An in-memory store (``Store(None)``) cannot be shared with another process: its queries run
in a thread of the server, and one that runs out of time is answered 503 but goes on using a
core until it finishes.

Limits on clients: a request body of at most ``max_body`` bytes (413 beyond), a socket timeout
(``request_timeout``: a client that stalls mid-request, or keeps an idle connection open, is
disconnected) and at most ``max_connections`` connections served at once (503 beyond).
"""

from __future__ import annotations

import html
import io
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import mimeparse
import pyoxigraph as ox

from ofsted_kg.query.library import library
from ofsted_kg.query.results import write_json
from ofsted_kg.store.embedded import ServiceRefused, Store, uses_service

DEFAULT_TIMEOUT = 10.0  # seconds a query may take, waiting for a worker included
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_BODY = 1 << 20  # bytes of a request body
DEFAULT_REQUEST_TIMEOUT = 30.0  # seconds a client may stall (socket timeout)
DEFAULT_MAX_CONNECTIONS = 64  # connections served at once
JSON_RESULTS = "application/sparql-results+json"
# What an answer can be written as, by media type, least wanted first (mimeparse.best_match
# takes the last of equals): the default is last.
RESULTS_FORMATS = {
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "text/csv": ox.QueryResultsFormat.CSV,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/json": ox.QueryResultsFormat.JSON,
    JSON_RESULTS: ox.QueryResultsFormat.JSON,
}
GRAPH_FORMATS = {
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
}
UPDATE_TYPES = ("application/sparql-update",)
WORKER_START_TIMEOUT = 60.0


class QueryTimeout(Exception):
    pass


class QueryFailed(Exception):
    """The query's worker failed otherwise (it died, or the engine raised something unexpected)."""


class NotAcceptable(Exception):
    """The Accept header asks for no format this kind of answer can be written in."""


Media = tuple[str | None, str | None]  # (for SELECT and ASK, for CONSTRUCT and DESCRIBE)
Answer = tuple[bytes, str, bool]  # body, content type, truncated
DEFAULT_MEDIA: Media = (JSON_RESULTS, "application/n-triples")


def negotiate(accept: str | None) -> Media:
    """The media types to answer in, (for SELECT and ASK, for CONSTRUCT and DESCRIBE), from an
    Accept header; None where it accepts none. No header, or one that does not parse, accepts
    the defaults."""
    if not accept or not accept.strip():
        return DEFAULT_MEDIA
    try:
        results = mimeparse.best_match(list(RESULTS_FORMATS), accept)
        graph = mimeparse.best_match(list(GRAPH_FORMATS), accept)
    except (mimeparse.MimeTypeParseException, ValueError):
        return DEFAULT_MEDIA
    return results or None, graph or None


def _content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith("text/") else media


def default_workers() -> int:
    """The number of cores, at least two (so that one slow query does not hold up the rest)."""
    return max(2, os.cpu_count() or 1)


# ---------------------------------------------------------------- evaluation


def evaluate(
    results: object,
    max_rows: int,
    deadline: float | None = None,
    media: Media = DEFAULT_MEDIA,
) -> Answer:
    """A query's results as (body, content type, truncated), in the media type given for its
    kind (``negotiate``); NotAcceptable when that is None."""
    if isinstance(results, (ox.QueryBoolean, ox.QuerySolutions)):
        if media[0] is None:
            raise NotAcceptable(", ".join(reversed(RESULTS_FORMATS)))
        if isinstance(results, ox.QueryBoolean):
            body, truncated = json.dumps({"head": {}, "boolean": bool(results)}).encode(), False
        else:
            rows, text = _Capped(results, max_rows, deadline), io.StringIO()
            write_json([v.value for v in results.variables], rows, text)
            body, truncated = text.getvalue().encode(), rows.truncated
        fmt = RESULTS_FORMATS[media[0]]
        if fmt != ox.QueryResultsFormat.JSON:  # the cap applied, pyoxigraph writes the rest
            parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            body = parsed.serialize(format=fmt) or b""
        return body, _content_type(media[0]), truncated
    if media[1] is None:
        raise NotAcceptable(", ".join(reversed(GRAPH_FORMATS)))
    triples = _Capped(results, max_rows, deadline)  # type: ignore[arg-type]
    body = ox.serialize(list(triples), format=GRAPH_FORMATS[media[1]]) or b""
    return body, _content_type(media[1]), triples.truncated


class _Capped:
    """A query's solutions or triples, at most ``max_rows`` of them (``truncated`` once more
    were left), until ``deadline`` (QueryTimeout after)."""

    def __init__(self, items: Iterable, max_rows: int, deadline: float | None) -> None:
        self.items, self.max_rows, self.deadline = items, max_rows, deadline
        self.truncated = False

    def __iter__(self) -> Iterator:
        for n, item in enumerate(self.items):
            if self.deadline is not None and time.monotonic() > self.deadline:
                raise QueryTimeout
            if n >= self.max_rows:
                self.truncated = True
                return
            yield item


def _refuse_service(sparql: str) -> None:
    if uses_service(sparql):
        raise ServiceRefused(
            "SERVICE (a federated query) is not allowed: the store answers from its own graphs"
        )


# ---------------------------------------------------------------- worker processes


def store_version(path: Path) -> tuple:
    """What changes on disk when another process writes the store: the database's files,
    their sizes and times (not its info logs or lock file, which a reader may touch)."""
    try:
        entries = list(os.scandir(path))
    except OSError:
        return ()
    version = []
    for entry in entries:
        if entry.name.startswith(("LOG", "LOCK")):
            continue
        try:
            st = entry.stat()
        except OSError:  # removed meanwhile (a compaction)
            continue
        version.append((entry.name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(version))


def _worker_main(path: str, fd_in: int, fd_out: int) -> None:
    """A worker process: open the store read-only, answer (query, max_rows) until EOF."""
    _die_with_parent()
    inbox, outbox = Connection(fd_in, writable=False), Connection(fd_out, readable=False)
    try:
        store = ox.Store.read_only(path)
    except OSError as exc:
        outbox.send(("failed", f"cannot open the store read-only: {exc}"))
        return
    outbox.send(("ready", os.getpid()))
    while True:
        try:
            sparql, max_rows, media = inbox.recv()
        except (EOFError, OSError):
            return
        try:
            results = store.query(sparql, use_default_graph_as_union=True)
            answer: tuple = ("ok", *evaluate(results, max_rows, media=media))
        except NotAcceptable as exc:
            answer = ("notacceptable", str(exc))
        except SyntaxError as exc:
            answer = ("syntax", str(exc))
        except OSError as exc:
            answer = ("oserror", str(exc))
        except Exception as exc:  # noqa: BLE001 - handed to the server as a 500
            answer = ("error", f"{type(exc).__name__}: {exc}")
        outbox.send(answer)


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when the server dies (no-op elsewhere)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Worker:
    """A worker process and the pipes to it."""

    def __init__(self, path: Path) -> None:
        # taken before the worker opens the store: it sees at least this version
        self.version, self.opened = store_version(path), time.monotonic()
        self._kill_lock, self._killed = threading.Lock(), False
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        code = (
            "from ofsted_kg.serve.server import _worker_main; "
            f"_worker_main({str(path)!r}, {req_r}, {resp_w})"
        )
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", code], pass_fds=(req_r, resp_w), stdin=subprocess.DEVNULL
            )
        finally:
            os.close(req_r)
            os.close(resp_w)
        self.to_worker = Connection(req_w, readable=False)
        self.from_worker = Connection(resp_r, writable=False)

    def wait_ready(self, timeout: float) -> None:
        if not self.from_worker.poll(timeout):
            self.kill()
            raise RuntimeError(f"a query worker did not start within {timeout:g} s")
        try:
            message = self.from_worker.recv()
        except EOFError:
            message = ("failed", f"the query worker exited with status {self.proc.wait()}")
        if message[0] != "ready":
            self.kill()
            raise RuntimeError(message[1])

    def kill(self) -> None:
        """Kill the process and close the pipes, once: the pool's closing and its spawning
        thread may both kill a worker that was starting (closing a pipe twice could close
        another thread's file that took its number meanwhile)."""
        with self._kill_lock:
            if self._killed:
                return
            self._killed = True
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.to_worker.close()
        self.from_worker.close()


class WorkerPool:
    """``size`` worker processes over the store at ``path``; a worker whose query runs out of
    time (or that dies) is killed and replaced by a fresh one, and so is an idle worker
    opened before the store last changed.

    Workers are started by one long-lived thread so that their parent-death signal (which
    Linux ties to the thread that made them) fires only when the server goes.
    """

    def __init__(self, path: Path, size: int) -> None:
        self.path, self.size = path, size
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._to_start: queue.Queue[int | None] = queue.Queue()
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._started = threading.Event()
        self._failure: BaseException | None = None
        self._spawner = threading.Thread(target=self._spawn_loop, daemon=True)
        self._spawner.start()
        self._to_start.put(size)
        self._started.wait(WORKER_START_TIMEOUT * 2)
        if self._failure is not None or self._idle.qsize() < size:
            self.close()
            raise RuntimeError(f"cannot start the query workers: {self._failure}")

    def _spawn_loop(self) -> None:
        while True:
            n = self._to_start.get()
            if n is None:
                return
            try:
                fresh = [Worker(self.path) for _ in range(n)]
                with self._lock:
                    self._all.update(fresh)
                for worker in fresh:
                    worker.wait_ready(WORKER_START_TIMEOUT)
                    if self._closed:
                        worker.kill()
                    else:
                        self._idle.put(worker)
            except BaseException as exc:  # noqa: BLE001 - reported by __init__ or on the next query
                self._failure = exc
            finally:
                self._started.set()

    def run(self, sparql: str, max_rows: int, timeout: float, media: Media) -> Answer:
        """The query's (body, content type, truncated), in the media type for its kind
        (``negotiate``), within ``timeout`` seconds in all."""
        deadline = time.monotonic() + timeout
        worker = self._fresh_worker(deadline)
        healthy = False
        try:
            worker.to_worker.send((sparql, max_rows, media))
            if not worker.from_worker.poll(max(0.0, deadline - time.monotonic())):
                raise QueryTimeout
            answer = worker.from_worker.recv()
            healthy = True
        except (EOFError, OSError) as exc:
            raise QueryFailed(f"the query worker died ({exc or type(exc).__name__})") from None
        finally:
            if healthy:
                self._idle.put(worker)
            else:
                self._replace(worker)
        kind = answer[0]
        if kind == "ok":
            return answer[1], answer[2], answer[3]
        if kind == "syntax":
            raise SyntaxError(answer[1])
        if kind == "notacceptable":
            raise NotAcceptable(answer[1])
        if kind == "oserror":
            raise OSError(answer[1])
        raise QueryFailed(answer[1])

    def _fresh_worker(self, deadline: float) -> Worker:
        """An idle worker that sees the store as it is now: one opened before the store last
        changed is replaced, and the query waits for its replacement (opened after the
        query came, so it is fresh whatever is written meanwhile)."""
        current = store_version(self.path)
        came = time.monotonic()
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise QueryTimeout from None
            if worker.version == current or worker.opened >= came:
                return worker
            self._replace(worker)

    def _replace(self, worker: Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
        if not self._closed:
            self._to_start.put(1)

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(w.proc.pid for w in self._all if w.proc.poll() is None)

    def close(self) -> None:
        self._closed = True
        self._to_start.put(None)
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()


# ---------------------------------------------------------------- the server


class Endpoint(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, store: Store, host: str = "127.0.0.1", port: int = 7878,
                 timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
                 workers: int | None = None, max_body: int = DEFAULT_MAX_BODY,
                 request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
                 max_connections: int = DEFAULT_MAX_CONNECTIONS) -> None:  # fmt: skip
        self.store, self.query_timeout, self.max_rows = store, timeout, max_rows
        self.max_body, self.request_timeout = max_body, request_timeout
        self.max_connections = max_connections
        self._slots = threading.BoundedSemaphore(max_connections)
        path = getattr(store, "path", None)
        on_disk = isinstance(path, Path) and isinstance(getattr(store, "ox", None), ox.Store)
        if on_disk:
            try:  # what this process wrote is on disk before the workers open the store
                store.flush()
            except (OSError, RuntimeError):  # a read-only store
                pass
        self.pool = WorkerPool(path, workers or default_workers()) if on_disk else None
        try:
            super().__init__((host, port), Handler)
        except BaseException:
            if self.pool is not None:
                self.pool.close()
            raise

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def run_query(self, sparql: str, accept: str | None = None) -> Answer:
        """(body, content type, truncated) in a format the Accept header ``accept`` asks for;
        QueryTimeout when it takes longer than the limit, NotAcceptable when no format will
        do."""
        _refuse_service(sparql)
        media = negotiate(accept)
        if self.pool is not None:
            return self.pool.run(sparql, self.max_rows, self.query_timeout, media)
        return self._run_in_thread(sparql, media)

    def _run_in_thread(self, sparql: str, media: Media) -> Answer:
        """For a store that is not on disk: a query that runs out of time is abandoned (its
        thread finishes in the background, its result unused)."""
        outcome: list = []
        deadline = time.monotonic() + self.query_timeout

        def work() -> None:
            try:
                found = self.store.query(sparql)
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

    # bounded concurrency: a connection beyond max_connections is answered 503 at once

    def process_request(self, request: socket.socket, client_address: object) -> None:
        if not self._slots.acquire(blocking=False):
            self._refuse_busy(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: socket.socket, client_address: object) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def _refuse_busy(self, request: socket.socket) -> None:
        body = b"too many connections: try again shortly\n"
        head = (
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
        )
        try:
            request.settimeout(1.0)
            request.sendall(head.encode() + body)
        except OSError:
            pass
        self.shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        if self.pool is not None:
            self.pool.close()


def make_server(store: Store, host: str = "127.0.0.1", port: int = 7878,
                timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
                **limits: float) -> Endpoint:  # fmt: skip
    """The endpoint bound to (host, port), not yet serving (port 0: any free port).

    ``limits``: ``workers``, ``max_body``, ``request_timeout``, ``max_connections``.
    """
    return Endpoint(store, host, port, timeout, max_rows, **limits)  # type: ignore[arg-type]


def start_in_thread(server: Endpoint) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


class BodyTooLarge(Exception):
    pass


class Handler(BaseHTTPRequestHandler):
    server: Endpoint
    protocol_version = "HTTP/1.1"
    # headers and body go out in two sends: without this, Nagle's algorithm holds the body back
    # until the client's delayed ACK (~40 ms a response)
    disable_nagle_algorithm = True

    def setup(self) -> None:
        self.timeout = self.server.request_timeout  # socket timeout: slow clients are dropped
        super().setup()

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

    def _query(self, sparql: str) -> None:
        try:
            body, ctype, truncated = self.server.run_query(sparql, self.headers.get("Accept"))
        except NotAcceptable as exc:
            return self._error(406, f"not a format the Accept header asks for: this answer "
                                    f"can be {exc}")  # fmt: skip
        except SyntaxError as exc:
            return self._error(400, f"SPARQL syntax error: {exc}")
        except QueryTimeout:
            return self._error(503, f"query timed out after {self.server.query_timeout:g} s")
        except OSError as exc:  # e.g. an update sent as a query
            return self._error(400, str(exc))
        except QueryFailed as exc:
            return self._error(500, f"the query failed: {exc}")
        headers = {"X-Result-Truncated": "true"} if truncated else {}
        if truncated:
            headers["X-Result-Cap"] = str(self.server.max_rows)
        self._send(200, body, ctype, headers)

    def _refuse_update(self) -> None:
        self._error(403, "this endpoint is read-only: SPARQL updates are refused")

    def _refuse_write(self) -> None:
        self._error(405, "this endpoint is read-only: Graph Store writes are refused",
                    {"Allow": "GET, POST"})  # fmt: skip

    def _body(self) -> bytes | None:
        """The request body; None (after answering 400, 411 or 413) when it cannot be read."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            self._error(411, "a request body needs a Content-Length")
            return None
        try:
            length = int(self.headers.get("Content-Length") or 0)
            if length < 0:
                raise ValueError
        except ValueError:
            self.close_connection = True
            self._error(400, "bad Content-Length")
            return None
        if length > self.server.max_body:
            self.close_connection = True
            self._error(413, f"the request body is over {self.server.max_body} bytes",
                        {"Connection": "close"})  # fmt: skip
            self._discard(min(length, 4 * self.server.max_body))
            return None
        return self.rfile.read(length) if length else b""

    def _discard(self, most: int) -> None:
        """Read and drop up to ``most`` bytes of what the client is still sending (for at most a
        second), so that closing the socket does not reset it before it reads the answer."""
        self.connection.settimeout(0.2)
        stop = time.monotonic() + 1.0
        try:
            while most > 0 and time.monotonic() < stop:
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
    headers: {"Accept": "application/sparql-results+json, application/n-triples;q=0.9"}});
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
