"""Probe ``ofsted-kg serve`` as issue 19's adversarial probe did, on loopback only, and print
what clients got:

- slowloris: ``--tricklers`` sockets that send one header byte every ``--every`` seconds,
  then 15 ordinary requests while they trickle (how many were answered 200);
- beyond the cap: the slots held busy by slow queries, then 20 POST clients with a 400 KB
  body (how many read a 503, how many were reset);
- memory: an ORDER BY over a cartesian product (status, seconds, the worker's peak memory).

    python benchmarks/serve_probe.py --store STORE [--tricklers 64 --every 20]
"""

from __future__ import annotations

import argparse
import http.client
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ASK = "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CARTESIAN = "SELECT ?a ?b ?c ?d WHERE { ?a ?x ?b . ?c ?y ?d } ORDER BY ?d ?c ?b ?a"


def start(store: Path, *args: str) -> tuple[subprocess.Popen, int]:
    cmd = [sys.executable, "-m", "ofsted_kg.cli", "serve", "--store", str(store), "--port", "0"]
    proc = subprocess.Popen([*cmd, *args], stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)", line)
    if not found:
        proc.kill()
        raise SystemExit(f"the server did not start: {line}")
    return proc, int(found[1])


def status(port: int, method: str = "GET", target: str = ASK, body: bytes | None = None) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        conn.request(method, target, body, headers)
        response = conn.getresponse()
        response.read()
        return str(response.status)
    except OSError as exc:
        return type(exc).__name__
    finally:
        conn.close()


def slowloris(port: int, count: int, every: float) -> list[str]:
    request = b"GET " + ASK.encode() + b" HTTP/1.1\r\nHost: x\r\n" + b"X-a: b\r\n" * 100
    socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
    stop = threading.Event()

    def trickle() -> None:
        sent = 0
        while not stop.wait(every):
            sent += 1
            for s in socks:
                try:
                    s.sendall(request[sent : sent + 1])
                except OSError:
                    pass

    for s in socks:
        s.sendall(request[:1])
    threading.Thread(target=trickle, daemon=True).start()
    time.sleep(1)
    try:
        return [status(port) for _ in range(15)]
    finally:
        stop.set()
        for s in socks:
            s.close()


def beyond_the_cap(port: int, slots: int) -> list[str]:
    slow = "/sparql?" + urllib.parse.urlencode({"query": SLOW})
    busy = [threading.Thread(target=status, args=(port, "GET", slow)) for _ in range(slots)]
    for t in busy:
        t.start()
    time.sleep(1)
    body = b"query=" + b"+" * 400_000
    answers = [status(port, "POST", "/sparql", body) for _ in range(20)]
    for t in busy:
        t.join()
    return answers


def memory(port: int, server: subprocess.Popen) -> str:
    tasks = Path(f"/proc/{server.pid}/task")  # workers are started by a thread of the server
    peak = {"kB": 0}
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.1):
            pids = [p for t in tasks.iterdir() for p in (t / "children").read_text().split()]
            for pid in pids:
                try:
                    text = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                if rss := re.search(r"VmRSS:\s+(\d+)", text):  # none once it is a zombie
                    peak["kB"] = max(peak["kB"], int(rss[1]))

    threading.Thread(target=watch, daemon=True).start()
    started = time.perf_counter()
    answer = status(port, target="/sparql?" + urllib.parse.urlencode({"query": CARTESIAN}))
    done.set()
    took = time.perf_counter() - started
    return f"HTTP {answer} after {took:.1f} s, worker peak RSS {peak['kB'] / 1024:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--tricklers", type=int, default=64)
    parser.add_argument("--every", type=float, default=20.0)
    parser.add_argument("--serve-args", default="", help="more options for ofsted-kg serve")
    args = parser.parse_args()
    extra = args.serve_args.split()
    server, port = start(args.store, *extra)
    try:
        got = slowloris(port, args.tricklers, args.every)
        print(f"slowloris ({args.tricklers} sockets, a byte every {args.every:g} s): "
              f"{got.count('200')}/15 answered 200; {sorted(set(got))}")  # fmt: skip
    finally:
        server.kill()
        server.wait()
    # two workers and as many slots held busy: every slot is answering
    server, port = start(args.store, "--workers", "2", "--timeout", "3", *extra)
    try:
        got = beyond_the_cap(port, 64)
        print(f"beyond the cap (20 POSTs of 400 KB): {got.count('503')}/20 read a 503; "
              f"{sorted(set(got))}")  # fmt: skip
    finally:
        server.kill()
        server.wait()
    server, port = start(args.store, "--timeout", "60", *extra)
    try:
        print(f"ORDER BY over a cartesian product: {memory(port, server)}")
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
