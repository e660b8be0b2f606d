"""The embedded store: one named graph per report in pyoxigraph, plus the ontology's graph."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from . import vocab
from .emit import Iris

DEFAULT_STORE = Path(".ofsted-kg") / "store"
ONTOLOGY_GRAPH = ox.NamedNode(str(vocab.ONTOLOGY_IRI))


def default_store_path() -> Path:
    return Path(os.environ.get("OFSTED_KG_STORE", DEFAULT_STORE))


class Store:
    """A persistent (or, with ``path=None``, in-memory) pyoxigraph store of report graphs."""

    def __init__(self, path: Path | str | None = None, base: str = vocab.DEFAULT_BASE,
                 read_only: bool = False) -> None:  # fmt: skip
        self.path = Path(path) if path is not None else None
        self.iris = Iris(base)
        if self.path is None:
            self.ox = ox.Store()
        elif read_only:
            self.ox = ox.Store.read_only(str(self.path))
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self.ox = ox.Store(str(self.path))
        if not read_only:
            self._ensure_ontology()

    def _ensure_ontology(self) -> None:
        """The ontology and concept schemes live in their own graph, refreshed when they change."""
        g = vocab.ontology_graph()
        count = sum(1 for _ in self.ox.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH))
        if count != len(g):
            self.replace_graph(ONTOLOGY_GRAPH, g)

    def replace_graph(self, graph: ox.NamedNode, triples: Graph) -> None:
        """Swap a named graph's content in one transaction: readers see old or new, never half."""
        body = triples.serialize(format="nt")
        g = graph.value
        self.ox.update(f"DROP SILENT GRAPH <{g}> ;\nINSERT DATA {{ GRAPH <{g}> {{\n{body}\n}} }}")

    def put_report(self, sha256: str, triples: Graph) -> None:
        self.replace_graph(self.report_graph(sha256), triples)

    def remove_report(self, sha256: str) -> None:
        self.ox.update(f"DROP SILENT GRAPH <{self.report_graph(sha256).value}>")

    def report_graph(self, sha256: str) -> ox.NamedNode:
        return ox.NamedNode(str(self.iris.graph(sha256)))

    def has_report(self, sha256: str) -> bool:
        return self.ox.contains_named_graph(self.report_graph(sha256))

    def report_graphs(self) -> Iterator[ox.NamedNode]:
        prefix = str(self.iris.graph(""))
        for g in self.ox.named_graphs():
            if isinstance(g, ox.NamedNode) and g.value.startswith(prefix):
                yield g

    def report_shas(self) -> list[str]:
        prefix = len(str(self.iris.graph("")))
        return sorted(g.value[prefix:] for g in self.report_graphs())

    def graph(self, name: ox.NamedNode) -> Graph:
        """A named graph's triples as an rdflib Graph."""
        g = Graph()
        data = self.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
        if data:
            g.parse(data=data.decode(), format="nt")
        return g

    def query(self, sparql: str, substitutions: dict | None = None):  # noqa: ANN201
        return self.ox.query(sparql, use_default_graph_as_union=True, substitutions=substitutions)

    def flush(self) -> None:
        if self.path is not None:
            self.ox.flush()
