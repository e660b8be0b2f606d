"""Exports of the data graphs in five RDF formats, written by pyoxigraph, with stable bytes.

pyoxigraph's writers keep the order they are given (Turtle, TriG and JSON-LD group a subject's
consecutive statements), so the statements are sorted first, by their terms in N-Triples form:
the same store gives the same bytes whatever the order its reports were ingested in.

What is exported: every report graph, every enrichment graph (authority codes), the
ontology's graph (classes, properties and concept schemes with their labels, so that a file
read alone can name what it holds; ``ontology=False`` leaves it out) and the dataset
description (VoID and DCAT, ``describe.py``) in a named graph of its own. Turtle, N-Triples
and JSON-LD hold the union of those graphs; N-Quads and TriG keep the graphs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox

from ofsted_kg.publish.describe import Publication, description, ontology_triples
from ofsted_kg.publish.jsonld import CONTEXT_FILE, RDF_TYPE_IRI, compact_jsonld, prefixes
from ofsted_kg.query.formats import RDF_FORMATS, rdf_format
from ofsted_kg.store.embedded import ONTOLOGY_GRAPH, Store

# name -> (file suffix, media type), from the one registry of formats
FORMATS = {f.name: (f.suffix, f.media_type) for f in RDF_FORMATS.values()}
__all__ = ["CONTEXT_FILE", "FORMATS", "export", "describe_document", "serialize"]
RDF_TYPE = f"<{RDF_TYPE_IRI}>"

# A triple to export and the named graph it is in (None: the default graph)
Statement = tuple[ox.Triple, ox.NamedNode | None]

# How each format's statements are ordered, from their terms in N-Triples form (subject,
# predicate, object, graph: "" for the default graph). N-Quads keeps the order its files have
# always had. Turtle and TriG put rdf:type first, written 'a' at the head of each subject; TriG
# goes graph by graph, since its writer opens a block for each run of one graph. The formats
# without graphs leave the graph out of the key, which merges a triple stated in several graphs;
# a format not listed here is sorted as N-Quads or N-Triples are.
_Key = Callable[[str, str, str, str], tuple]
ORDER: dict[str, _Key] = {
    "nquads": lambda s, p, o, g: (s, p, o, g),
    "ntriples": lambda s, p, o, g: (s, p, o),
    "jsonld": lambda s, p, o, g: (s, p, o),
    "turtle": lambda s, p, o, g: (s, p != RDF_TYPE, p, o),
    "trig": lambda s, p, o, g: (g, s, p != RDF_TYPE, p, o),
}


def statements(store: Store, describe: bool = True,
               publication: Publication | None = None) -> list[Statement]:  # fmt: skip
    """Every triple of the data graphs, of the ontology's graph (unless the publication
    leaves it out) and of the description, with its graph, unordered."""
    pub = publication or Publication()
    out: list[Statement] = []
    triples: set[ox.Triple] = set()  # for the description's counts, read once with the quads
    for graph in store.data_graphs():
        for t in store.triples(graph):
            triples.add(t)
            out.append((t, graph))
    ontology = ontology_triples(store) if pub.ontology else []
    out.extend((t, ONTOLOGY_GRAPH) for t in ontology)
    if describe:
        g = description_graph(store)
        out.extend((t, g) for t in description(store, pub, triples, ontology or None))
    return out


def description_graph(store: Store) -> ox.NamedNode:
    """The named graph that holds the dataset description in N-Quads and TriG."""
    return ox.NamedNode(f"{store.iris.base}dataset/description")


def export(fmt: str, store: Store, describe: bool = True,
           publication: Publication | None = None) -> bytes:  # fmt: skip
    """The data graphs, the ontology's and the dataset description in ``fmt`` (a name or
    an alias of ``query.formats``): stable bytes."""
    return serialize(fmt, statements(store, describe, publication), store.iris.base)


def describe_document(fmt: str, store: Store, publication: Publication | None = None) -> bytes:
    """The dataset description alone, in the default graph, in ``fmt``."""
    triples = description(store, publication)
    return serialize(fmt, ((t, None) for t in triples), store.iris.base)


def serialize(fmt: str, stmts: Iterable[Statement], base: str) -> bytes:
    """Statements in one of the five formats (a name or an alias), sorted as ``ORDER`` says."""
    f = rdf_format(fmt)
    written = ordered(f.name, stmts)
    if f.name == "jsonld":
        return compact_jsonld(ox.serialize(written, format=f.engine), base)
    # the line-based formats ignore the prefixes; Turtle and TriG write them all at the top
    return ox.serialize(written, format=f.engine, prefixes=prefixes(base))


def ordered(fmt: str, stmts: Iterable[Statement]) -> list[ox.Quad] | list[ox.Triple]:
    """Distinct statements for format ``fmt`` (a name), in its order: quads for the formats
    that keep graphs, triples for the others."""
    keep_graphs = RDF_FORMATS[fmt].datasets
    key = ORDER.get(fmt) or ORDER["nquads" if keep_graphs else "ntriples"]
    names: dict[ox.NamedNode | None, str] = {None: ""}
    rows: dict[tuple, ox.Quad | ox.Triple] = {}
    for t, g in stmts:
        if g not in names:
            names[g] = str(g)
        s, p, o = t.subject, t.predicate, t.object
        k = key(str(s), str(p), str(o), names[g])
        rows[k] = (ox.Quad(s, p, o, g) if g is not None else ox.Quad(s, p, o)) if keep_graphs else t
    return [rows[k] for k in sorted(rows)]
