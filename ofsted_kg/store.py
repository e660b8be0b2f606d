"""The embedded store: one named graph per report in pyoxigraph, plus the ontology's graph."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from . import vocab
from .emit import Iris

DEFAULT_STORE = Path(".ofsted-kg") / "store"
ONTOLOGY_GRAPH = ox.NamedNode(str(vocab.ONTOLOGY_IRI))
_SETTINGS = "ofsted-kg.json"  # beside the database files: the base IRI the store was made with


def default_store_path() -> Path:
    return Path(os.environ.get("OFSTED_KG_STORE", DEFAULT_STORE))


class Store:
    """A persistent (or, with ``path=None``, in-memory) pyoxigraph store of report graphs.

    The base IRI is fixed when the store is made and remembered in it.
    """

    def __init__(self, path: Path | str | None = None, base: str | None = None,
                 read_only: bool = False) -> None:  # fmt: skip
        self.path = Path(path) if path is not None else None
        settings = self._settings()
        if base and settings.get("base") and base != settings["base"]:
            raise ValueError(
                f"the store at {self.path} uses base IRI {settings['base']}, not {base}"
            )
        self.iris = Iris(base or settings.get("base") or vocab.DEFAULT_BASE)
        if self.path is None:
            self.ox = ox.Store()
        elif read_only:
            self.ox = ox.Store.read_only(str(self.path))
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self.ox = ox.Store(str(self.path))
            if not settings:
                (self.path / _SETTINGS).write_text(json.dumps({"base": self.iris.base}) + "\n")
        if not read_only:
            self._ensure_ontology()

    def _settings(self) -> dict[str, str]:
        if self.path is None or not (self.path / _SETTINGS).is_file():
            return {}
        return json.loads((self.path / _SETTINGS).read_text())

    def _ensure_ontology(self) -> None:
        """The ontology and concept schemes live in their own graph, refreshed when they change."""
        g = vocab.ontology_graph()
        count = sum(1 for _ in self.ox.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH))
        if count != len(g):
            self._swap(ONTOLOGY_GRAPH.value, g.serialize(format="nt"))

    def _swap(self, graph: str, ntriples: str) -> None:
        """Replace a named graph in one transaction: readers see old or new, never half."""
        self.ox.update(
            f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{ntriples}\n}} }}"
        )

    def put_report(self, sha256: str, triples: Graph | bytes | str) -> None:
        """Store a report's graph (an rdflib Graph or N-Triples) in place of any earlier one."""
        if isinstance(triples, Graph):
            triples = triples.serialize(format="nt")
        nt = triples.decode() if isinstance(triples, bytes) else triples
        self._swap(self.report_graph(sha256).value, nt)

    def put_enrichment(self, name: str, ntriples: bytes | str) -> None:
        """Replace a graph of data from outside the reports (e.g. authority codes)."""
        nt = ntriples.decode() if isinstance(ntriples, bytes) else ntriples
        self._swap(self.iris.enrichment_graph(name).value, nt)

    def data_graphs(self) -> list[ox.NamedNode]:
        """Every graph but the ontology's: report graphs, then enrichment graphs, sorted."""
        base = self.iris.enrichment_graph("").value
        graphs = [g for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode)]
        return sorted((g for g in graphs if g.value.startswith(base)), key=lambda g: g.value)

    def remove_report(self, sha256: str) -> None:
        self.ox.update(f"DROP SILENT GRAPH <{self.report_graph(sha256).value}>")

    def report_graph(self, sha256: str) -> ox.NamedNode:
        return self.iris.graph(sha256)

    def has_report(self, sha256: str) -> bool:
        return self.ox.contains_named_graph(self.report_graph(sha256))

    def report_graphs(self) -> Iterator[ox.NamedNode]:
        prefix = self.iris.graph("").value
        for g in self.ox.named_graphs():
            if isinstance(g, ox.NamedNode) and g.value.startswith(prefix):
                yield g

    def report_shas(self) -> list[str]:
        prefix = len(self.iris.graph("").value)
        return sorted(g.value[prefix:] for g in self.report_graphs())

    def ntriples(self, name: ox.NamedNode) -> bytes:
        """A named graph's triples as N-Triples."""
        return self.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name) or b""

    def graph(self, name: ox.NamedNode) -> Graph:
        """A named graph's triples as an rdflib Graph."""
        g = Graph()
        data = self.ntriples(name)
        if data:
            g.parse(data=data.decode(), format="nt")
        return g

    def query(self, sparql: str, substitutions: dict | None = None) -> object:
        """SPARQL over the union of all graphs."""
        return self.ox.query(sparql, use_default_graph_as_union=True, substitutions=substitutions)

    def flush(self) -> None:
        if self.path is not None:
            self.ox.flush()
