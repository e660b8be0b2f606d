"""Helpers shared by the tests: where ../shared is, reading its CSVs, talking to the endpoint."""

from __future__ import annotations

import csv
import importlib.util
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared(*parts: str) -> Path:
    """A path in ../shared; the test is skipped with a reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared material lives beside the project)")
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def call(url: str, data: bytes | None = None, ctype: str | None = None,
         method: str | None = None, timeout: float = 30,
         accept: str | None = None) -> tuple[int, dict, bytes]:  # fmt: skip
    """An HTTP request: (status, headers, body), error statuses included."""
    req = urllib.request.Request(url, data=data, method=method)
    if ctype:
        req.add_header("Content-Type", ctype)
    if accept:
        req.add_header("Accept", accept)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def serving(store, **kw: float) -> Iterator:  # noqa: ANN001
    """``ofsted-kg serve`` over ``store`` on a free loopback port, in this process."""
    from ofsted_kg.serve.server import make_server, start_in_thread

    endpoint = make_server(store, "127.0.0.1", 0, **kw)
    start_in_thread(endpoint)
    try:
        yield endpoint
    finally:
        endpoint.shutdown()
        endpoint.server_close()


def benchmark(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """A script of benchmarks/ as a module (the corpus tests check what it measures)."""
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))  # the scripts' shared helpers
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def raw(endpoint, data: bytes, wait: float = 10) -> bytes:  # noqa: ANN001
    """Send bytes to the endpoint on a fresh connection; all it answers until it closes."""
    with socket.create_connection(endpoint.server_address[:2], timeout=wait) as s:
        s.sendall(data)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def not_blank(png: Path, share: float = 0.03) -> bool:
    """Whether a screenshot shows something: at least ``share`` of its pixels differ from its
    commonest colour (a blank or one-colour page has none that do)."""
    from PIL import Image

    with Image.open(png) as image:
        small = image.convert("RGB").resize((200, 150))
    counts = sorted(small.getcolors(200 * 150) or [], reverse=True)
    return bool(counts) and 1 - counts[0][0] / (200 * 150) >= share


def free_port() -> int:
    """A port of the loopback interface that nothing listens on (for a server a test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
