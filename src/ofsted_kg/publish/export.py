"""Exports of the data graphs in five RDF formats, with deterministic bytes.

Every format is written here from the store's quads (no rdflib serializer, whose order
depends on insertion): terms are written in their N-Triples form, statements sorted by
subject, predicate and object (and graph), so the same store gives the same bytes whatever
the order its reports were ingested in.

What is exported: every report graph, every enrichment graph (authority codes) and the
dataset description (VoID and DCAT, ``describe.py``) in a named graph of its own. Turtle,
N-Triples and JSON-LD hold the union of those graphs; N-Quads and TriG keep the graphs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.publish.describe import DEFAULT_ENDPOINT, description
from ofsted_kg.query.formats import RDF_FORMATS, rdf_format
from ofsted_kg.rdf import vocab
from ofsted_kg.store.embedded import Store

# name -> (file suffix, media type), from the one registry of formats
FORMATS = {f.name: (f.suffix, f.media_type) for f in RDF_FORMATS.values()}
CONTEXT_FILE = Path(__file__).resolve().parent / "context.jsonld"
EXTRA_PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
}
# Sub-folders of the base IRI that get a prefix of their own in Turtle, TriG and JSON-LD
BASE_PREFIXES = ("agency", "authority", "dataset", "inspector", "report")

XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

# (subject, predicate, object, graph), each in N-Triples form; graph "" for the default graph
Quad = tuple[str, str, str, str]


def prefixes(base: str) -> dict[str, str]:
    """Prefix -> namespace for the written files: the project's, then the store's base."""
    out = {p: str(ns) for p, ns in vocab.PREFIXES.items()}
    out.update(EXTRA_PREFIXES)
    out["id"] = base
    for name in BASE_PREFIXES:
        out[name] = f"{base}{name}/"
    return out


def quads(store: Store, describe: bool = True, endpoint: str = DEFAULT_ENDPOINT) -> list[Quad]:
    """Every quad of the data graphs (and of the description), sorted."""
    out: set[Quad] = set()
    for graph in store.data_graphs():
        g = str(graph)
        for q in store.triples(graph):
            out.add((str(q.subject), str(q.predicate), str(q.object), g))
    if describe:
        g = str(description_graph(store))
        for t in description(store, endpoint=endpoint):
            out.add((str(t.subject), str(t.predicate), str(t.object), g))
    return sorted(out)


def description_graph(store: Store) -> ox.NamedNode:
    """The named graph that holds the dataset description in N-Quads and TriG."""
    return ox.NamedNode(f"{store.iris.base}dataset/description")


def export(fmt: str, store: Store, describe: bool = True,
           endpoint: str = DEFAULT_ENDPOINT) -> bytes:  # fmt: skip
    """The data graphs (and the dataset description) in ``fmt`` (a name or an alias of
    ``query.formats``): stable bytes."""
    fmt = rdf_format(fmt).name
    return serialize(fmt, quads(store, describe, endpoint), store.iris.base)


def serialize(fmt: str, all_quads: list[Quad], base: str) -> bytes:
    """Sorted quads in one of the five formats."""
    if fmt == "nquads":
        text = "".join(f"{s} {p} {o}{' ' + g if g else ''} .\n" for s, p, o, g in all_quads)
    elif fmt == "ntriples":
        text = "".join(f"{s} {p} {o} .\n" for s, p, o in _triples(all_quads))
    elif fmt == "turtle":
        text = _Turtle(prefixes(base)).document(_triples(all_quads))
    elif fmt == "trig":
        text = _Turtle(prefixes(base)).trig(all_quads)
    else:
        text = jsonld(_triples(all_quads), base)
    return text.encode()


def _triples(all_quads: Iterable[Quad]) -> list[tuple[str, str, str]]:
    return sorted({(s, p, o) for s, p, o, _g in all_quads})


# ---------------------------------------------------------------- Turtle and TriG

# A conservative PN_LOCAL: letters, digits, '_', '-' and inner dots (no escapes needed)
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?\Z")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")


class _Turtle:
    def __init__(self, prefix_map: dict[str, str]) -> None:
        self.prefixes = prefix_map
        # longest namespace first, so id:report/... is written report:...
        self._by_length = sorted(prefix_map.items(), key=lambda kv: (-len(kv[1]), kv[0]))

    def header(self) -> str:
        lines = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(self.prefixes.items())]
        return "\n".join(lines) + "\n"

    def iri(self, iri: str) -> str:
        """<iri> -> prefix:local where the local part needs no escape, else <iri>."""
        value = iri[1:-1]
        for prefix, ns in self._by_length:
            if value.startswith(ns) and _LOCAL.match(value[len(ns) :]):
                return f"{prefix}:{value[len(ns) :]}"
        return iri

    def term(self, term: str) -> str:
        if term.startswith("<"):
            return self.iri(term)
        if term.startswith('"') and term.endswith(">") and "^^<" in term:
            lexical, datatype = term.rsplit("^^", 1)
            if datatype == f"<{XSD_INTEGER}>" and _INTEGER.match(lexical[1:-1]):
                return lexical[1:-1]
            return f"{lexical}^^{self.iri(datatype)}"
        return term  # a plain or language-tagged literal, or a blank node

    def block(self, triples: list[tuple[str, str, str]], indent: str = "") -> str:
        """Triples sorted by subject as Turtle statements, rdf:type first as 'a'."""
        out = []
        for s, group in groupby(triples, key=lambda t: t[0]):
            by_pred: dict[str, list[str]] = {}
            for _s, p, o in group:
                by_pred.setdefault(p, []).append(o)
            preds = sorted(by_pred, key=lambda p: (p != RDF_TYPE, p))
            parts = []
            for p in preds:
                verb = "a" if p == RDF_TYPE else self.iri(p)
                objects = f",\n{indent}        ".join(self.term(o) for o in by_pred[p])
                parts.append(f"{verb} {objects}")
            out.append(
                f"{indent}{self.term(s)}\n{indent}    " + f" ;\n{indent}    ".join(parts) + " .\n"
            )
        return "\n".join(out)

    def document(self, triples: list[tuple[str, str, str]]) -> str:
        return self.header() + "\n" + self.block(triples)

    def trig(self, all_quads: list[Quad]) -> str:
        parts = [self.header()]
        for g, group in groupby(sorted(all_quads, key=lambda q: (q[3], q[:3])), key=lambda q: q[3]):
            triples = [(s, p, o) for s, p, o, _g in group]
            if g:
                parts.append(f"{self.iri(g)} {{\n{self.block(triples, '    ')}}}\n")
            else:
                parts.append(self.block(triples))
        return "\n".join(parts)


# ---------------------------------------------------------------- JSON-LD


def context(base: str) -> dict:
    """The shipped context (publish/context.jsonld) with the store's base IRIs."""
    ctx = dict(json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"])
    ctx["id"] = base
    for name in BASE_PREFIXES:
        ctx[name] = f"{base}{name}/"
    return ctx


def jsonld(triples: list[tuple[str, str, str]], base: str) -> str:
    """One node object per subject, sorted; compact IRIs through the shipped context."""
    ctx = context(base)
    namespaces = sorted(
        ((k, v) for k, v in ctx.items() if isinstance(v, str) and v.endswith(("/", "#"))),
        key=lambda kv: (-len(kv[1]), kv[0]),
    )

    def compact(iri: str) -> str:
        for prefix, ns in namespaces:
            rest = iri[len(ns) :]
            if iri.startswith(ns) and rest and not rest.startswith("//"):
                return f"{prefix}:{rest}"
        return iri

    graph = []
    for s, group in groupby(triples, key=lambda t: t[0]):
        node: dict = {"@id": _node_id(s, compact)}
        types: list[str] = []
        props: dict[str, list] = {}
        for _s, p, o in group:
            if p == RDF_TYPE and o.startswith("<"):
                types.append(compact(o[1:-1]))
            else:
                props.setdefault(compact(p[1:-1]), []).append(_value(o, compact))
        if types:
            node["@type"] = types if len(types) > 1 else types[0]
        for key in sorted(props):
            values = props[key]
            node[key] = values if len(values) > 1 else values[0]
        graph.append(node)
    doc = {"@context": ctx, "@graph": graph}
    return json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def _node_id(term: str, compact) -> str:
    return compact(term[1:-1]) if term.startswith("<") else term


def _value(term: str, compact) -> dict | str:
    if term.startswith("<"):
        return {"@id": compact(term[1:-1])}
    if term.startswith("_:"):
        return {"@id": term}
    lexical, rest = _split_literal(term)
    if rest.startswith("@"):
        return {"@value": lexical, "@language": rest[1:]}
    if rest.startswith("^^"):
        return {"@value": lexical, "@type": compact(rest[3:-1])}
    return lexical


_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:([tbnrf\"'\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")


def _split_literal(term: str) -> tuple[str, str]:
    """An N-Triples literal -> (its value, unescaped; what follows the closing quote)."""
    end = term.rindex('"')
    return _ESCAPE.sub(_unescape, term[1:end]), term[end + 1 :]


def _unescape(m: re.Match) -> str:
    if m.group(1):
        return _ECHAR[m.group(1)]
    return chr(int(m.group(2) or m.group(3), 16))
