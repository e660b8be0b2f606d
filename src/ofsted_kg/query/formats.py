"""Every format the project writes, registered once: RDF for exports and graph answers, SPARQL
results for SELECT and ASK answers. The CLI's ``export`` and ``query``, the API and ``serve``
read these tables, so a new format is one entry here: exports are written by the pyoxigraph
writer it names (``engine``), in the order publish/export.py sorts statements in.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class RdfFormat:
    name: str  # the name ``--format`` takes
    title: str  # for people (the dataset description's distributions)
    suffix: str  # of a file written in it
    media_type: str
    engine: ox.RdfFormat  # pyoxigraph's writer
    datasets: bool  # keeps named graphs (N-Quads, TriG); the others hold the union
    aliases: tuple[str, ...] = ()


RDF_FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("turtle", "Turtle", "ttl", "text/turtle", ox.RdfFormat.TURTLE, False, ("ttl",)),
        RdfFormat("ntriples", "N-Triples", "nt", "application/n-triples",
                  ox.RdfFormat.N_TRIPLES, False, ("nt", "n-triples")),
        RdfFormat("nquads", "N-Quads", "nq", "application/n-quads",
                  ox.RdfFormat.N_QUADS, True, ("nq", "n-quads")),
        RdfFormat("trig", "TriG", "trig", "application/trig", ox.RdfFormat.TRIG, True),
        RdfFormat("jsonld", "JSON-LD", "jsonld", "application/ld+json",
                  ox.RdfFormat.JSON_LD, False, ("json-ld",)),
    )
}  # fmt: skip
# Graph answers of the endpoint may also be RDF/XML (SPARQL clients ask for it); exports are not.
RDF_XML = RdfFormat("rdfxml", "RDF/XML", "rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML, False)
# What a graph answer (CONSTRUCT, DESCRIBE) of the endpoint can be written in, and its default.
GRAPH_FORMATS: dict[str, RdfFormat] = {**RDF_FORMATS, RDF_XML.name: RDF_XML}
DEFAULT_GRAPH_FORMAT = "ntriples"


@dataclass(frozen=True)
class ResultsFormat:
    name: str
    media_types: tuple[str, ...]  # the first is the one answers are labelled with
    engine: ox.QueryResultsFormat | None  # None: written by the project (CSV of plain values)


RESULTS_FORMATS: dict[str, ResultsFormat] = {
    f.name: f
    for f in (
        ResultsFormat("json", ("application/sparql-results+json", "application/json"),
                      ox.QueryResultsFormat.JSON),
        ResultsFormat("xml", ("application/sparql-results+xml",), ox.QueryResultsFormat.XML),
        ResultsFormat("csv", ("text/csv",), ox.QueryResultsFormat.CSV),
        ResultsFormat("tsv", ("text/tab-separated-values",), ox.QueryResultsFormat.TSV),
    )
}  # fmt: skip
DEFAULT_RESULTS_FORMAT = "json"


def rdf_format(name: str) -> RdfFormat:
    """An export format by its name or an alias (``ttl``, ``nt``, ``nq``, ``json-ld``), in any
    case; ValueError naming the known ones otherwise."""
    key = name.strip().lower()
    for f in RDF_FORMATS.values():
        if key == f.name or key in f.aliases:
            return f
    known = ", ".join(f"{f.name} ({', '.join(f.aliases)})" if f.aliases else f.name
                      for f in RDF_FORMATS.values())  # fmt: skip
    raise ValueError(f"unknown RDF format {name!r} (known: {known})")


def rdf_format_names() -> list[str]:
    """Every name and alias ``--format`` accepts for an export."""
    return [n for f in RDF_FORMATS.values() for n in (f.name, *f.aliases)]
