"""The endpoint's entry points, for the CLI and the tests: the modules beside this one do
the work (``http``: server and handler; ``workers``: the query processes; ``negotiate``:
Accept to format; ``answers``: results to bytes; ``connections``: slots and deadlines)."""

from __future__ import annotations

from ofsted_kg.serve.http import Endpoint, Handler, make_server, start_in_thread
from ofsted_kg.serve.workers import parse_memory
from ofsted_kg.serve.workers import worker_main as _worker_main

__all__ = ["Endpoint", "Handler", "_worker_main", "make_server", "parse_memory", "start_in_thread"]
