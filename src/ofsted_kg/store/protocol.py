"""GraphStore: what the rest of the package may ask of a store, embedded (embedded.Store) or
behind a SPARQL endpoint (remote.RemoteStore). api, cli, publish and serve use this and no more;
tests/store/test_protocol.py checks that both stores have all of it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import Graph

from ofsted_kg.rdf.iris import Iris


@runtime_checkable
class GraphStore(Protocol):
    """One named graph per report (named by its sha256), enrichment graphs, the ontology's."""

    @property
    def path(self) -> Path | None:
        """The store's folder; None for one in memory or behind an endpoint."""

    @property
    def iris(self) -> Iris:
        """The IRIs under the base IRI the store was made with."""

    # ---- writing

    def put_report(self, sha256: str, triples: Graph | bytes | str,
                   replacing: Iterable[str] = ()) -> None:  # fmt: skip
        """Store a report's graph in place of any earlier one and of the reports
        ``replacing`` names (sha256)."""

    def put_enrichment(self, name: str, ntriples: bytes | str) -> None:
        """Replace a graph of data from outside the reports (e.g. authority codes)."""

    def remove_reports(self, shas: Iterable[str]) -> None:
        """Remove reports' graphs (sha256)."""

    def flush(self) -> None:
        """Make what was written durable."""

    def model_outdated(self) -> bool:
        """Were the stored report graphs written by an older emitter (vocab.DATA_MODEL)?"""

    def mark_model_current(self) -> None:
        """Record that every report graph now follows the current data model."""

    def history(self) -> dict[str, str]:
        """When reports were first and last ingested and the data last changed (xsd:dateTime
        strings under store/history.py's keys); empty when not recorded."""

    # ---- reading

    def query(self, sparql: str, substitutions: dict | None = None, *,
              graphs: list[ox.NamedNode] | None = None) -> object:  # fmt: skip
        """SPARQL over the union of the graphs (or of ``graphs`` alone): pyoxigraph's
        QuerySolutions, QueryBoolean or QueryTriples."""

    def report_graph(self, sha256: str) -> ox.NamedNode:
        """The name of the graph holding a report's triples."""

    def has_report(self, sha256: str) -> bool: ...

    def report_shas(self) -> list[str]:
        """The sha256 of every stored report, sorted."""

    def reports_of(self, inspections: Iterable[str]) -> dict[str, str]:
        """The stored reports (sha256) of any of these inspections (IRIs), each with one of
        those it is of."""

    def data_graphs(self) -> list[ox.NamedNode]:
        """Every graph but the ontology's (reports, enrichment), sorted."""

    def authority_graphs(self, authority: ox.Literal) -> list[ox.NamedNode]:
        """What a query about one authority reads: its report graphs, the ontology's graph
        and the enrichment graphs."""

    def triples(self, name: ox.NamedNode) -> Iterator[ox.Triple]:
        """A named graph's triples."""

    def ntriples(self, name: ox.NamedNode) -> bytes:
        """A named graph's triples as N-Triples."""

    def graph(self, name: ox.NamedNode) -> Graph:
        """A named graph's triples as an rdflib Graph."""
