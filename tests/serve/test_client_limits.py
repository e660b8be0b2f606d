"""What clients cannot do to the endpoint (issue 19): slow clients (slowloris) cannot hold
every connection slot, a request must arrive whole within a deadline, a client turned away
beyond the connection cap reads its 503 (no TCP reset, even mid-upload), chunked bodies are
read up to the body cap, a client that goes away mid-answer leaves no traceback, and a port
in use is one line and exit 1.

Every socket here goes to 127.0.0.1 and every trickle is bounded in time.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import call, raw, serving
from ofsted_kg import api
from ofsted_kg.serve.server import Endpoint

served = contextlib.contextmanager(serving)
ASK = "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"


@pytest.fixture(scope="module")
def memory(seeds: list[Path]) -> api.Store:
    """One seed in an in-memory store: its queries run in the server's threads (no workers to
    start, and these tests are about the HTTP side)."""
    store = api.Store(None)
    assert api.ingest(seeds[:1], store, jobs=1).ok
    return store


def hold_answers(
    endpoint: Endpoint, monkeypatch: pytest.MonkeyPatch
) -> tuple[threading.Event, list]:
    """Make every query wait until the event is set (so its connection stays busy answering);
    the list gets one entry per query that has started."""
    release, started = threading.Event(), []
    real = endpoint.run_query

    def held(sparql: str, *rest: object) -> tuple[bytes, str, bool]:
        started.append(sparql)
        release.wait(30)
        return real(sparql, *rest)

    monkeypatch.setattr(endpoint, "run_query", held)
    return release, started


def wait_for(condition: Callable[[], bool], most: float = 10) -> None:
    deadline = time.monotonic() + most
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.05)


# ------------------------------------------------------------------ slow clients


class Tricklers:
    """``count`` sockets that each send one byte of a request every ``every`` seconds, for
    at most ``most`` seconds; a socket the server drops is opened again at once, as an
    attacker would."""

    REQUEST = b"GET " + ASK.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-a: b\r\n" * 500

    def __init__(self, address: tuple, count: int, every: float, most: float) -> None:
        self.address, self.every, self.stop_at = address, every, time.monotonic() + most
        self.sockets = [self._open() for _ in range(count)]
        self.sent = [0] * count
        self.reopened = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _open(self) -> socket.socket:
        s = socket.create_connection(self.address, timeout=5)
        s.sendall(self.REQUEST[:1])
        return s

    def _run(self) -> None:
        while not self._stop.wait(self.every) and time.monotonic() < self.stop_at:
            for i, s in enumerate(self.sockets):
                self.sent[i] += 1
                try:
                    s.sendall(self.REQUEST[self.sent[i] : self.sent[i] + 1])
                except OSError:
                    s.close()
                    self.reopened += 1
                    self.sent[i] = 0
                    try:
                        self.sockets[i] = self._open()
                    except OSError:
                        pass

    def close(self) -> None:
        self._stop.set()
        self.thread.join(10)
        for s in self.sockets:
            s.close()


def test_trickling_clients_do_not_lock_out_the_others(memory: api.Store) -> None:
    """70 sockets trickling a header byte every 0.5 s (more than the 64 connection slots):
    requests from other clients are still answered while they trickle."""
    with served(memory) as endpoint:
        assert endpoint.max_connections == 64
        tricklers = Tricklers(endpoint.server_address[:2], 70, every=0.5, most=20)
        try:
            time.sleep(1.5)  # every trickler has sent a few bytes and holds a connection
            answers = [call(endpoint.url + ASK, timeout=10)[0] for _ in range(15)]
            assert answers == [200] * 15
            assert tricklers.thread.is_alive()  # they were trickling all along
        finally:
            tricklers.close()


def test_a_request_must_arrive_whole_within_the_deadline(memory: api.Store) -> None:
    """A client that never goes silent for the socket timeout is still dropped once its request
    has taken longer than the request deadline to arrive (headers and body alike)."""
    with served(memory, request_timeout=5, request_deadline=1.5) as endpoint:
        for request in (
            Tricklers.REQUEST,  # headers that never end
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 200\r\n\r\n" + b" " * 200,  # a body sent a byte at a time
        ):
            with socket.create_connection(endpoint.server_address[:2], timeout=10) as s:
                started, dropped = time.monotonic(), None
                for i in range(len(request)):
                    try:
                        s.sendall(request[i : i + 1])
                    except OSError:
                        dropped = time.monotonic() - started
                        break
                    if _closed(s):
                        dropped = time.monotonic() - started
                        break
                    time.sleep(0.2)  # never silent for the 5 s socket timeout
                assert dropped is not None and 1.2 < dropped < 4.5, dropped
        assert call(endpoint.url + ASK)[0] == 200


def _readable(s: socket.socket) -> bool:
    import select

    return bool(select.select([s], [], [], 0)[0])


def _closed(s: socket.socket) -> bool:
    """Whether the server has closed its side (the socket reads end of file)."""
    if not _readable(s):
        return False
    try:
        return s.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


# ------------------------------------------------------------------ beyond the cap


def test_post_clients_beyond_the_cap_read_their_503(
    memory: api.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every connection slot busy answering: clients that POST a large body are answered 503,
    never reset before they could read it."""
    with served(memory, max_connections=2) as endpoint:
        release, started = hold_answers(endpoint, monkeypatch)
        busy = [threading.Thread(target=call, args=(endpoint.url + ASK,)) for _ in range(2)]
        for t in busy:
            t.start()
        try:
            wait_for(lambda: len(started) == 2)
            body = b"query=" + b"+" * 400_000
            statuses = []
            for _ in range(10):
                conn = http.client.HTTPConnection(*endpoint.server_address[:2], timeout=10)
                conn.request("POST", "/sparql", body,
                             {"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
                response = conn.getresponse()
                statuses.append((response.status, response.getheader("Retry-After")))
                assert b"too many connections" in response.read()
                conn.close()
            assert statuses == [(503, "1")] * 10
        finally:
            release.set()
            for t in busy:
                t.join(30)
        assert call(endpoint.url + ASK)[0] == 200


def test_idle_connections_give_way_to_new_clients(memory: api.Store) -> None:
    """Connections that hold a slot without a request (idle, or still sending one) are closed
    for a new client when every slot is taken: the oldest first."""
    with served(memory, max_connections=3) as endpoint:
        idle = []
        for _ in range(3):  # one after the other: which is oldest must not be a race
            idle.append(socket.create_connection(endpoint.server_address[:2]))
            time.sleep(0.1)  # accepted and held by its request thread before the next
        try:
            time.sleep(0.2)
            assert call(endpoint.url + ASK)[0] == 200
            wait_for(lambda: _closed(idle[0]))  # the oldest went
            assert not _closed(idle[2])
        finally:
            for s in idle:
                s.close()


# ------------------------------------------------------------------ bodies


def chunked(payload: bytes, size: int) -> bytes:
    parts = [payload[i : i + size] for i in range(0, len(payload), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def post(payload: bytes, encoding: str = "chunked") -> bytes:
    return (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Connection: close\r\nTransfer-Encoding: " + encoding.encode() + b"\r\n\r\n"
            + payload)  # fmt: skip


def test_a_small_chunked_body_is_read(memory: api.Store) -> None:
    with served(memory, max_body=1000) as endpoint:
        answer = raw(endpoint, post(chunked(b"ASK { ?s ?p ?o }", 5)))
        assert answer.startswith(b"HTTP/1.1 200 ") and answer.endswith(b'"boolean": true}')


def test_a_chunked_body_over_the_cap_is_413(memory: api.Store) -> None:
    with served(memory, max_body=1000) as endpoint:
        answer = raw(endpoint, post(chunked(b"ASK { ?s ?p ?o }" + b" " * 2000, 500)))
        assert answer.startswith(b"HTTP/1.1 413 ") and b"1000 bytes" in answer
        # a chunk that says it is huge is refused at once, unread
        answer = raw(endpoint, post(b"ffffffffff\r\nASK"))
        assert answer.startswith(b"HTTP/1.1 413 ")


def test_bad_and_unknown_transfer_codings(memory: api.Store) -> None:
    with served(memory, max_body=1000) as endpoint:
        assert raw(endpoint, post(b"zz\r\nASK\r\n0\r\n\r\n")).startswith(b"HTTP/1.1 400 ")
        answer = raw(endpoint, post(b"ASK", "gzip, chunked"))
        assert answer.startswith(b"HTTP/1.1 501 ")


# ------------------------------------------------------------------ going away


def test_a_client_gone_mid_answer_leaves_no_traceback(
    memory: api.Store, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture
) -> None:
    with served(memory, max_rows=10_000) as endpoint:
        release, started = hold_answers(endpoint, monkeypatch)
        done = []
        real = endpoint.run_query

        def noted(sparql: str, *rest: object) -> tuple[bytes, str, bool]:
            try:
                return real(sparql, *rest)
            finally:
                done.append(1)

        monkeypatch.setattr(endpoint, "run_query", noted)
        for _ in range(3):
            s = socket.create_connection(endpoint.server_address[:2])
            s.sendall(b"GET /sparql?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D HTTP/1.1\r\n"
                      b"Host: x\r\n\r\n")  # fmt: skip
            wait_for(lambda: len(started) == len(done) + 1)
            # gone with a reset, as a browser tab closed mid-answer
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()
            release.set()
            wait_for(lambda: len(done) == len(started))
            release.clear()
        time.sleep(0.5)  # the handlers write their answers to the closed sockets
        release.set()
        assert call(endpoint.url + ASK)[0] == 200
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Error" not in err, err


def test_a_port_in_use_is_one_line_and_exit_1(tmp_path: Path, seeds: list[Path]) -> None:
    store = api.Store(tmp_path / "store")
    assert api.ingest(seeds[:1], store, jobs=1).ok
    store.flush()
    del store
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "ofsted_kg.cli", "serve", "--store", str(tmp_path / "store"),
             "--port", str(port)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and f"127.0.0.1:{port}" in lines[0] and "in use" in lines[0], lines
