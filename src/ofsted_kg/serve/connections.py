"""What a client may hold: a connection slot, and the time it has to send its request.

Each connection is served by a thread, and at most ``size`` connections hold a slot at once.
A connection is *receiving* while it waits for a request or reads one, *answering* once the
whole request is in. When every slot is taken, a new connection takes the slot of the
connection that has been receiving longest (an idle keep-alive connection, or a slow client):
slow clients (slowloris) cannot hold all the slots, since a client that sends its request at
once receives for a moment only. When every slot is answering, the new connection is answered
503 by the ``Refuser``, which reads what the client sends meanwhile so that closing does not
reset the connection before the client has read the answer.

A request must arrive whole (request line, headers and body) within ``deadline`` seconds of its
first byte, however the client spaces its bytes; before that first byte a connection may stay
silent for ``idle`` seconds.
"""

from __future__ import annotations

import io
import selectors
import socket
import threading
import time


class _Held:
    """A connection's slot: receiving since when (None: answering), and whether it was taken
    for another connection."""

    __slots__ = ("since", "evicted")

    def __init__(self) -> None:
        self.since: float | None = time.monotonic()
        self.evicted = False


class Slots:
    """The connection slots of a server."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._held: dict[socket.socket, _Held] = {}
        self._lock = threading.Lock()

    def take(self, sock: socket.socket) -> bool:
        """A slot for a new connection: a free one, or the one of the connection receiving
        longest, which is shut down; False when every slot is answering."""
        with self._lock:
            if len(self._held) >= self.size:
                receiving = [(h.since, s) for s, h in self._held.items() if h.since is not None]
                if not receiving:
                    return False
                _, victim = min(receiving, key=lambda pair: pair[0])
                self._held.pop(victim).evicted = True
                try:  # its thread, blocked reading, reads end of file and ends
                    victim.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self._held[sock] = _Held()
            return True

    def held(self, sock: socket.socket) -> _Held:
        with self._lock:
            return self._held.get(sock) or _evicted()

    def receiving(self, sock: socket.socket) -> None:
        with self._lock:
            if sock in self._held:
                self._held[sock].since = time.monotonic()

    def answering(self, sock: socket.socket) -> None:
        with self._lock:
            if sock in self._held:
                self._held[sock].since = None

    def release(self, sock: socket.socket) -> None:
        """Before the socket is closed (so that ``take`` never shuts down a closed one)."""
        with self._lock:
            self._held.pop(sock, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._held)


def _evicted() -> _Held:
    held = _Held()
    held.evicted = True
    return held


class RequestReader(io.RawIOBase):
    """A connection's bytes, read with a deadline for the whole request: ``expect_request``
    before each request starts the wait (at most ``idle`` seconds for its first byte, then
    ``deadline`` seconds for all of it), ``received`` once it is in stops the clock. A slot
    taken for another connection reads as ConnectionAbortedError, never as a request cut
    short (which could be answered as one)."""

    def __init__(self, sock: socket.socket, held: _Held, idle: float, deadline: float) -> None:
        super().__init__()
        self.sock, self.held, self.idle, self.deadline = sock, held, idle, deadline
        self._ends: float | None = None
        self._counting = False

    def expect_request(self) -> None:
        self._ends, self._counting = None, True

    def received(self) -> None:
        self._ends, self._counting = None, False
        self.sock.settimeout(self.idle)  # for writing the answer

    def within(self, seconds: float) -> None:
        """What is read from now on must come within ``seconds`` (TimeoutError after)."""
        self._ends = time.monotonic() + seconds

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.held.evicted:
            raise ConnectionAbortedError("the connection's slot went to another client")
        timeout = self.idle
        if self._ends is not None:
            timeout = min(timeout, self._ends - time.monotonic())
            if timeout <= 0:
                raise TimeoutError(f"the request did not arrive whole within {self.deadline:g} s")
        self.sock.settimeout(timeout)
        n = self.sock.recv_into(buffer)
        if self.held.evicted:
            raise ConnectionAbortedError("the connection's slot went to another client")
        if n and self._counting and self._ends is None:  # the first byte starts the clock
            self._ends = time.monotonic() + self.deadline
        return n


class Refuser:
    """Answers connections turned away (503) from one thread: the answer is sent, the sending
    side shut, and what the client still sends is read and dropped until it closes (or for
    ``linger`` seconds), so that the client reads its answer instead of a reset. At most
    ``most`` connections are lingering; beyond, a refused connection is closed at once."""

    def __init__(self, linger: float = 2.0, most: int = 256) -> None:
        self.linger, self.most = linger, most
        self._selector = selectors.DefaultSelector()
        self._ends: dict[socket.socket, float] = {}
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._selector.register(self._wake_r, selectors.EVENT_READ)
        self._closed = False
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def refuse(self, sock: socket.socket, answer: bytes) -> None:
        try:
            sock.setblocking(False)
            sock.send(answer)  # a few hundred bytes: they fit in the socket's buffer
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            sock.close()
            return
        with self._lock:
            if self._closed or len(self._ends) >= self.most:
                sock.close()
                return
            self._ends[sock] = time.monotonic() + self.linger
            self._selector.register(sock, selectors.EVENT_READ)
        self._wake_w.send(b"\0")

    def _loop(self) -> None:
        while not self._closed:
            for key, _ in self._selector.select(timeout=0.25):
                sock = key.fileobj
                if sock is self._wake_r:
                    try:
                        self._wake_r.recv(4096)
                    except OSError:
                        pass
                    continue
                try:
                    if sock.recv(65536):  # type: ignore[union-attr]
                        continue
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    pass
                self._drop(sock)  # type: ignore[arg-type]
            now = time.monotonic()
            with self._lock:
                late = [s for s, ends in self._ends.items() if ends < now]
            for sock in late:
                self._drop(sock)

    def _drop(self, sock: socket.socket) -> None:
        with self._lock:
            if self._ends.pop(sock, None) is None:
                return
            self._selector.unregister(sock)
        sock.close()

    def close(self) -> None:
        self._closed = True
        self._wake_w.send(b"\0")
        self._thread.join(2)
        with self._lock:
            for sock in self._ends:
                sock.close()
            self._ends.clear()
        self._selector.close()
        self._wake_r.close()
        self._wake_w.close()
