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

import json
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.publish.describe import Publication, description, ontology_triples
from ofsted_kg.query.formats import RDF_FORMATS, rdf_format
from ofsted_kg.rdf import vocab
from ofsted_kg.store.embedded import ONTOLOGY_GRAPH, Store

# name -> (file suffix, media type), from the one registry of formats
FORMATS = {f.name: (f.suffix, f.media_type) for f in RDF_FORMATS.values()}
CONTEXT_FILE = Path(__file__).resolve().parent / "context.jsonld"
EXTRA_PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
# Sub-folders of the base IRI that get a prefix of their own in Turtle, TriG and JSON-LD
BASE_PREFIXES = ("agency", "authority", "dataset", "inspector", "report")

RDF_TYPE_IRI = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
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


def prefixes(base: str) -> dict[str, str]:
    """Prefix -> namespace for the written files: the project's, then the store's base."""
    out = {p: str(ns) for p, ns in vocab.PREFIXES.items()}
    out.update(EXTRA_PREFIXES)
    out["id"] = base
    for name in BASE_PREFIXES:
        out[name] = f"{base}{name}/"
    return out


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


# ---------------------------------------------------------------- JSON-LD


def context(base: str) -> dict:
    """The shipped context (publish/context.jsonld) with the store's base IRIs."""
    ctx = dict(json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"])
    ctx["id"] = base
    for name in BASE_PREFIXES:
        ctx[name] = f"{base}{name}/"
    return ctx


def compact_jsonld(expanded: bytes, base: str) -> bytes:
    """pyoxigraph's JSON-LD (expanded: full IRIs, every value an array) compacted with the
    shipped context: compact IRIs, rdf:type as @type, plain strings bare, single values out of
    their arrays, keys sorted.

    pyoxigraph's writer takes no @context (its ``prefixes`` are ignored for JSON-LD), and a
    JSON-LD processor (pyld) is a test extra only, so this small step does the compaction for
    the one shape pyoxigraph writes: a flat list of node objects, one per subject.
    """
    ctx = context(base)
    namespaces = sorted(
        ((k, v) for k, v in ctx.items() if isinstance(v, str) and v.endswith(("/", "#"))),
        key=lambda kv: (-len(kv[1]), kv[0]),
    )

    compacted: dict[str, str] = {}  # the same predicates, classes and nodes recur throughout

    def iri(value: str) -> str:
        if value not in compacted:
            compacted[value] = value
            for prefix, ns in namespaces:
                rest = value[len(ns) :]
                if value.startswith(ns) and rest and not rest.startswith("//"):
                    compacted[value] = f"{prefix}:{rest}"
                    break
        return compacted[value]

    def value(v: dict) -> dict | str:
        if "@id" in v:
            return {"@id": iri(v["@id"])}
        if "@language" in v:
            return {"@value": v["@value"], "@language": v["@language"]}
        if "@type" in v:
            return {"@value": v["@value"], "@type": iri(v["@type"])}
        return v["@value"]

    graph = []
    for node in json.loads(expanded):
        out: dict = {"@id": iri(node["@id"])}
        types: list[str] = []
        props: dict[str, list] = {}
        for key, values in node.items():
            if key == "@id":
                continue
            for v in values:
                if key == RDF_TYPE_IRI and set(v) == {"@id"}:
                    types.append(iri(v["@id"]))
                else:
                    props.setdefault(iri(key), []).append(value(v))
        if types:
            out["@type"] = types if len(types) > 1 else types[0]
        for key in sorted(props):
            out[key] = props[key] if len(props[key]) > 1 else props[key][0]
        graph.append(out)
    doc = {"@context": ctx, "@graph": graph}
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode()
