"""The worker processes that run the endpoint's queries over an on-disk store.

Each worker opens the store read-only. pyoxigraph cannot cancel a query, so one that runs out
of time is stopped by killing its worker (SIGKILL), which is then replaced. A read-only store
sees the data as it was when it was opened, so when the store's files change (an ingest in
another process), a query waits for a worker opened after the change instead of answering
from an idle one opened before it.

Each worker has a bound on its memory (its address space, ``RLIMIT_AS``): a query that needs
more (an ORDER BY over a cartesian product) makes the engine's allocation fail, the worker
ends and is replaced, and the query is answered as out of memory. Workers are killed by Linux
when the server dies (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import os
import queue
import re
import resource
import signal
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.serve.answers import Answer, QueryFailed, QueryOutOfMemory, QueryTimeout, evaluate
from ofsted_kg.serve.negotiate import Media, NotAcceptable

Bindings = dict[ox.Variable, ox.NamedNode | ox.Literal]  # a library query's parameters
WORKER_START_TIMEOUT = 60.0
DEFAULT_WORKER_MEMORY = 2 << 30  # bytes of address space a worker may use
# how a worker ends when an allocation fails: the engine (Rust) aborts, Python raises
_OUT_OF_MEMORY_SIGNALS = (signal.SIGABRT, signal.SIGSEGV)


def default_workers() -> int:
    """The number of cores, at least two (so that one slow query does not hold up the rest)."""
    return max(2, os.cpu_count() or 1)


def parse_memory(text: str) -> int | None:
    """Bytes from a size such as ``2G``, ``800M``, ``1.5g`` or ``4096`` (megabytes); None for
    ``0`` (no limit). ValueError naming the size otherwise."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*", text.lower())
    if not found:
        raise ValueError(f"not a memory size: {text!r} (e.g. 2G or 800M)")
    scale = {"k": 1 << 10, "": 1 << 20, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}[found[2]]
    size = int(float(found[1]) * scale)
    return size or None


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


def worker_main(path: str, fd_in: int, fd_out: int, memory: int | None = None) -> None:
    """A worker process: open the store read-only, answer (query, max_rows, media, bindings)
    until EOF. ``bindings`` (variable -> RDF term, or None) are the parameters of a library
    query: they travel beside the text, pickled as terms, and the engine substitutes them
    (never spliced into the text)."""
    _die_with_parent()
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    inbox, outbox = Connection(fd_in, writable=False), Connection(fd_out, readable=False)
    try:
        store = ox.Store.read_only(path)
    except OSError as exc:
        outbox.send(("failed", f"cannot open the store read-only: {exc}"))
        return
    outbox.send(("ready", os.getpid()))
    while True:
        try:
            sparql, max_rows, media, bindings = inbox.recv()
        except (EOFError, OSError):
            return
        results = None
        try:
            results = store.query(sparql, use_default_graph_as_union=True, substitutions=bindings)
            answer: tuple = ("ok", *evaluate(results, max_rows, media=media))
        except NotAcceptable as exc:
            answer = ("notacceptable", str(exc))
        except SyntaxError as exc:
            answer = ("syntax", str(exc))
        except OSError as exc:
            answer = ("oserror", str(exc))
        except MemoryError:
            answer = ("memory", "")
        except Exception as exc:  # noqa: BLE001 - handed to the server as a 500
            answer = ("error", f"{type(exc).__name__}: {exc}")
        results = None  # its memory goes before the next query comes, which may need it
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

    def __init__(self, path: Path, memory: int | None = None) -> None:
        # taken before the worker opens the store: it sees at least this version
        self.version, self.opened = store_version(path), time.monotonic()
        self.memory = memory
        self._kill_lock, self._killed = threading.Lock(), False
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        code = (
            "from ofsted_kg.serve.workers import worker_main; "
            f"worker_main({str(path)!r}, {req_r}, {resp_w}, {memory!r})"
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
            status = self.proc.wait()
            hint = f" (is --worker-memory, {_mb(self.memory)}, too low?)" if self.memory else ""
            message = ("failed", f"the query worker exited with status {status}{hint}")
        if message[0] != "ready":
            self.kill()
            raise RuntimeError(message[1])

    def ran_out_of_memory(self) -> bool:
        """Whether the process, gone, ended as an allocation that failed under its limit ends."""
        try:
            status = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return False
        return bool(self.memory) and -status in _OUT_OF_MEMORY_SIGNALS

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


def _mb(size: int | None) -> str:
    return f"{(size or 0) / (1 << 20):g} MB"


class WorkerPool:
    """``size`` worker processes over the store at ``path``, each limited to ``memory`` bytes
    of address space (None: no limit); a worker whose query runs out of time (or that dies)
    is killed and replaced by a fresh one, and so is an idle worker opened before the store
    last changed.

    Workers are started by one long-lived thread so that their parent-death signal (which
    Linux ties to the thread that made them) fires only when the server goes.
    """

    def __init__(self, path: Path, size: int, memory: int | None = DEFAULT_WORKER_MEMORY) -> None:
        self.path, self.size, self.memory = path, size, memory
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
                fresh = [Worker(self.path, self.memory) for _ in range(n)]
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

    def run(self, sparql: str, max_rows: int, timeout: float, media: Media,
            bindings: Bindings | None = None) -> Answer:  # fmt: skip
        """The query's (body, content type, truncated), in the media type for its kind
        (``negotiate``), within ``timeout`` seconds in all; ``bindings`` substituted for its
        variables by the engine."""
        deadline = time.monotonic() + timeout
        worker = self._fresh_worker(deadline)
        healthy = False
        try:
            worker.to_worker.send((sparql, max_rows, media, bindings))
            if not worker.from_worker.poll(max(0.0, deadline - time.monotonic())):
                raise QueryTimeout
            answer = worker.from_worker.recv()
            healthy = answer[0] != "memory"  # a worker that hit its limit may be in a bad way
        except (EOFError, OSError) as exc:
            if worker.ran_out_of_memory():
                raise self._out_of_memory() from None
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
        if kind == "memory":
            raise self._out_of_memory()
        raise QueryFailed(answer[1])

    def _out_of_memory(self) -> QueryOutOfMemory:
        return QueryOutOfMemory(
            f"the query needed more memory than a query worker may use ({_mb(self.memory)}): "
            "it was stopped"
        )

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
