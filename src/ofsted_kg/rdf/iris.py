"""Deterministic IRIs for every resource, under a configurable base: the only code that
builds them. Names become path segments through ``slug``, which is part of the IRI scheme
(changing it renames resources), so it lives here and not with the text helpers."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pyoxigraph as ox

from ofsted_kg.model import Inspection
from ofsted_kg.rdf import vocab


@lru_cache(maxsize=4096)
def slug(text: str) -> str:
    """A stable IRI path segment from a label (cached: IRIs repeat a few names many times)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", " and ")).strip("-")


@lru_cache(maxsize=4096)
def _n(iri: str) -> ox.NamedNode:
    """The pyoxigraph node of an IRI (for the store's graph names)."""
    return ox.NamedNode(iri)


_SERVICE_ALL = "all"


class Iris:
    """Deterministic IRIs under a configurable base."""

    def __init__(self, base: str = vocab.DEFAULT_BASE) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"
        ox.NamedNode(self.base)  # a ValueError here, not an unreadable N-Triples line later

    def report(self, sha256: str) -> ox.NamedNode:
        return _n(f"{self.base}report/{sha256}")

    def authority(self, name: str) -> ox.NamedNode:
        return _n(f"{self.base}authority/{slug(name)}")

    def agency(self, name: str) -> ox.NamedNode:
        return _n(f"{self.base}agency/{slug(name)}")

    def inspector(self, name: str) -> ox.NamedNode:
        return _n(f"{self.base}inspector/{slug(name)}")

    def inspection(self, insp: Inspection) -> ox.NamedNode:
        when = insp.start.isoformat() if insp.start else insp.month or "undated"
        path = f"{slug(insp.authority)}/{insp.framework}/{insp.kind}/{when}"
        return _n(f"{self.base}inspection/{path}")

    def partnership(self, authority: str) -> ox.NamedNode:
        """The local area partnership of an authority's area (area SEND inspections)."""
        return _n(f"{self.base}partnership/{slug(authority)}")

    def judgement(self, insp: Inspection, service: str | None, area: str) -> ox.NamedNode:
        insp_iri = self.inspection(insp).value
        return _n(f"{insp_iri}/judgement/{slug(service or _SERVICE_ALL)}/{slug(area)}")

    def graph(self, sha256: str) -> ox.NamedNode:
        """The named graph holding one report's triples."""
        return _n(f"{self.base}graph/report/{sha256}")

    def graph_sha(self, graph: object) -> str | None:
        """The sha256 of the report a graph (a NamedNode) holds; None for any other graph."""
        prefix = self.graph("").value
        if isinstance(graph, ox.NamedNode) and graph.value.startswith(prefix):
            return graph.value[len(prefix) :]
        return None

    def enrichment_graph(self, name: str) -> ox.NamedNode:
        """A named graph of data from outside the reports, e.g. authority codes."""
        return _n(f"{self.base}graph/{name}")
